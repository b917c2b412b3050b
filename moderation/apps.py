from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        # Outbox handlers register themselves at import time (spam checks of new/changed content).
        from . import handlers, notifications  # noqa: F401
