"""Protection: who may read a page and who may edit it (community managers decide). Enforced
where it matters: `@page_view` reads `read_level`, `editing.save_revision` asks
`check_can_edit_page` with `edit_level`. Every change is written to the page's log and to the
moderation audit log, and the page's watchers who may still read it are told."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import events, writing
from community.permissions.wiki import check_can_protect_page

from ..events import PAGE_CHANGED
from ..models import Page, PageLog
from . import discussion

REASON_MAX = 300
AUDIT_KIND = "wiki.page"  # AuditLogEntry.kind for actions on wiki pages


def audit(*, actor, action: str, page: Page, reason: str = "", detail: dict | None = None) -> None:
    """The moderation audit log's entry for a CM's action on a page (in the caller's transaction)."""
    from moderation.models import AuditLogEntry

    AuditLogEntry.objects.create(actor=actor, action=action, kind=AUDIT_KIND, object_id=page.pk,
                                 reason=reason[:500], detail={"path": page.path, "title": page.title,
                                                              **(detail or {})})


def tell_watchers(*, actor, page: Page, action: str, detail: dict) -> None:
    """Record the page's change for its watchers (wiki.notifications has the source)."""
    events.record_event(PAGE_CHANGED, actor=actor, target=page,
                        payload={"action": action, "title": page.title, "path": page.path, **detail})


def protect(*, actor, page: Page, edit_level: int, read_level: int, reason: str = "") -> PageLog | None:
    """Set the page's read and edit levels. Returns the log entry, or None when nothing changed."""
    check_can_protect_page(actor, read_level_needed=read_level, edit_level=edit_level)
    reason = writing.strip_text(reason or "")[:REASON_MAX]
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        old = {"read_level": locked.read_level, "edit_level": locked.edit_level}
        new = {"read_level": read_level, "edit_level": edit_level}
        if old == new:
            raise ValidationError(_("These are the page's levels already: nothing changed."))
        Page.objects.filter(pk=locked.pk).update(**new)
        page.read_level, page.edit_level = read_level, edit_level
        locked.read_level, locked.edit_level = read_level, edit_level
        # The page's forum topic names it: it follows the page's read level (up, or back down).
        discussion.follow_page(actor=actor, page=locked)
        detail = {"old": old, "new": new, "reason": reason}
        entry = PageLog.objects.create(page=locked, actor=actor, action=PageLog.Action.PROTECT, detail=detail,
                                       created_at=timezone.now())
        audit(actor=actor, action="wiki_protect", page=page, reason=reason, detail={"old": old, "new": new})
        tell_watchers(actor=actor, page=page, action="protect", detail={"reason": reason, **new})
    return entry
