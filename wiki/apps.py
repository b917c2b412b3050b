from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WikiConfig(AppConfig):
    name = "wiki"
    verbose_name = _("Wiki")

    def ready(self):
        # What the wiki brings to the spine and the CM workspace, by registration (nothing in
        # community/, moderation/ or cm/ names the wiki). Each area owns its module.
        from . import (
            content_kinds,  # noqa: F401
            registrations,  # noqa: F401
        )
