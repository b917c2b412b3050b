from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        # Content kinds and event handlers register themselves at import time.
        from . import content_kinds, handlers  # noqa: F401
