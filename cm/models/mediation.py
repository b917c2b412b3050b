"""The mediation area's models: the brand-watch inbox's shared state of each alert, and the CMs'
escalations to staff."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["WatchAlert", "Escalation", "EscalationStatus"]


class WatchAlert(models.Model):
    """What the CMs did with one watched-word alert (a moderation.WatchedWordHit of action "alert"):
    who took it, who closed it. Made on the first "take it" or "done": an alert without a row is open
    and nobody's. Written only by cm.mediation.services (under a row lock)."""

    hit = models.OneToOneField("moderation.WatchedWordHit", on_delete=models.CASCADE, related_name="watch_alert",
                               verbose_name=_("watched-word alert"))
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("taken by"))
    claimed_at = models.DateTimeField(_("taken"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("closed by"))
    done_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("brand-watch alert")
        verbose_name_plural = _("brand-watch alerts")
        indexes = [models.Index(fields=["claimed_by", "done_at"], name="watchalert_mine_idx")]

    def __str__(self):
        return f"alert {self.hit_id}"

    @property
    def is_done(self):
        return self.done_at is not None


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for staff")
    ANSWERED = "answered", _("Answered")


class Escalation(models.Model):
    """A CM hands a matter to staff with a note: a reported or watched item (content kind and id, and
    the report it started from, if any), or a member as a whole (from their card: no item). One
    open escalation per item, and per member without an item (conditional unique constraints).
    Staff answer in the Django admin; cm.mediation.escalations.answer_escalation marks it answered,
    audit-logs it and tells the CM and the member."""

    kind = models.CharField(_("content kind"), max_length=64, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    report = models.ForeignKey("moderation.Report", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("report"))
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="escalations_about", verbose_name=_("member concerned"))
    title = models.CharField(_("item"), max_length=200, blank=True,
                             help_text=_("What the item was called when it was escalated."))
    url = models.CharField(_("link"), max_length=500, blank=True)
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("escalated by"))
    note = models.TextField(_("note to staff"), max_length=4000)
    created_at = models.DateTimeField(_("escalated"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=EscalationStatus.choices,
                              default=EscalationStatus.OPEN)
    answer = models.TextField(_("staff answer"), max_length=4000, blank=True,
                              help_text=_("For the community manager who escalated it."))
    member_message = models.TextField(
        _("message to the member"), max_length=2000, blank=True,
        help_text=_("What the member concerned is told. Leave empty to tell them only that staff "
                    "reviewed the matter."))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], condition=models.Q(status="open", object_id__isnull=False),
                                    name="escalation_one_open_per_item"),
            models.UniqueConstraint(fields=["member"], condition=models.Q(status="open", object_id__isnull=True),
                                    name="escalation_one_open_per_member"),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="escalation_status_idx")]

    def __str__(self):
        if self.object_id:
            return f"{self.kind} #{self.object_id} ({self.status})"
        return f"member {self.member_id} ({self.status})"

    @property
    def is_open(self):
        return self.status == EscalationStatus.OPEN
