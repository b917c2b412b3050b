"""Reads of the moderation app: the review queue and the audit log.

The queue is a mixed list (every content kind), paged in the database from the review index
(`ReviewItem`, one row per item under review, kept by moderation.review): a COUNT and one page
query, then the page is batch-loaded with community.content.fetch_mixed (one query per kind on the
page) and decorated with its reports, latest spam checks and authors' post counts (one query each,
one per counting kind). The number of queries never depends on the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.text import Truncator

from community import content
from community.models import SpamStatus, Visibility

from .models import (
    AuditLogEntry,
    Decision,
    Report,
    ReportReason,
    ReportStatus,
    ReviewItem,
    Sanction,
    SpamCheck,
    WatchedWordHit,
)
from .spam import reasons as spam_reasons

SORTS = ("newest", "reported")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class QueueRef:
    kind: str
    object_id: int
    report_count: int = 0
    last_at: datetime = _EPOCH
    held: bool = False


@dataclass
class QueueItem:
    ref: QueueRef
    kind: content.ContentKind
    obj: object | None
    reports: list = field(default_factory=list)
    check: SpamCheck | None = None
    author_posts: int = 0
    words: list = field(default_factory=list)  # WatchedWordHit rows (approve/alert) with their word
    author_sanctions: list = field(default_factory=list)  # the author's sanctions, newest first

    @property
    def dom_id(self):
        return f"item-{self.kind.name.replace('.', '-')}-{self.ref.object_id}"

    @property
    def author(self):
        return self.kind.author(self.obj) if self.obj is not None else None

    @property
    def url(self):
        return self.kind.url(self.obj) if self.obj is not None else ""

    @property
    def excerpt(self):
        return Truncator(self.kind.full_text(self.obj)).chars(400) if self.obj is not None else ""

    @property
    def status(self):
        return self.obj.get_status_display() if self.obj is not None else ""

    @property
    def spam_status(self):
        return self.obj.get_spam_status_display() if self.obj is not None else ""

    @property
    def decisions(self) -> list[tuple[str, str, bool]]:
        """The decisions that make sense for the item as it is now: (value, label, destructive)."""
        if self.obj is None:
            return []
        wanted = fitting_decisions(self.obj.status, self.obj.spam_status, reported=bool(self.reports))
        labels = dict(Decision.choices)
        return [(str(value), labels[value], value in (Decision.REMOVE, Decision.SPAM)) for value in wanted]

    @property
    def spam_reasons(self) -> list[spam_reasons.Reason]:
        """The latest spam check's reasons, explained: (label, evidence, points or None)."""
        return spam_reasons.explain(self.check)

    @property
    def reasons(self):
        labels = dict(ReportReason.choices)
        return [labels[code] for code in sorted({report.reason for report in self.reports})]


def fitting_decisions(status: str, spam_status: str, *, reported: bool) -> list:
    """The decisions that make sense for an item in this state (the queue offers them; `decide`
    refuses the others): nothing to approve on published content nobody reported."""
    is_spam = spam_status == SpamStatus.SPAM
    if status == Visibility.PUBLISHED:
        wanted = [Decision.HIDE, Decision.REMOVE, Decision.SPAM]
        if reported or is_spam:
            wanted.insert(0, Decision.NOT_SPAM if is_spam else Decision.APPROVE)
        return wanted
    if status == Visibility.PENDING:
        return ([Decision.NOT_SPAM, Decision.REMOVE, Decision.SPAM] if is_spam
                else [Decision.APPROVE, Decision.REMOVE, Decision.SPAM])
    if status == Visibility.HIDDEN:
        return [Decision.RESTORE, Decision.REMOVE, Decision.SPAM]
    return [Decision.NOT_SPAM] if is_spam else [Decision.RESTORE, Decision.SPAM]  # removed


def held_filter() -> Q:
    """Held for review (community.content.held_filter)."""
    return content.held_filter()


