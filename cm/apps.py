from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmConfig(AppConfig):
    """The community manager's workspace (/cm/): scouting, casting, curating, mediating, the health
    dashboard. It imports the core (community) and moderation, never a content app (forums, blogs,
    wiki): those bring their signals, spaces and pieces by registering with the core's registries."""

    name = "cm"
    verbose_name = _("Community manager workspace")

    def ready(self):
        from .casting import setup as casting
        from .curation import setup as curation
        from .health import setup as health
        from .mediation import setup as mediation
        from .scouting import setup as scouting

        for area in (scouting, casting, curation, mediation, health):
            area.ready()
