from django.apps import AppConfig


class ShoutsConfig(AppConfig):
    """A test-only content kind: short "shouts" on a member's profile. It plugs into the spine the
    way blog comments and wiki revisions will — by registering, in ready(), and nothing else:
    its content kind, its event-free notification source, its own notification kind."""

    name = "tests.apps.shouts"
    label = "shouts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import kinds  # noqa: F401
