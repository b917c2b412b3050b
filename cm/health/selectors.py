"""The health dashboard's reads: the period asked for, the figures of every registered provider
(community.health) for it — cached a few minutes — and the workspace's other pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from community import health
from community.permissions import check_can_use_cm_workspace

CACHE_SECONDS = 300  # the figures are a few minutes old at most ("as of" shows when)

# The workspace's pages, linked from the dashboard when they exist (each area adds its URLs).
WORKSPACE_PAGES = [
    ("cm:talent", gettext_lazy("Talent board")),
    ("cm:casting", gettext_lazy("Casting")),
    ("cm:curation", gettext_lazy("Home page curation")),
    ("cm:watch", gettext_lazy("Brand watch inbox")),
    ("cm:escalations", gettext_lazy("Escalations")),
    ("moderation:queue", gettext_lazy("Review queue")),
    ("moderation:watched_words", gettext_lazy("Watched words")),
    ("moderation:log", gettext_lazy("Audit log")),
]


@dataclass(frozen=True)
class Dashboard:
    period: health.Period
    sections: list[health.Section]
    computed_at: object  # when the figures were computed (they may come from the cache)


def parse_period(value: str | None) -> tuple[int, str]:
    """(days, a message for the member or ""): a missing value is the default, a bad one too, said."""
    if value in (None, ""):
        return health.DEFAULT_PERIOD, ""
    if value.isascii() and value.isdigit() and int(value) in health.PERIODS:
        return int(value), ""
    return health.DEFAULT_PERIOD, _("“%(value)s” is not a period the dashboard offers: showing the last %(days)d days "
                                    "(choose 7, 30 or 90).") % {"value": value[:20], "days": health.DEFAULT_PERIOD}


def dashboard(*, actor, days: int) -> Dashboard:
    """Every provider's figures over the last `days` days, for a CM (cached CACHE_SECONDS per period
    and language: a provider's notes are worded when computed)."""
    check_can_use_cm_workspace(actor)
    if days not in health.PERIODS:
        days = health.DEFAULT_PERIOD
    key = f"cm:health:{days}:{get_language()}"
    cached = cache.get(key)
    if cached is None:
        period = health.Period.last(days)
        cached = Dashboard(period=period, sections=health.collect(period), computed_at=timezone.now())
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def workspace_links() -> list[tuple[str, str]]:
    """(url, label) of the workspace's pages that exist (an area not merged yet is left out)."""
    links = []
    for name, label in WORKSPACE_PAGES:
        try:
            links.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return links
