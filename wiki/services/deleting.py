"""Deleting and restoring pages (community managers). A deletion is soft: the page and the pages
below it are marked deleted (when, by whom), their history is kept, links to them turn red, and
they answer 404 to everyone but community managers (`community.permissions.may_read_page`).
Restoring brings back the page and the sub-pages deleted with it (the same deletion: same time,
same hand — a sub-page deleted on its own before stays deleted), and their links turn blue again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from community import writing
from community.permissions.wiki import check_can_delete_page, check_can_undelete_page

from ..models import Link, Page, PageLog, Redirect
from . import discussion
from .protection import REASON_MAX, audit, tell_watchers


def subtree_of(page: Page):
    return Page.objects.filter(tree_id=page.tree_id, lft__gte=page.lft, rght__lte=page.rght)


def delete(*, actor, page: Page, reason: str = "") -> int:
    """Delete `page` and every page below it that is not deleted yet. Returns how many pages."""
    check_can_delete_page(actor, is_root=page.parent_id is None, deleted=page.is_deleted)
    reason = writing.strip_text(reason or "")[:REASON_MAX]
    now = timezone.now()
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        check_can_delete_page(actor, is_root=page.parent_id is None, deleted=page.is_deleted)
        ids = list(subtree_of(page).filter(is_deleted=False).values_list("pk", flat=True))
        Page.objects.filter(pk__in=ids).update(is_deleted=True, deleted_at=now, deleted_by=actor)
        Link.objects.filter(target_id__in=ids).update(target=None)
        discussion.follow_pages(actor=actor, ids=ids)  # their topics: community managers only
        detail = {"pages": len(ids), "reason": reason}
        PageLog.objects.create(page=page, actor=actor, action=PageLog.Action.DELETE, detail=detail, created_at=now)
        audit(actor=actor, action="wiki_delete", page=page, reason=reason, detail={"pages": len(ids)})
        tell_watchers(actor=actor, page=page, action="delete", detail=detail)
    return len(ids)


def undelete(*, actor, page: Page, reason: str = "") -> int:
    """Restore `page` and the sub-pages deleted with it. Returns how many pages."""
    parent_deleted = page.parent_id is not None and Page.objects.filter(pk=page.parent_id, is_deleted=True).exists()
    check_can_undelete_page(actor, deleted=page.is_deleted, parent_deleted=parent_deleted)
    reason = writing.strip_text(reason or "")[:REASON_MAX]
    now = timezone.now()
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        check_can_undelete_page(actor, deleted=page.is_deleted, parent_deleted=parent_deleted)
        batch = subtree_of(page).filter(is_deleted=True, deleted_at=page.deleted_at)
        restored = dict(batch.values_list("pk", "path"))
        restored[page.pk] = page.path
        Page.objects.filter(pk__in=restored).update(is_deleted=False, deleted_at=None, deleted_by=None)
        discussion.follow_pages(actor=actor, ids=restored)  # their topics: back to their pages' level
        # Links to their paths, and to the old paths that redirect to them, turn blue again.
        Link.objects.filter(target_path__in=restored.values(), target__isnull=True).update(
            target=Subquery(Page.objects.filter(path=OuterRef("target_path")).values("pk")[:1]))
        Link.objects.filter(target__isnull=True, target_path__in=Redirect.objects.filter(
            page_id__in=restored).values("old_path")).update(
            target=Subquery(Redirect.objects.filter(old_path=OuterRef("target_path")).values("page_id")[:1]))
        detail = {"pages": len(restored), "reason": reason}
        PageLog.objects.create(page=page, actor=actor, action=PageLog.Action.UNDELETE, detail=detail, created_at=now)
        audit(actor=actor, action="wiki_undelete", page=page, reason=reason, detail={"pages": len(restored)})
        page.is_deleted, page.deleted_at, page.deleted_by = False, None, None
        tell_watchers(actor=actor, page=page, action="undelete", detail=detail)
    return len(restored)
