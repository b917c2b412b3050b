"""Escalations: a CM hands a matter to staff with a note — a reported or watched item, a report, or a
member as a whole — and staff answer it (the Django admin). One open escalation per item (and per
member without an item): a second escalation of the same matter (a double submit, another CM) adds
its note to the open one. Staff learn of it at once; the answer tells the CM and the member."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from community import content, events, replying
from community.models import User
from community.permissions.mediation import check_can_answer_escalation, check_can_escalate
from moderation.models import AuditLogEntry, Report

from ..models import Escalation, EscalationStatus
from .events import ESCALATED, ESCALATION_ANSWERED

ESCALATION_KIND = "cm.escalation"  # AuditLogEntry.kind (object_id: the escalation's id)
NOTE_MAX = 4000


class TargetGone(ObjectDoesNotExist):
    """The item, report or member to escalate does not exist."""


@dataclass
class Target:
    """What is escalated: an item (kind, id, the row), the report it comes from, the member concerned."""

    kind: content.ContentKind | None = None
    obj: object | None = None
    report: Report | None = None
    member: User | None = None

    @property
    def object_id(self):
        return self.obj.pk if self.obj is not None else None

    @property
    def title(self) -> str:
        """Where the item lives (its topic, its post), never its own text (it may be removed)."""
        if self.obj is None:
            return ""
        place = replying.place(self.kind.name, self.obj)
        return Truncator(place or f"{self.kind.label} #{self.obj.pk}").chars(200)

    @property
    def url(self) -> str:
        return self.kind.url(self.obj) if self.obj is not None else ""

    def open_escalation(self):
        rows = Escalation.objects.filter(status=EscalationStatus.OPEN)
        if self.obj is not None:
            return rows.filter(kind=self.kind.name, object_id=self.obj.pk)
        return rows.filter(member=self.member, object_id__isnull=True)


def item_target(kind_name: str, object_id: int, *, report: Report | None = None) -> Target:
    if not content.is_registered(kind_name):
        raise TargetGone(kind_name)
    kind = content.get_kind(kind_name)
    obj = kind.fetch([object_id]).get(object_id)
    if obj is None:
        raise TargetGone(f"{kind_name} #{object_id}")
    return Target(kind=kind, obj=obj, report=report, member=kind.author(obj))


def report_target(report_id: int) -> Target:
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        raise TargetGone(f"report #{report_id}")
    return item_target(report.kind, report.object_id, report=report)


def member_target(username: str) -> Target:
    member = User.objects.filter(username=username).first()
    if member is None:
        raise TargetGone(username)
    return Target(member=member)


def _add_note(escalation: Escalation, actor, note: str) -> None:
    """A second escalation of the same matter: its note joins the open one (unless it says the same)."""
    if note in escalation.note:
        return
    escalation.note = f"{escalation.note}\n\n— @{actor.username}: {note}"[:NOTE_MAX]
    escalation.save(update_fields=["note"])


def escalate(*, actor, target: Target, note: str) -> tuple[Escalation, bool]:
    """Escalate `target` to staff with `note`. Returns (escalation, created): when the matter is
    already escalated and still open, the note is added to that escalation (created is False)."""
    check_can_escalate(actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Tell staff what the matter is: the note is required."), code="required")
    with transaction.atomic():
        existing = target.open_escalation().select_for_update().first()
        if existing is not None:
            _add_note(existing, actor, note)
            return existing, False
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    kind=target.kind.name if target.kind else "", object_id=target.object_id, report=target.report,
                    member=target.member, title=target.title, url=target.url, escalated_by=actor, note=note[:NOTE_MAX])
        except IntegrityError:  # the same matter escalated at the same moment (a double submit)
            existing = target.open_escalation().select_for_update().first()
            if existing is None:
                raise
            _add_note(existing, actor, note)
            return existing, False
        AuditLogEntry.objects.create(
            actor=actor, action="escalation_open", kind=ESCALATION_KIND, object_id=escalation.pk,
            reason=Truncator(note).chars(500),
            detail={"kind": escalation.kind, "object_id": escalation.object_id, "report": escalation.report_id,
                    "member": target.member.username if target.member else ""})
        events.record_event(ESCALATED, actor=actor, target=escalation, payload={"escalation": escalation.pk})
    return escalation, True


def answer_escalation(*, actor, escalation: Escalation, answer: str, member_message: str = "") -> bool:
    """Staff answer an open escalation: it is marked answered, audit-logged, and the CM who escalated
    it reads the answer; the member concerned is told that staff reviewed the matter, with
    `member_message` if staff wrote one. Returns False if it was already answered (nothing changes)."""
    check_can_answer_escalation(actor)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("Write the answer for the community manager."), code="required")
    with transaction.atomic():
        row = Escalation.objects.select_for_update().filter(pk=escalation.pk).first()
        if row is None or row.status != EscalationStatus.OPEN:
            return False
        row.status = EscalationStatus.ANSWERED
        row.answer, row.member_message = answer[:NOTE_MAX], (member_message or "").strip()[:2000]
        row.answered_by, row.answered_at = actor, timezone.now()
        row.save(update_fields=["status", "answer", "member_message", "answered_by", "answered_at"])
        AuditLogEntry.objects.create(
            actor=actor, action="escalation_answer", kind=ESCALATION_KIND, object_id=row.pk,
            reason=Truncator(answer).chars(500), detail={"kind": row.kind, "object_id": row.object_id})
        events.record_event(ESCALATION_ANSWERED, actor=actor, target=row, key=f"escalation-answered:{row.pk}:cm",
                            payload={"escalation": row.pk, "audience": "cm"})
        if row.member_id is not None:
            events.record_event(ESCALATION_ANSWERED, actor=actor, target=row,
                                key=f"escalation-answered:{row.pk}:member",
                                payload={"escalation": row.pk, "audience": "member", "member_url": _member_url(row)})
    escalation.__dict__.update({field: getattr(row, field) for field in (
        "status", "answer", "member_message", "answered_by_id", "answered_at")})
    return True


def _member_url(escalation: Escalation) -> str:
    """Where the member's notification leads: the item while it is public, else nowhere (the inbox)."""
    if not escalation.object_id or not content.is_registered(escalation.kind):
        return ""
    kind = content.get_kind(escalation.kind)
    obj = kind.fetch([escalation.object_id]).get(escalation.object_id)
    return kind.url(obj) if obj is not None and kind.is_public(obj) else ""
