"""What the wiki brings to the CM workspace's health registry (registered at import, from the wiki's
ready()): edits per day, pages created, and the edits still waiting for a patrol — three queries
whatever the size of the wiki."""

from django.utils.translation import gettext_lazy as _

from community import health
from community.models import Visibility

from .models import Page, Revision


def wiki_figures(period: health.Period) -> health.Figures:
    edits = health.daily_counts(Revision.objects.filter(status=Visibility.PUBLISHED, page__is_deleted=False),
                                "created_at", period)
    new_pages = Page.objects.filter(is_deleted=False, **period.q("created_at")).count()
    unpatrolled = (Revision.objects.filter(patrolled=False, page__is_deleted=False)
                   .exclude(status__in=[Visibility.HIDDEN, Visibility.REMOVED]).count())
    return health.Figures(
        numbers=[
            health.Number("wiki.edits", _("Wiki edits"), sum(edits)),
            health.Number("wiki.new_pages", _("New wiki pages"), new_pages),
            health.Number("wiki.unpatrolled", _("Wiki edits waiting for a patrol"), unpatrolled,
                          help=_("Edits by new members that no community manager has looked at yet (now, "
                                 "whatever the period).")),
        ],
        daily=[health.Daily("wiki.edits", _("Wiki edits per day"), edits)],
    )


health.register_provider("wiki", title=_("Wiki"), figures=wiki_figures, order=35)
