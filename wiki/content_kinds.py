"""The wiki's content kind on the spine (community.content): a revision.

- The spam check and watched words read what the edit added (`added_text`) and its title, not the
  whole page (`parts`); the review queue quotes the same and links to the diff that revision made
  (`url`), where the moderator sees exactly what changed.
- Hiding, removing or releasing a revision (a moderation decision) makes the page show its newest
  visible revision; when none is left the page shows its empty state, never the hidden text.
  A released (approved, restored) revision older than the current one is merged into the current
  text as a new revision (wiki/services/undo.py, `merge_released`): an approved edit is never lost.
- "Remove all content" of a member (`remove_all`) *reverts* their edits: each of their revisions is
  marked removed (restorable one by one from the review queue), every page they touched falls
  back to its newest visible revision, and what they wrote that later revisions by others still
  carry is undone on that text (`undo.undo_edits`: one new revision by the moderator). A page they
  created that nobody else wrote in is left without visible text and is deleted (a community
  manager may restore it).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import content
from community.models import Visibility
from community.permissions import may_read_page, may_view_content

from .events import REVISION_KIND
from .models import Link, Page, PageLog, Revision

# While set (inside `remove_all`), pages whose revisions changed visibility are collected and
# refreshed once each at the end, rather than once per revision.
_deferred: ContextVar[set | None] = ContextVar("wiki_deferred_refresh", default=None)


def can_view_revision(user, revision) -> bool:
    page = revision.page
    return (may_read_page(user, read_level_needed=page.read_level, deleted=page.is_deleted)
            and may_view_content(user, author_id=revision.author_id, status=revision.status))


def revision_url(revision) -> str:
    """The diff this revision made (against the one before it)."""
    return f"{reverse('wiki:diff', kwargs={'path': revision.page.path})}?to={revision.number}"


def revision_parts(revision) -> list:
    return [revision.title, revision.added_text]


def revision_visibility_changed(revision, old, new) -> None:
    pages = _deferred.get()
    if pages is not None:
        pages.add(revision.page_id)
        return
    page = show_newest_visible(revision.page_id)
    if new == Visibility.PUBLISHED and old != Visibility.PUBLISHED:
        from .services.undo import merge_released

        merge_released(Revision.objects.select_related("author").get(pk=revision.pk), page)


def show_newest_visible(page_id: int) -> Page:
    """The page shows its newest published revision, or its empty state when none is left (in the
    caller's transaction; `editing.refresh_current` locks the page row)."""
    from .services.editing import refresh_current

    page = Page.objects.get(pk=page_id)
    refresh_current(page)
    page.refresh_from_db()
    return page


@contextmanager
def refreshing_once():
    """Collect the pages whose revisions change visibility inside the block; refresh each once after."""
    pages: set = set()
    token = _deferred.set(pages)
    try:
        yield pages
    finally:
        _deferred.reset(token)


def remove_all_revisions(member, limit: int, actor=None) -> tuple[int, bool]:
    """Moderation's "remove all content" for the wiki: revert `member`'s edits (see the module's
    docstring); `actor`, the moderator, signs the revisions that undo them. Returns (revisions
    removed, whether more may remain)."""
    from .services.undo import undo_edits

    kind = content.get_kind(REVISION_KIND)
    rows = list(Revision.objects.filter(author=member).exclude(status=Visibility.REMOVED)
                .select_related("page").order_by("-pk")[:limit])
    with transaction.atomic():
        with refreshing_once() as pages:
            removed = [revision for revision in rows if kind.remove(revision)]
        for page_id in sorted(pages):
            page = show_newest_visible(page_id)
            if page.current_revision_id is None:
                _delete_if_only_theirs(page, member)
            else:
                undo_edits(page, [r for r in removed if r.page_id == page_id], member, actor=actor)
    return len(removed), len(rows) == limit


def _delete_if_only_theirs(page: Page, member) -> None:
    """A page `member` alone wrote, with nothing visible left: deleted (restorable), its links red."""
    if page.is_deleted or page.parent_id is None or page.revisions.exclude(author=member).exists():
        return
    if Page.objects.filter(parent=page, is_deleted=False).exists():
        return  # others' pages live under it: keep the (empty) page as their parent
    now = timezone.now()
    Page.objects.filter(pk=page.pk).update(is_deleted=True, deleted_at=now, deleted_by=None)
    Link.objects.filter(target=page).update(target=None)
    PageLog.objects.create(page=page, actor=None, action=PageLog.Action.DELETE, created_at=now,
                           detail={"reason": "remove_all", "member": member.username})


content.register(Revision, name=REVISION_KIND, label=_("Wiki edit"), author="author", text="added_text",
                 list_related=("author", "page"), can_view=can_view_revision, parts=revision_parts,
                 on_visibility_change=revision_visibility_changed, created="created_at",
                 remove_all=remove_all_revisions, url=revision_url)


def _patrol_items(viewer, limit):
    from .views.spine import patrol_rows

    return list(patrol_rows(viewer)[:limit])


def _register_patrol_worklist():
    """The review queue's panel "Wiki edits to patrol (N)" (community.worklists; moderation imports no wiki)."""
    from community import worklists

    from .services.patrol import unpatrolled_count

    worklists.register_worklist("wiki.patrol", label=_("Wiki edits to patrol"), count=unpatrolled_count,
                                url=lambda: reverse("wiki:patrol"), items=_patrol_items,
                                template="wiki/includes/patrol_worklist.html", order=10)


_register_patrol_worklist()
