from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        # Content kinds, event handlers, the notification fan-out and the outbox's courier register
        # themselves at import time.
        from . import badges, checks, content_kinds, handlers, signed_in, tasks  # noqa: F401  (checks: system checks)
        from .notifications import services  # noqa: F401  (the fan-out handles every event)
        from .permissions import grants

        badges.connect()  # the role badges' map follows group membership and staff status
        grants.connect()  # a member's cached grants follow their groups and moderated forums
        signed_in.connect()  # the signed-in member's cached row follows every write to it
