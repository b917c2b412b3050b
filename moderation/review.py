"""The review index (`ReviewItem`): what the review queue pages, kept in step with the content.

- `on_content_state(kind, obj)` is the content protocol's state listener: called in the writer's
  transaction whenever a row of any kind is created, edited, re-judged (spam) or changes status.
  A held item (awaiting review, or judged spam while public) gets or keeps its row; a released one
  loses it unless reports are open. A new row that is not held costs no query.
- `reported(kind, pk)` / `resolved(kind, pk)` are called by the report services.
- `rebuild()` recomputes the whole index from the content and the open reports (a migration, or
  `manage.py rebuild_review_index` after a restore from backup).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max
from django.db.models.functions import Greatest
from django.utils import timezone

from community import content

from .models import Report, ReportStatus, ReviewItem


def on_content_state(kind, obj, *, created: bool = False) -> None:
    held = content.is_held(kind.status(obj), kind.spam_status(obj))
    if held:
        _upsert(kind.name, obj.pk, held=True)
    elif not created:  # a brand-new row has no index row to update
        _release(kind.name, obj.pk)


def _upsert(kind_name: str, object_id: int, *, held: bool) -> None:
    now = timezone.now()
    ReviewItem.objects.bulk_create([ReviewItem(kind=kind_name, object_id=object_id, held=held, last_at=now)],
                                   update_conflicts=True, unique_fields=["kind", "object_id"],
                                   update_fields=["held", "last_at"])


def _release(kind_name: str, object_id: int) -> None:
    rows = ReviewItem.objects.filter(kind=kind_name, object_id=object_id)
    rows.filter(open_reports=0).delete()
    rows.filter(held=True).update(held=False)


def reported(kind_name: str, object_id: int, *, at=None) -> None:
    """One more open report on the item (in the report's transaction)."""
    at = at or timezone.now()
    rows = ReviewItem.objects.filter(kind=kind_name, object_id=object_id)
    if rows.update(open_reports=F("open_reports") + 1, last_at=at):
        return
    try:
        with transaction.atomic():
            ReviewItem.objects.create(kind=kind_name, object_id=object_id, open_reports=1, last_at=at)
    except IntegrityError:  # created meanwhile by a concurrent report or hold
        rows.update(open_reports=F("open_reports") + 1, last_at=at)


def resolved(kind_name: str, object_id: int, count: int) -> None:
    """`count` open reports of the item were resolved (in the decision's transaction, after the
    item's new status was applied, so `held` is current). Only those are subtracted: a report filed
    while the decision ran (not among the resolved ones) keeps the item in the queue."""
    rows = ReviewItem.objects.filter(kind=kind_name, object_id=object_id)
    if count:
        rows.update(open_reports=Greatest(F("open_reports") - count, 0))
    rows.filter(held=False, open_reports=0).delete()


def rebuild(*, existing_tables_only: bool = False) -> int:
    """Recompute the index from scratch: held rows of every registered kind, plus open reports.
    Returns the number of rows. Runs in one transaction that first locks the index against writers
    (on PostgreSQL), so an item held or reported meanwhile waits and is not lost.
    `existing_tables_only` (migrations): skip the kinds whose table a later migration creates."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {ReviewItem._meta.db_table} IN EXCLUSIVE MODE")
        return _rebuild(existing_tables_only=existing_tables_only)


def _rebuild(*, existing_tables_only: bool) -> int:
    now = timezone.now()
    tables = set(connection.introspection.table_names()) if existing_tables_only else None
    wanted: dict[tuple[str, int], ReviewItem] = {}
    for kind_name, object_id, count, last in (Report.objects.filter(status=ReportStatus.OPEN).order_by()
                                              .values("kind", "object_id")
                                              .annotate(n=Count("pk"), last=Max("created_at"))
                                              .values_list("kind", "object_id", "n", "last")):
        wanted[(kind_name, object_id)] = ReviewItem(kind=kind_name, object_id=object_id, open_reports=count,
                                                    last_at=last)
    for kind in content.kinds():
        if tables is not None and kind.model._meta.db_table not in tables:
            continue
        for pk in kind.model.objects.filter(content.held_filter()).order_by().values_list("pk", flat=True).iterator():
            item = wanted.setdefault((kind.name, pk), ReviewItem(kind=kind.name, object_id=pk, last_at=now))
            item.held = True
    ReviewItem.objects.all().delete()
    ReviewItem.objects.bulk_create(wanted.values(), batch_size=2000)
    return len(wanted)


def drop_gone(refs) -> int:
    """Forget items whose content no longer exists (deleted in the admin, a member's account
    deleted): the queue found no row for them. Returns how many index rows went."""
    gone = 0
    for kind_name, object_id in refs:
        gone += ReviewItem.objects.filter(kind=kind_name, object_id=object_id).delete()[0]
    return gone
