"""Lists of revisions (the history area): a page's history, recent changes across the wiki (and its
feed), a member's contributions — each as the viewer may read it.

The rule is written once here for lists: pages the viewer may read
(`readable_pages_filter(actor, prefix="page__")`), then revisions they may see (the one visibility
rule, `content_visibility`: published, their own awaiting review, everything for community
managers). A history lists every revision of a readable page (hidden ones as such, without their
text); `row_facts` says per row what the viewer may open (`may_read_text`).

Every list is one query with its joins, the big text columns deferred; pages are cut by offset
without a COUNT (a page's history knows its count: `Page.revision_count`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Paginator
from django.http import Http404

from community.models import Visibility
from community.permissions import (
    content_visibility,
    may_manage_wiki,
    may_read_text,
    readable_pages_filter,
)

from . import paths
from .models import Revision

PER_PAGE = 50
MAX_PAGE = 1000  # deeper than that, a list is read through its filters
MAX_NUMBER = 2**31 - 1  # the largest id or revision number a URL may carry (a 32-bit integer column)
TEXT_FIELDS = ("body", "body_html", "added_text", "toc")
PAGE_TEXT_FIELDS = ("page__body_html", "page__toc")


class CountedPaginator(Paginator):
    """A Paginator told its count (a page's `revision_count`): no COUNT(*) on a long history."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


@dataclass
class Slice:
    """One page of a list cut without counting: `rows`, its number, whether more follow."""

    rows: list
    number: int
    has_next: bool
    has_previous: bool = field(init=False)

    def __post_init__(self):
        self.has_previous = self.number > 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1


def url_number(raw, *, default=None, message="Not found.") -> int:
    """A number from a URL or a query string: `default` when absent; not a number, below 0 or past
    MAX_NUMBER (the database would overflow), a 404."""
    if raw in (None, ""):
        if default is None:
            raise Http404(message)
        return default
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise Http404(message) from None
    if not 0 <= number <= MAX_NUMBER:
        raise Http404(message)
    return number


def page_number(raw) -> int:
    """?page=N as a number (1 when absent); anything else, or past MAX_PAGE, is a 404."""
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise Http404("No such page of the list.") from None
    if not 1 <= number <= MAX_PAGE:
        raise Http404("No such page of the list.")
    return number


def cut(queryset, raw_number, per_page: int = PER_PAGE) -> Slice:
    number = page_number(raw_number)
    start = (number - 1) * per_page
    rows = list(queryset[start:start + per_page + 1])
    if number > 1 and not rows:
        raise Http404("No such page of the list.")
    return Slice(rows=rows[:per_page], number=number, has_next=len(rows) > per_page)


@dataclass(frozen=True)
class Filters:
    """Recent changes' filters, from the query string."""

    under: str | None = None  # a page path: that page and its subtree
    member: str = ""  # a username
    hide_minor: bool = False
    unpatrolled: bool = False  # community managers only (ignored for others)

    @classmethod
    def from_query(cls, query) -> Filters:
        under = (query.get("under") or "").strip()
        return cls(under=paths.normalize(under) if under else None,
                   member=(query.get("member") or "").strip()[:150],
                   hide_minor=query.get("hide_minor") == "1",
                   unpatrolled=query.get("unpatrolled") == "1")

    def as_query(self) -> str:
        from urllib.parse import urlencode

        pairs = [("under", self.under), ("member", self.member), ("hide_minor", "1" if self.hide_minor else ""),
                 ("unpatrolled", "1" if self.unpatrolled else "")]
        return urlencode([(key, value) for key, value in pairs if value])


def _listed(queryset):
    return (queryset.select_related("page", "author")
            .defer(*TEXT_FIELDS, *PAGE_TEXT_FIELDS)
            .order_by("-created_at", "-id"))


def visible_revisions(actor):
    """Revisions of pages `actor` may read that `actor` may see (the one rule)."""
    return (Revision.objects.filter(readable_pages_filter(actor, prefix="page__"))
            .filter(content_visibility(actor)))


def recent_changes(actor, filters: Filters = Filters()):
    changes = visible_revisions(actor)
    if filters.under:
        changes = changes.filter(page__path__startswith=filters.under)
    if filters.member:
        changes = changes.filter(author__username__iexact=filters.member)
    if filters.hide_minor:
        changes = changes.filter(minor=False)
    if filters.unpatrolled and may_manage_wiki(actor):
        changes = changes.filter(patrolled=False)
    return _listed(changes)


def contributions_for(viewer, member):
    """`member`'s edits as `viewer` may see them, newest first (the profile's wiki tab uses it too)."""
    return _listed(visible_revisions(viewer).filter(author=member))


def page_history(page):
    return (page.revisions.select_related("author")
            .defer(*TEXT_FIELDS)
            .order_by("-number"))


def row_facts(actor, revisions, *, page=None) -> list:
    """Per revision: `readable` (may `actor` open its text), `public`, `delta_class` and `delta_text`
    (its size change), `is_new` (a page's first revision). `page` given: it is every row's page."""
    for revision in revisions:
        if page is not None:
            revision.page = page
        revision.readable = may_read_text(actor, revision)
        revision.public = revision.status == Visibility.PUBLISHED
        revision.is_new = revision.number == 1
        delta = revision.size_delta
        revision.delta_class = "size-plus" if delta > 0 else "size-minus" if delta < 0 else "size-zero"
        revision.delta_text = f"+{delta}" if delta > 0 else f"−{-delta}" if delta < 0 else "0"
    return revisions
