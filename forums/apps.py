from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        # What the forums bring to the spine: their content kind, notification kinds and sources,
        # the home page's section and their part of the demo.
        from community.demo import register_seed

        # What the CM workspace reads (profile activity, talent signals, featured pieces, health figures).
        from . import activity, content_kinds, featuring, health, home, notifications, replying, talent  # noqa: F401  # noqa: F401
        from .demo import seed_forums

        register_seed("forums", seed_forums, order=20)
