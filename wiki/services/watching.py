"""Watching pages: a member is told of every change to the pages they watch (and, with
`subtree`, to every page below). Editing a page watches it (services.editing)."""

from __future__ import annotations

from django.db.models import Q

from community.models import User
from community.permissions import check_can_watch_page, readers_filter

from .. import paths
from ..models import Page, Watch


def watch(*, actor, page: Page, subtree: bool = False) -> Watch:
    """Watch `page` (again: the subtree choice is updated)."""
    check_can_watch_page(actor, read_level_needed=page.read_level, deleted=page.is_deleted)
    found, created = Watch.objects.get_or_create(user=actor, page=page, defaults={"subtree": subtree})
    if not created and found.subtree != subtree:
        Watch.objects.filter(pk=found.pk).update(subtree=subtree)
        found.subtree = subtree
    return found


def unwatch(*, actor, page: Page) -> None:
    """Stop watching `page` (nothing happens if the member did not watch it)."""
    check_can_watch_page(actor, read_level_needed=page.read_level, deleted=page.is_deleted)
    Watch.objects.filter(user=actor, page=page).delete()


def watch_of(actor, page: Page) -> Watch | None:
    """The member's watch on `page` (None for a visitor, who costs no query)."""
    if not actor.is_authenticated:
        return None
    return Watch.objects.filter(user=actor, page=page).first()


def watchers_filter(page: Page) -> Q:
    """Members watching `page`, or one of the pages above it with its sub-pages, as a filter on
    User: the pages above are found by their paths' prefixes (no tree walk)."""
    above = paths.ancestor_paths(page.path)
    query = Q(wiki_watches__page=page)
    if above:
        query |= Q(wiki_watches__page__path__in=above, wiki_watches__subtree=True)
    return query


def watcher_ids(page: Page, *, read_level: int | None = None) -> set[int]:
    """Who watches `page` (directly or through a subtree above) and may read it at `read_level`
    (the page's by default): one query."""
    level = page.read_level if read_level is None else read_level
    return set(User.objects.filter(readers_filter(level)).filter(watchers_filter(page))
               .order_by().values_list("pk", flat=True).distinct())


def watchlist(actor):
    """The member's watched pages they may still read, last changed first, each with its current
    revision and that revision's author (one query per page of the list, plus the count)."""
    from community.permissions import readable_pages_filter

    return (Watch.objects.filter(user=actor).filter(readable_pages_filter(actor, prefix="page__"))
            .select_related("page__current_revision__author")
            .order_by("-page__updated_at", "-pk"))