def queue_rows(*, kind: str | None = None, reason: str | None = None, sort: str = "newest"):
    """Everything to review, as a queryset of the review index (`ReviewItem`), ordered: the
    database pages it (a COUNT and one page query), whatever the number of items."""
    rows = ReviewItem.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if reason:
        reported = Exists(Report.objects.filter(status=ReportStatus.OPEN, kind=OuterRef("kind"),
                                                object_id=OuterRef("object_id"), reason=reason))
        rows = rows.filter(reported | Q(held=True)) if reason == ReportReason.SPAM else rows.filter(reported)
    order = ["-last_at", "-kind", "-object_id"]
    if sort == "reported":
        order.insert(0, "-open_reports")
    return rows.order_by(*order)


def refs_of(rows) -> list[QueueRef]:
    return [QueueRef(row.kind, row.object_id, row.open_reports, row.last_at, row.held) for row in rows]


def queue_refs(*, kind: str | None = None, reason: str | None = None, sort: str = "newest") -> list[QueueRef]:
    """Every item to review, as refs (tests and small tools; pages use `queue_rows` with a Paginator)."""
    return refs_of(queue_rows(kind=kind, reason=reason, sort=sort))


def _targets(refs) -> Q:
    by_kind: dict[str, list[int]] = {}
    for ref in refs:
        by_kind.setdefault(ref.kind, []).append(ref.object_id)
    return reduce(or_, (Q(kind=name, object_id__in=ids) for name, ids in by_kind.items()))


def queue_items(refs: list[QueueRef]) -> list[QueueItem]:
    """Decorate one page of refs, in a number of queries that does not depend on their number."""
    if not refs:
        return []
    found = content.fetch_mixed((ref.kind, ref.object_id) for ref in refs)
    items = [QueueItem(ref=ref, kind=content.get_kind(ref.kind), obj=found.get((ref.kind, ref.object_id)))
             for ref in refs]
    by_key = {(item.ref.kind, item.ref.object_id): item for item in items}
    for report in (Report.objects.filter(_targets(refs), status=ReportStatus.OPEN)
                   .select_related("reporter").order_by("-created_at")):
        by_key[(report.kind, report.object_id)].reports.append(report)
    for check in SpamCheck.objects.filter(_targets(refs)).order_by("-created_at", "-pk"):
        item = by_key.get((check.kind, check.object_id))
        if item is not None and item.check is None:
            item.check = check
    author_ids = {item.kind.author_id(item.obj) for item in items if item.obj is not None}
    counts: dict[int, int] = {}
    if author_ids:
        for each in content.kinds():
            author_field = each.model._meta.get_field(each.author_field)
            if author_field.one_to_one:  # one profile per member: nothing worth counting
                continue
            for author_id, n in (each.model.objects.filter(**{f"{each.author_field}_id__in": author_ids})
                                 .order_by().values(f"{each.author_field}_id").annotate(n=Count("pk"))
                                 .values_list(f"{each.author_field}_id", "n")):
                counts[author_id] = counts.get(author_id, 0) + n
    sanctions_of: dict[int, list] = {}
    if author_ids:
        for sanction in (Sanction.objects.filter(member_id__in=author_ids).select_related("created_by")
                         .order_by("-created_at", "-pk")):
            sanctions_of.setdefault(sanction.member_id, []).append(sanction)
    for hit in WatchedWordHit.objects.filter(_targets(refs)).select_related("word").order_by("pk"):
        item = by_key.get((hit.kind, hit.object_id))
        if item is not None:
            item.words.append(hit)
    for item in items:
        if item.obj is not None:
            author_id = item.kind.author_id(item.obj)
            item.author_posts = counts.get(author_id, 0)
            item.author_sanctions = sanctions_of.get(author_id, [])
    return items


def queue_item(kind: str, object_id: int) -> QueueItem | None:
    """One row of the queue, as it stands now (after an htmx decision)."""
    items = queue_items([QueueRef(kind, object_id)])
    if not items:
        return None
    item = items[0]
    item.ref.report_count = len(item.reports)
    obj = item.obj
    item.ref.held = obj is not None and content.is_held(obj.status, obj.spam_status)
    return item


def audit_log():
    return AuditLogEntry.objects.select_related("actor").order_by("-created_at", "-pk")
