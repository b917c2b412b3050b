"""What moderation brings to the CM workspace's health registry (registered at import, from moderation's
ready()): reports opened and closed, the median time from a report to its decision, decisions taken
in the review queue and spam caught (by the filter, and by CMs) — five queries whatever the volume."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from community import health

from .models import AuditLogEntry, Decision, Report, ReportStatus, SpamCheck, Verdict


def moderation_figures(period: health.Period) -> health.Figures:
    opened, resolved = Q(**period.q("created_at")), Q(**period.q("resolved_at"))
    reports = Report.objects.filter(opened | resolved | Q(status=ReportStatus.OPEN)).aggregate(
        opened=Count("pk", filter=opened), closed=Count("pk", filter=resolved),
        still_open=Count("pk", filter=Q(status=ReportStatus.OPEN)))
    to_decision, _decided = health.median_duration(
        Report.objects.filter(status=ReportStatus.RESOLVED, **period.q("resolved_at")), "resolved_at", "created_at")
    decisions = AuditLogEntry.objects.filter(action__in=Decision.values, **period.q("created_at")).aggregate(
        all=Count("pk"), spam=Count("pk", filter=Q(action=Decision.SPAM)))
    spam_checks = SpamCheck.objects.filter(verdict=Verdict.SPAM)
    caught = health.daily_counts(spam_checks, "created_at", period)
    return health.Figures(
        numbers=[
            health.Number("moderation.reports_opened", _("Reports opened"), reports["opened"]),
            health.Number("moderation.reports_closed", _("Reports closed"), reports["closed"]),
            health.Number("moderation.reports_open", _("Reports open now"), reports["still_open"]),
            health.Number("moderation.time_to_decision", _("Median time from report to decision"), to_decision,
                          unit=health.DURATION, help=_("Over the reports closed during the period.")),
            health.Number("moderation.decisions", _("Review queue decisions"), decisions["all"]),
            health.Number("moderation.spam_filter", _("Spam caught by the filter"), sum(caught)),
            health.Number("moderation.spam_cms", _("Marked as spam by CMs"), decisions["spam"]),
        ],
        daily=[health.Daily("moderation.reports", _("Reports opened per day"),
                            health.daily_counts(Report.objects.all(), "created_at", period)),
               health.Daily("moderation.spam", _("Spam caught by the filter per day"), caught)],
    )


health.register_provider("moderation", title=_("Moderation"), figures=moderation_figures, order=40)
