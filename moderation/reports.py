"""Reports and decisions: members report any content kind, CMs decide in the review queue.

Public entry points authorize through community.permissions and write in one transaction; each
decision resolves the item's open reports, writes the audit log and records an outbox Event whose
notification source (moderation.notifications) tells the reporters and the author.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import content, events
from community.models import SpamStatus, Visibility
from community.notifications.services import announce_publication
from community.permissions import check_can_moderate, check_can_report

from . import review
from .events import DECISION, REPORT
from .models import AuditLogEntry, Decision, Report, ReportReason, ReportStatus
from .services import learn_from_decision, remember_domains

REPORTS_PER_HOUR = 20




class ContentGone(ObjectDoesNotExist):
    """The (kind, id) names no row."""


class TooManyReports(Exception):
    """The member filed more than REPORTS_PER_HOUR reports in the last hour (HTTP 429)."""


def get_item(kind_name: str, object_id: int):
    """(kind, obj) from a content-protocol name and an id. Raises ContentGone for an unknown kind or id."""
    try:
        kind = content.get_kind(kind_name)
    except KeyError:
        raise ContentGone(kind_name) from None
    obj = kind.fetch([object_id]).get(object_id)
    if obj is None:
        raise ContentGone(f"{kind_name} #{object_id}")
    return kind, obj


def report_content(*, actor, kind_name: str, object_id: int, reason: str, note: str = "") -> tuple[Report, bool]:
    """File a report; returns (report, created). A second open report by the same member on the
    same item updates its reason and note instead of adding one.

    Raises ContentGone, PermissionDenied / Http404 (community.permissions.check_can_report),
    ValueError for an unknown reason, TooManyReports past the hourly limit."""
    reporter = actor
    kind, obj = get_item(kind_name, object_id)
    check_can_report(reporter, obj)
    reason = ReportReason(reason)
    note = (note or "").strip()
    with transaction.atomic():
        existing = Report.objects.select_for_update().filter(
            reporter=reporter, kind=kind.name, object_id=obj.pk, status=ReportStatus.OPEN).first()
        if existing is not None:
            existing.reason, existing.note = reason, note
            existing.save(update_fields=["reason", "note"])
            return existing, False
        since = timezone.now() - timedelta(hours=1)
        if Report.objects.filter(reporter=reporter, created_at__gte=since).count() >= REPORTS_PER_HOUR:
            raise TooManyReports
        try:
            with transaction.atomic():
                report = Report.objects.create(reporter=reporter, kind=kind.name, object_id=obj.pk,
                                               reason=reason, note=note)
        except IntegrityError:  # the same member, twice at once: the other request won
            report = Report.objects.get(reporter=reporter, kind=kind.name, object_id=obj.pk,
                                        status=ReportStatus.OPEN)
            return report, False
        review.reported(kind.name, obj.pk, at=report.created_at)
        events.record_event(REPORT, actor=reporter, payload={
            "kind": kind.name, "object_id": obj.pk, "reason": str(reason), "report": report.pk})
    return report, True


def decide(*, actor, kind_name: str, object_id: int, decision: str, reason: str = "") -> Decision:
    """Apply a CM's decision to one item through the content protocol, resolve its open reports,
    write the audit log and tell the reporters and the author (after commit, via the outbox).

    approve: restore + not spam · hide · remove · restore · spam: remove + spam, trains the
    classifier · not_spam: not spam + restore, trains the classifier. Nothing is deleted.
    Raises PermissionDenied, ContentGone, ValueError (unknown decision)."""
    check_can_moderate(actor)
    decision = Decision(decision)
    kind, obj = get_item(kind_name, object_id)
    with transaction.atomic():
        # Read the item's state under its row lock: a double click waits here and then sees the
        # first click's result (and changes nothing, below).
        current = (kind.model.objects.select_for_update(no_key=True).filter(pk=obj.pk)
                   .values("status", "spam_status").first())
        if current is None:
            raise ContentGone()
        obj.status, obj.spam_status = current["status"], current["spam_status"]
        before = {"status": kind.status(obj), "spam_status": kind.spam_status(obj)}
        learn = None
        if decision == Decision.APPROVE:
            kind.set_spam_status(obj, SpamStatus.HAM)
            kind.restore(obj)
            remember_domains(kind.full_text(obj))  # a CM vouched for its links
        elif decision == Decision.HIDE:
            kind.hide(obj)
        elif decision == Decision.REMOVE:
            kind.remove(obj)
        elif decision == Decision.RESTORE:
            kind.restore(obj)
        elif decision == Decision.SPAM:
            kind.set_spam_status(obj, SpamStatus.SPAM)
            kind.remove(obj)
            learn = True
        elif decision == Decision.NOT_SPAM:
            kind.set_spam_status(obj, SpamStatus.HAM)
            kind.restore(obj)
            learn = False
        if learn is not None:
            # A double click must not teach the classifier the same lesson twice.
            last = (AuditLogEntry.objects.filter(kind=kind.name, object_id=obj.pk)
                    .values_list("action", flat=True).first())
            if last != decision:
                learn_from_decision(text=kind.full_text(obj), is_spam=learn)
        now = timezone.now()
        reports = Report.objects.select_for_update().filter(kind=kind.name, object_id=obj.pk,
                                                            status=ReportStatus.OPEN)
        reporter_ids = sorted(set(reports.values_list("reporter_id", flat=True)))
        after = {"status": kind.status(obj), "spam_status": kind.spam_status(obj)}
        if after == before and not reporter_ids:
            # Nothing changed and nobody to answer: a double click, or a decision that does nothing
            # (approving published content nobody reported) — nothing to log, nobody to tell.
            return decision
        resolved = reports.update(status=ReportStatus.RESOLVED, resolved_at=now, resolved_by=actor, outcome=decision)
        review.resolved(kind.name, obj.pk, resolved)
        AuditLogEntry.objects.create(
            actor=actor, action=decision, kind=kind.name, object_id=obj.pk, reason=reason[:500], created_at=now,
            detail={"before": before, "after": {"status": kind.status(obj), "spam_status": kind.spam_status(obj)},
                    "reports_resolved": len(reporter_ids), "author": kind.author_id(obj)})
        if before["status"] == Visibility.PENDING and kind.status(obj) == Visibility.PUBLISHED:
            announce_publication(obj)
        # No event target: a removed item is invisible to its author, yet they must hear of it.
        events.record_event(DECISION, actor=actor, payload={
            "kind": kind.name, "object_id": obj.pk, "decision": str(decision), "reporters": reporter_ids,
            "author": kind.author_id(obj)})
    return decision


def decision_message(decision: Decision) -> str:
    return {
        Decision.APPROVE: _("Approved."),
        Decision.HIDE: _("Hidden."),
        Decision.REMOVE: _("Removed."),
        Decision.RESTORE: _("Restored."),
        Decision.SPAM: _("Marked as spam and removed."),
        Decision.NOT_SPAM: _("Marked as not spam and restored."),
    }[decision]
