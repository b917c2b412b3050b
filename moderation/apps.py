from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from community import content
        from community.demo import register_seed

        # Outbox handlers and notification sources register themselves at import time.
        from . import handlers, health, notifications, review, sanctions, talent, trust, watched  # noqa: F401  # noqa: F401  (the CM workspace's signals: removals, sanctions)
        from .demo import seed_moderation

        # Synchronous checks before any content is saved, and the censor mask when it is shown.
        content.register_publish_check(watched.publish_check)
        content.register_publish_check(trust.publish_check)
        content.register_display_filter(watched.mask)
        # The review index follows every held / released item of every kind.
        content.register_state_listener(review.on_content_state)
        register_seed("moderation", seed_moderation, order=90)
