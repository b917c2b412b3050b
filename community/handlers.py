"""Event handlers of the community app (registered at startup by CommunityConfig.ready)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .events import WELCOME, handles
from .models import User


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@handles(WELCOME)
def send_welcome_email(event):
    """Runs under the event's row lock: the outbox guarantees one email per member."""
    user = User.objects.filter(pk=event.target_id, is_active=True).first()
    if user is None or not user.email:
        return
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "user": user,
            "site_name": settings.SITE_NAME,
            "profile_url": site_url(reverse("community:profile_edit")),
            "forums_url": site_url(reverse("forums:index")),
            "home_url": site_url(reverse("home")),
        }
        subject = render_to_string("community/email/welcome_subject.txt", context).strip()
        text = render_to_string("community/email/welcome_message.txt", context)
        html = render_to_string("community/email/welcome_message.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
