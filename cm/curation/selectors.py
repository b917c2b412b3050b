"""Reads of the curation area: what the home page shows (featured items, banners) and the CMs' page.

The home page's cost is fixed: one query for the current features, one `resolve` per featuring kind
present (one to three queries each, whatever the number of items), one for the banners."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.utils import timezone

from community import featuring

from ..models import Announcement, AnnouncementDismissal, Feature
from .services import SESSION_KEY

HOME_FEATURES = 8  # items shown at most
HOME_FEATURE_ROWS = 24  # rows read to find them (some may not be readable by the viewer)
HOME_ANNOUNCEMENTS = 3
PAST_SHOWN = 20


@dataclass(frozen=True)
class Featured:
    feature: Feature
    card: featuring.Card | None  # None: not readable (deleted, offline, private) by whom it was resolved for
    public: bool = True  # (the CMs' page) shown to visitors
    label: str = ""  # (the CMs' page) the featuring kind's label


def home_features(viewer, *, limit: int = HOME_FEATURES, now=None) -> list[Featured]:
    """The current features in the CMs' order, as `viewer` may read them (what they may not read is
    left out silently)."""
    rows = list(Feature.objects.current(now).order_by("position", "pk")
                .only("pk", "kind", "object_id", "position", "starts_at", "ends_at")[:HOME_FEATURE_ROWS])
    cards = featuring.resolve_many([(row.kind, row.object_id) for row in rows], viewer)
    shown = [Featured(feature=row, card=cards[(row.kind, row.object_id)])
             for row in rows if (row.kind, row.object_id) in cards]
    return shown[:limit]


def dismissed_in_session(request) -> list[int]:
    """A visitor's closed banners (no query: a visitor without a session cookie has no session)."""
    if request.user.is_authenticated:
        return []
    closed = request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []
    return [pk for pk in closed if isinstance(pk, int)]


def home_announcements(request, *, now=None) -> list[Announcement]:
    """The banners to show `request`'s viewer now, newest first, without those they closed: one query."""
    announcements = Announcement.objects.current(now)
    if request.user.is_authenticated:
        announcements = announcements.filter(~Exists(AnnouncementDismissal.objects.filter(
            member_id=request.user.pk, announcement_id=OuterRef("pk"))))
    else:
        closed = dismissed_in_session(request)
        if closed:
            announcements = announcements.exclude(pk__in=closed)
    return list(announcements.order_by("-starts_at", "-pk")[:HOME_ANNOUNCEMENTS])


def curation_overview(actor, *, now=None) -> dict:
    """The CMs' page: what the home page shows a visitor now, every current and scheduled feature
    (its item as the CM reads it, and whether visitors see it), the last ended ones, and the
    announcements. A fixed number of queries (the features resolved twice: for the CM, for visitors)."""
    now = now or timezone.now()
    visitor = AnonymousUser()
    labels = dict(featuring.choices())
    active = list(Feature.objects.not_ended(now).select_related("created_by").order_by("position", "pk"))
    past = list(Feature.objects.ended(now).select_related("created_by").order_by("-ends_at", "-pk")[:PAST_SHOWN])
    pairs = [(row.kind, row.object_id) for row in [*active, *past]]
    for_cm = featuring.resolve_many(pairs, actor)
    for_visitors = featuring.resolve_many([(row.kind, row.object_id) for row in active], visitor)

    def featured(row):
        key = (row.kind, row.object_id)
        return Featured(feature=row, card=for_cm.get(key), public=key in for_visitors,
                        label=str(labels.get(row.kind, row.kind)))

    shown = [Featured(feature=row, card=for_visitors[(row.kind, row.object_id)]) for row in active
             if row.state(now) == "current" and (row.kind, row.object_id) in for_visitors][:HOME_FEATURES]
    announcements = list(Announcement.objects.not_ended(now).select_related("created_by").order_by("starts_at", "pk"))
    banners = sorted((row for row in announcements if row.state(now) == "current"),
                     key=lambda row: (row.starts_at, row.pk), reverse=True)
    return {
        "now": now,
        "shown": shown,
        "banners": banners[:HOME_ANNOUNCEMENTS],
        # Current, but past the banners the home page shows at once (the newest first): waiting.
        "queued_banner_ids": {row.pk for row in banners[HOME_ANNOUNCEMENTS:]},
        "banners_at_once": HOME_ANNOUNCEMENTS,
        "features": [featured(row) for row in active],
        "past_features": [featured(row) for row in past],
        "announcements": announcements,
        "past_announcements": list(Announcement.objects.ended(now).select_related("created_by")
                                   .order_by("-ends_at", "-pk")[:PAST_SHOWN]),
    }
