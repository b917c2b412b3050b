"""The curation area's models: what the community managers put on the home page.

- `Feature`: one featured item (a space or a piece: a topic, a post, later a wiki page), named by
  its featuring kind (community.featuring) and id, in the CMs' order, within its dates.
- `Announcement`: a banner at the top of the home page within its dates; a partner's or a sponsor's
  always carries its label and their name (a check constraint: no unnamed sponsor).
- `AnnouncementDismissal`: a member closed a banner (visitors keep theirs in the session).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = ["Feature", "Announcement", "AnnouncementKind", "AnnouncementDismissal"]


class CurrentQuerySet(models.QuerySet):
    """Rows with `starts_at` / `ends_at` (null: no end)."""

    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), starts_at__lte=now)

    def not_ended(self, now=None):
        """Current and scheduled."""
        now = now or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))

    def ended(self, now=None):
        return self.filter(ends_at__lte=now or timezone.now())


class Dated(models.Model):
    starts_at = models.DateTimeField(_("from"), default=timezone.now, db_index=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True, db_index=True,
                                   help_text=_("Empty: until you end it."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        abstract = True

    def state(self, now=None) -> str:
        """"scheduled", "current" or "ended"."""
        now = now or timezone.now()
        if self.ends_at is not None and self.ends_at <= now:
            return "ended"
        return "scheduled" if self.starts_at > now else "current"

    def state_label(self, now=None) -> str:
        return {"scheduled": gettext("Scheduled"), "current": gettext("On the home page"),
                "ended": gettext("Ended")}[self.state(now)]


class Feature(Dated):
    """A space or a piece featured on the home page. `kind` is a name registered with
    community.featuring ("forums.topic", "blogs.space", "blogs.post"…); the item itself is read
    through that registry, so an item deleted or made private meanwhile simply does not show."""

    kind = models.CharField(_("kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("item id"))
    position = models.PositiveIntegerField(_("order"), default=0, db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("For the other community managers: why it is featured."))

    class Meta:
        verbose_name = _("featured item")
        verbose_name_plural = _("featured items")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["kind", "object_id"], name="feature_item_idx")]
        constraints = [
            # An item is featured once at a time; the services check overlapping dates, this
            # catches two open-ended features of one item (a double submit).
            models.UniqueConstraint(fields=["kind", "object_id"], condition=Q(ends_at__isnull=True),
                                    name="feature_open_once"),
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                                   name="feature_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id}"


class AnnouncementKind(models.TextChoices):
    COMMUNITY = "community", _("Community")
    PARTNER = "partner", _("Partner")
    SPONSORED = "sponsored", _("Sponsored")


class Announcement(Dated):
    """A banner at the top of the home page, within its dates, which members may close."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=1000, blank=True,
                            help_text=_("A sentence or two; Markdown (links, bold, italics)."))
    body_html = models.TextField(editable=False, blank=True)
    link_url = models.URLField(_("link"), max_length=500, blank=True,
                               help_text=_("Optional: where “Read more” leads."))
    kind = models.CharField(_("kind"), max_length=16, choices=AnnouncementKind.choices,
                            default=AnnouncementKind.COMMUNITY)
    sponsor_name = models.CharField(_("partner or sponsor"), max_length=120, blank=True,
                                    help_text=_("Shown with the label on a partner's or a sponsored announcement."))
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            # Members must always see who pays or partners: such an announcement names them.
            models.CheckConstraint(condition=Q(kind=AnnouncementKind.COMMUNITY) | ~Q(sponsor_name=""),
                                   name="announcement_sponsor_named"),
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                                   name="announcement_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_paid_or_partner(self) -> bool:
        return self.kind != AnnouncementKind.COMMUNITY

    @property
    def label(self) -> str:
        """What the banner says it is: "" for the community's own, else "Partner" / "Sponsored"."""
        return "" if self.kind == AnnouncementKind.COMMUNITY else str(self.get_kind_display())


class AnnouncementDismissal(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="dismissals")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dismissed announcement")
        constraints = [models.UniqueConstraint(fields=["member", "announcement"], name="announcement_dismissed_once")]

    def __str__(self):
        return f"{self.member_id} dismissed {self.announcement_id}"
