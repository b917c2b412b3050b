"""The casting area's models: a CM's invitation of a member into a featured space (or the guest-expert
badge) with its term, and the history of every step taken about it.

The space itself belongs to the app that hosts spaces (blogs): a casting knows it by `space_id`
and reads it through community.spaces. `space_state` mirrors the space's state (active, paused,
retired) as casting's services set it, so the workspace's lists are sorted and paginated in SQL."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from community import spaces

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _local_date(found) -> str:
    try:
        return date_format(date.fromisoformat(found.group(0)), "SHORT_DATE_FORMAT")
    except ValueError:  # not a date after all (a member's own words in a note): as written
        return found.group(0)


__all__ = ["GUEST_EXPERT", "INVITATION_VALID_DAYS", "Casting", "CastingStatus", "CastingStep", "StepAction"]

# The kind of casting that gives a badge, not a space (the Guest experts role).
GUEST_EXPERT = "guest_expert"
# An invitation is answered within this many days of being sent (and before its term is over).
INVITATION_VALID_DAYS = 30


class CastingStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Current")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    ENDED = "ended", _("Ended")
    REVOKED = "revoked", _("Revoked")


class StepAction(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Invitation withdrawn")
    EXPIRED = "expired", _("Invitation expired")
    PAUSED = "paused", _("Space paused")
    RESUMED = "resumed", _("Space resumed")
    RETIRED = "retired", _("Space retired to the archive")
    RENEWED = "renewed", _("Term renewed")
    ENDED = "ended", _("Term ended")
    TERM_OVER = "term_over", _("Term reached its end")
    HANDED_OVER = "handed_over", _("Space handed over")
    RECEIVED = "received", _("Space received")
    REVOKED = "revoked", _("Guest-expert badge revoked")
    REMINDED = "reminded", _("Reminder sent: the term ends soon")


class Casting(models.Model):
    """One invitation and, once accepted, one term. `kind` is a kind of space offered by the host
    (column, video, photo, podcast…) or "guest_expert"."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="castings")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cast by"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("space title"), max_length=200, blank=True)
    message = models.TextField(_("invitation"), max_length=4000, blank=True)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    status = models.CharField(_("status"), max_length=16, choices=CastingStatus.choices,
                              default=CastingStatus.INVITED, db_index=True)
    space_id = models.PositiveBigIntegerField(_("space"), null=True, blank=True, db_index=True)
    space_state = models.CharField(_("space state"), max_length=16, choices=spaces.STATES, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The end date a "term ends soon" reminder was sent for (once per term; a renewal asks again).
    reminded_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("casting")
        verbose_name_plural = _("castings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per member and kind: a double submit, or two CMs at once, give one.
            models.UniqueConstraint(fields=["member", "kind"], condition=models.Q(status="invited"),
                                    name="casting_one_open_invitation"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="casting_term_in_order"),
        ]
        indexes = [models.Index(fields=["status", "ends_on"], name="casting_status_end_idx")]

    def __str__(self):
        return f"casting {self.pk}: {self.member_id} as {self.kind} ({self.status})"

    @property
    def is_guest_expert(self) -> bool:
        return self.kind == GUEST_EXPERT

    @property
    def kind_label(self):
        if self.is_guest_expert:
            return _("Guest expert")
        return spaces.kind_label(self.kind)

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=INVITATION_VALID_DAYS)

    @property
    def is_expired(self) -> bool:
        """An open invitation past its validity, or whose term is already over."""
        if self.status == CastingStatus.EXPIRED:
            return True
        return (self.status == CastingStatus.INVITED
                and (self.expires_at <= timezone.now() or self.ends_on < timezone.localdate()))

    @property
    def is_open(self) -> bool:
        return self.status == CastingStatus.INVITED and not self.is_expired

    @property
    def holds_space(self) -> bool:
        """This casting's member holds its space now (not handed over): its space steps apply."""
        return bool(self.space_id and self.space_state)

    @property
    def space_state_label(self):
        return spaces.STATE_LABELS.get(self.space_state, "")


class CastingStep(models.Model):
    """One step of a casting (invited, accepted, paused, renewed, handed over…): its history, per member
    and per space. Written by casting's services in the transaction of the step itself."""

    casting = models.ForeignKey(Casting, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=16, choices=StepAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("casting step")
        verbose_name_plural = _("casting steps")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action} on casting {self.casting_id}"

    @property
    def note_shown(self):
        """The note as read in the viewer's language: the ISO dates steps keep (a renewal's
        "2026-12-17 → 2027-12-17", a reminder's end date) in the local date format."""
        return ISO_DATE.sub(_local_date, self.note)
