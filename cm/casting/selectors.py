"""Casting's reads, each page in a fixed number of queries: the castings (their member and CM
joined), then the spaces they name read through community.spaces in one query."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Q

from community import spaces
from community.views import page_or_404

from ..models import Casting, CastingStatus, CastingStep

PER_PAGE = 20

# The board's lists: name -> (filter, order).
SECTIONS = {
    # Waiting for the member's answer, newest first.
    "invited": (Q(status=CastingStatus.INVITED), ("-created_at", "-pk")),
    # Current terms (open spaces and badges), ending soon first.
    "current": (Q(status=CastingStatus.ACCEPTED) & Q(space_state__in=["", spaces.ACTIVE]), ("ends_on", "pk")),
    # Terms over whose space is still open: the CM decides (renew, retire, hand over).
    "over": (Q(status=CastingStatus.ENDED, space_state=spaces.ACTIVE), ("ends_on", "pk")),
    # Paused and retired spaces, latest change first.
    "held": (Q(status__in=[CastingStatus.ACCEPTED, CastingStatus.ENDED],
               space_state__in=[spaces.PAUSED, spaces.RETIRED]), ("-updated_at", "-pk")),
}


def castings():
    return Casting.objects.select_related("member", "cast_by")


def with_spaces(rows) -> list[Casting]:
    """Each casting with `space` (a community.spaces.SpaceRef, or None): one query for all."""
    rows = list(rows)
    found = spaces.read(casting.space_id for casting in rows)
    for casting in rows:
        casting.space = found.get(casting.space_id)
    return rows


def board(pages: dict[str, object]) -> dict[str, Page]:
    """The casting board's lists, each paginated (`pages`: section -> page number asked)."""
    shown = {}
    for name, (condition, order) in SECTIONS.items():
        shown[name] = Paginator(castings().filter(condition).order_by(*order), PER_PAGE).get_page(pages.get(name))
    refs = spaces.read(casting.space_id for page in shown.values() for casting in page.object_list)
    for page in shown.values():
        for casting in page.object_list:
            casting.space = refs.get(casting.space_id)
    return shown


def casting(casting_id) -> Casting | None:
    found = castings().filter(pk=casting_id).first()
    if found is not None:
        found.space = spaces.get(found.space_id)
    return found


def steps_of(casting_ids) -> list[CastingStep]:
    return list(CastingStep.objects.filter(casting_id__in=list(casting_ids)).select_related("actor", "casting__member")
                .order_by("-at", "-pk")[:200])


def space_castings(space_id) -> list[Casting]:
    """Every casting that held (or was to hold) this space, newest first."""
    return list(castings().filter(space_id=space_id).order_by("-created_at", "-pk")[:100])


def of_member(member, *, limit: int = 20) -> list[Casting]:
    """A member's castings, newest first (the member card, the invitation pages)."""
    return with_spaces(castings().filter(member=member).order_by("-created_at", "-pk")[:limit])


def invitations_page(member, number) -> Page:
    """A page of the member's castings, newest first (a page that does not exist: 404, as every list)."""
    page = page_or_404(castings().filter(member=member).order_by("-created_at", "-pk"), number, PER_PAGE)
    page.object_list = with_spaces(page.object_list)
    return page
