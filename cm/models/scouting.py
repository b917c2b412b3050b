"""The scouting area's models: talent scores (written by the nightly job), its runs, CM notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["MemberNote", "Period", "TalentRun", "TalentScore"]


class Period(models.IntegerChoices):
    MONTH = 30, _("30 days")
    QUARTER = 90, _("90 days")
    YEAR = 365, _("365 days")


class TalentScore(models.Model):
    """One member's score over one period, as the last run of `cm.compute_talent_scores` left it.

    `signals` is the why: [{"name", "value", "points"}, …] strongest first; `pieces` their best
    content [{"title", "url", "score", "kind"}, …]; `weekly` the items per week (oldest first: the
    sparkline); `areas` [{"key", "name", "items"}, …]. `media_keys` and `area_keys` repeat the media
    kinds and area keys as "|key|key|" so that the board filters them in SQL on any database."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_scores",
                               verbose_name=_("member"))
    period = models.PositiveSmallIntegerField(_("period"), choices=Period.choices)
    score = models.FloatField(_("score"))
    signals = models.JSONField(_("signals"), default=list, blank=True)
    pieces = models.JSONField(_("best pieces"), default=list, blank=True)
    weekly = models.JSONField(_("activity per week"), default=list, blank=True)
    areas = models.JSONField(_("areas"), default=list, blank=True)
    media_keys = models.CharField(_("media"), max_length=100, blank=True, default="")
    area_keys = models.TextField(_("area keys"), blank=True, default="")
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("talent score")
        verbose_name_plural = _("talent scores")
        constraints = [models.UniqueConstraint(fields=["member", "period"], name="talentscore_once_per_period")]
        indexes = [models.Index(fields=["period", "-score"], name="talentscore_ranking_idx")]

    def __str__(self):
        return f"{self.member_id} over {self.period} days: {self.score:.1f}"

    @property
    def media(self) -> list[str]:
        return [key for key in self.media_keys.split("|") if key]


class TalentRun(models.Model):
    """One run of the scoring job (the board says when scores were last computed)."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    members = models.PositiveIntegerField(_("members scored"), default=0)
    seconds = models.FloatField(_("duration (s)"), default=0)

    class Meta:
        verbose_name = _("talent scoring run")
        verbose_name_plural = _("talent scoring runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.members} members"


class MemberNote(models.Model):
    """A community manager's private note about a member: shown on the member card to CMs and staff,
    never on the public profile. Deleted by its author only."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cm_notes",
                               verbose_name=_("member"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    body = models.TextField(_("note"), max_length=2000)
    fingerprint = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("CM note")
        verbose_name_plural = _("CM notes")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["member", "-created"], name="membernote_member_idx")]

    def __str__(self):
        return f"note on {self.member_id} by {self.author_id}"
