from django.conf import settings
from django.db import models
from django.utils import timezone

from community.models import ModeratedContent


class Shout(ModeratedContent):
    """A short public message by a member, shown on their profile; may answer another shout."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shouts")
    body = models.TextField()
    body_html = models.TextField(blank=True)
    answers = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "shouts"

    def get_absolute_url(self):
        return f"{self.author.get_absolute_url()}#shout-{self.pk}"
