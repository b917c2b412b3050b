"""Patrolling edits: edits by new members (trust level 0, `permissions.edit_needs_patrol`) are saved
unpatrolled; a community manager looks at each (its diff) and marks it patrolled — from the patrol
list, from recent changes or from the review queue's panel. Everyone else's edits are patrolled as
they are saved (one trust system with the forums)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from community.models import Visibility
from community.permissions import check_can_manage_wiki, may_manage_wiki, readable_pages_filter

from ..models import PageLog, Revision

PATROL_MANY_MAX = 200  # revisions per request of `patrol_many`


def unpatrolled(viewer):
    """The edits still waiting for a patrol that `viewer` may read, newest first (the partial index
    on unpatrolled rows). Edits a moderator already hid or removed are not waiting any more."""
    return (Revision.objects.filter(readable_pages_filter(viewer, prefix="page__"), patrolled=False)
            .exclude(status__in=[Visibility.HIDDEN, Visibility.REMOVED])
            .order_by("-created_at", "-pk"))


def unpatrolled_count(viewer) -> int:
    """How many edits wait for `viewer`'s patrol (0 for whoever may not patrol: no query)."""
    if not may_manage_wiki(viewer):
        return 0
    return unpatrolled(viewer).count()


def patrol(*, actor, revision: Revision) -> bool:
    """Mark `revision` patrolled by `actor` (a community manager). Idempotent: returns False when it
    already was (by anyone), and logs nothing then."""
    check_can_manage_wiki(actor)
    now = timezone.now()
    with transaction.atomic():
        changed = Revision.objects.filter(pk=revision.pk, patrolled=False).update(
            patrolled=True, patrolled_by=actor, patrolled_at=now)
        if not changed:
            return False
        PageLog.objects.create(page_id=revision.page_id, actor=actor, action=PageLog.Action.PATROL, created_at=now,
                               detail={"revision": revision.pk, "number": revision.number})
    revision.patrolled, revision.patrolled_by, revision.patrolled_at = True, actor, now
    return True


def patrol_many(*, actor, revisions) -> int:
    """Patrol several revisions at once (at most PATROL_MANY_MAX); returns how many changed."""
    check_can_manage_wiki(actor)
    ids = [revision.pk if isinstance(revision, Revision) else int(revision) for revision in revisions]
    ids = ids[:PATROL_MANY_MAX]
    now = timezone.now()
    with transaction.atomic():
        waiting = list(Revision.objects.select_for_update().filter(pk__in=ids, patrolled=False)
                       .values_list("pk", "page_id", "number"))
        if not waiting:
            return 0
        Revision.objects.filter(pk__in=[pk for pk, _page, _number in waiting]).update(
            patrolled=True, patrolled_by=actor, patrolled_at=now)
        PageLog.objects.bulk_create([
            PageLog(page_id=page_id, actor=actor, action=PageLog.Action.PATROL, created_at=now,
                    detail={"revision": pk, "number": number}) for pk, page_id, number in waiting])
    return len(waiting)
