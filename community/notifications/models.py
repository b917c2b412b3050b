"""Notification models (imported by community.models so that Django sees them)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ONSITE = "onsite", _("On the site only")
    IMMEDIATE = "immediate", _("Email at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


class EmailStatus(models.TextChoices):
    NONE = "none", _("No email")
    PENDING = "pending", _("To send at once")
    DIGEST = "digest", _("Waiting for a digest")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")


class Notification(models.Model):
    """One thing a member is told about. Unique per (recipient, event): the fan-out of an event
    can run twice (redelivery, sweeper) without telling anyone twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=40)
    event = models.ForeignKey("community.Event", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="notifications")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("actor"))
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Several notifications about the same thing ("X and 3 others replied to …") share a key.
    group_key = models.CharField(max_length=120, db_index=True)
    # What the list and the email show, captured at fan-out: title, url, excerpt.
    data = models.JSONField(default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONSITE)
    email_status = models.CharField(_("email"), max_length=16, choices=EmailStatus.choices,
                                    default=EmailStatus.NONE, db_index=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient", "group_key"], name="notification_group_idx"),
            # The notifications about one item (their excerpts follow its edits).
            models.Index(fields=["target_type", "target_id"], name="notification_target_idx"),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"

    @property
    def url(self):
        return self.data.get("url", "")


class NotificationPreference(models.Model):
    """A member's channel for one kind; absent means the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=40)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.channel}"


class AlertSettings(models.Model):
    """Staff hygiene for community managers: quiet hours during which alerts wait for the digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings")
    quiet_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")

    class Meta:
        verbose_name = _("alert settings")
        verbose_name_plural = _("alert settings")

    def __str__(self):
        return f"alerts of {self.user_id}"
