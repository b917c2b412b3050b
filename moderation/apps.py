from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        # Outbox handlers register themselves at import time (spam checks of new/changed content).
        from community import content

        from . import handlers, notifications, trust, watched, watched_signals  # noqa: F401

        # Synchronous checks before any content is saved, and the censor mask when it is shown.
        content.register_publish_check(watched.publish_check)
        content.register_publish_check(trust.publish_check)
        content.register_display_filter(watched.mask)
