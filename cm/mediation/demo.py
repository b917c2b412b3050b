"""The mediation area's part of the demo (after moderation's watched words): the brand watch's
alerts on demo content that names Tribune (one taken by a CM), and one open escalation to staff
(the demo's open report). Idempotent: hits are made once per word and item, the escalation once."""

from django.db import transaction

from community.models import User
from moderation import watched
from moderation.models import Report, ReportStatus, WatchedAction, WatchedWord

from ..models import Escalation
from . import escalations, services


@transaction.atomic
def seed_mediation(*, stdout=None) -> None:
    users = {user.username: user for user in User.objects.filter(username__in=["cm", "lea"])}
    hits = []
    for word in WatchedWord.objects.filter(action=WatchedAction.ALERT, enabled=True):
        for match in watched.preview_rule(word.phrase).matches:
            hits += [hit for hit in watched.record_hits(kind=match.kind, obj=match.obj)
                     if hit.action == WatchedAction.ALERT]
    if hits and "lea" in users:
        services.take_alert(actor=users["lea"], hit_id=hits[-1].pk)
    made = 0
    report = Report.objects.filter(status=ReportStatus.OPEN).order_by("pk").first()
    if report is not None and "cm" in users and not Escalation.objects.exists():
        escalations.escalate(actor=users["cm"], target=escalations.report_target(report.pk), note=(
            "This member keeps drifting off-topic after two friendly reminders. Could staff decide whether "
            "a formal warning is due?"))
        made = 1
    if stdout is not None:
        stdout.write(f"  brand watch: {len(hits)} new alerts, {made} escalation")
