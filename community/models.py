"""The shared core's models: the one User, its Profile, and the outbox of durable Events."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import identity


class Visibility(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting review")
    HIDDEN = "hidden", _("Hidden")
    REMOVED = "removed", _("Removed")


class SpamStatus(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    HAM = "ham", _("Not spam")
    SPAM = "spam", _("Spam")


class ModeratedContent(models.Model):
    """Fields every piece of member content carries (the content spine, DESIGN.md).

    Services set them; the content protocol (community.content) reads and changes them.
    """

    status = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLISHED,
        db_index=True,
    )
    spam_status = models.CharField(
        _("spam check"), max_length=16, choices=SpamStatus.choices, default=SpamStatus.PENDING,
        db_index=True,
    )

    class Meta:
        abstract = True

    @property
    def is_visible(self):
        return self.status == Visibility.PUBLISHED


# Sent with the ids of users whose rows an update() or bulk_update() wrote (save() and delete() send
# Django's own signals): community.signed_in retires the cached rows.
user_rows_written = Signal()


class UserQuerySet(models.QuerySet):
    """Writes to the user table that bypass `save()` still retire the signed-in member's cached row
    (community.signed_in, through `user_rows_written`): the rows an update touches are named first."""

    def update(self, **kwargs):
        return self.update_known(list(self.values_list("pk", flat=True)), **kwargs)

    def update_known(self, ids, **kwargs):
        """`update()` when the caller knows the ids of the rows it touches (no query to name them)."""
        count = super().update(**kwargs)
        user_rows_written.send(sender=self.model, ids=list(ids))
        return count

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        count = super().bulk_update(objs, fields, batch_size=batch_size)
        user_rows_written.send(sender=self.model, ids=[obj.pk for obj in objs])
        return count


class UserManager(AuthUserManager.from_queryset(UserQuerySet)):
    def confusable_with(self, username: str, *, exclude_pk=None):
        """The members whose username is `username` or looks like it (same skeleton, or the same
        letters in another case: a look-alike kept from before skeletons has none)."""
        members = self.filter(Q(username_skeleton=identity.skeleton(username)) | Q(username__iexact=username))
        return members.exclude(pk=exclude_pk) if exclude_pk is not None else members


class User(AbstractUser):
    """The one user model. Sanction state is denormalized here so that every request can check
    it without a query (moderation writes the history; these fields are its current effect).

    `username_skeleton` (community.identity.skeleton) is unique: no two usernames look alike. It is
    kept by save() whenever the username changes (signup, the admin, seeds, createsuperuser);
    clean() refuses a look-alike with a form error, and the unique index settles a race.
    """

    email = models.EmailField(_("email address"), unique=True)
    username_skeleton = models.CharField(max_length=identity.SKELETON_MAX, unique=True, null=True, blank=True,
                                         editable=False)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True,
        help_text=_("Leave empty to follow your browser."),
    )
    silenced_until = models.DateTimeField(_("silenced until"), null=True, blank=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    banned_at = models.DateTimeField(_("banned at"), null=True, blank=True)
    # 0: a new member under the new-member limits (moderation.trust); 1: established.
    trust_level = models.PositiveSmallIntegerField(
        _("trust level"), default=0, choices=[(0, _("New member (limited)")), (1, _("Member"))],
        help_text=_("New members have limits on links and posting speed, and their posts are checked "
                    "before they show. Lifted automatically after a day and three clean posts."))
    # Unacknowledged warnings, kept by moderation.sanctions: the site-wide banner costs no query.
    pending_warnings = models.PositiveSmallIntegerField(default=0, editable=False)
    # The bell's number, kept by the notification services: no query on any page.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["username"]
        permissions = [
            ("post_content", _("Can post in the community")),
            ("own_featured_space", _("Can own a featured contributor space")),
            ("moderate_content", _("Can moderate content and members")),
            ("use_cm_workspace", _("Can use the community manager workspace")),
            ("cast_members", _("Can cast members into featured spaces")),
        ]

    objects = UserManager()

    # The username as last read from or written to the database (save() recomputes the skeleton
    # only when it changes, so a look-alike kept without one by the migration can still be edited).
    _stored_username = None

    def __str__(self):
        return self.username

    def _from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user.after_load()
        return user

    _from_db.only_adds_after_load = True  # community.prepared builds instances the same way
    from_db = classmethod(_from_db)
    del _from_db

    def after_load(self):
        """What from_db adds to Django's (community.prepared builds instances the same way)."""
        self._stored_username = self.__dict__.get("username")

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "username" in fields:
            self._stored_username = self.__dict__.get("username")

    def _username_changed(self) -> bool:
        return self._state.adding or self.username != self._stored_username

    def clean(self):
        super().clean()  # the username in NFKC, the email normalized
        if not self.username or not self._username_changed():
            return
        try:  # staff may give a reserved name (the demo's `admin`); nobody a look-alike
            self.username = identity.check_username_text(self.username, allow_reserved=True)
        except ValidationError as exc:
            raise ValidationError({"username": exc.error_list}) from None
        if type(self).objects.confusable_with(self.username, exclude_pk=self.pk).exists():
            raise ValidationError({"username": identity.taken_error()})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        writes_username = update_fields is None or "username" in update_fields
        if writes_username and self._username_changed():
            found = identity.skeleton(self.username)
            self.username_skeleton = found if len(found) <= identity.SKELETON_MAX else None
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        super().save(*args, **kwargs)
        if writes_username:
            self._stored_username = self.username

    @property
    def name(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("community:profile", kwargs={"username": self.username})

    @property
    def is_banned(self):
        return self.banned_at is not None

    def is_suspended_at(self, now=None):
        return self.suspended_until is not None and self.suspended_until > (now or timezone.now())

    def is_silenced_at(self, now=None):
        return self.silenced_until is not None and self.silenced_until > (now or timezone.now())


AVATAR_EXTENSIONS = ("png", "jpg", "gif", "webp")


def avatar_path(instance, filename):
    """Where an avatar is stored: named by the member and the time, never by the client's file name.
    `filename` is the re-encoded file's (community.avatars names it by its real format); an
    extension outside the four an avatar can have is not trusted."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in AVATAR_EXTENSIONS:
        raise ValueError(f"an avatar is stored re-encoded (community.avatars), not as {filename!r}")
    return f"avatars/{instance.user_id}/{timezone.now():%Y%m%d%H%M%S}.{ext}"


class Profile(ModeratedContent):
    """A member's public profile. It is member content like a post: moderated, spam-checked."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile",
        verbose_name=_("member"),
    )
    bio = models.TextField(_("about me"), max_length=4000, blank=True)
    bio_html = models.TextField(editable=False, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    website = models.URLField(
        _("website"), max_length=200, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    location = models.CharField(_("location"), max_length=80, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return self.user.get_absolute_url()


class Skill(models.TextChoices):
    """What a member can do for the community: declared on their profile, verified by a CM, filtered
    on the CM's talent board. A fixed vocabulary (labels translated), so that filters always match."""

    WRITING = "writing", _("Writing")
    BLOG = "blog", _("Blogging")
    VIDEO = "video", _("Video")
    PHOTO = "photo", _("Photography")
    PODCAST = "podcast", _("Podcasting")
    WIKI = "wiki", _("Wiki editing")
    SOCIAL_MEDIA = "social_media", _("Social media")
    TRANSLATION = "translation", _("Translation")
    ILLUSTRATION = "illustration", _("Illustration")
    EVENTS = "events", _("Events and meetups")


class MemberSkill(models.Model):
    """One skill a member declares; a CM may mark it verified (who and when are kept)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills",
                             verbose_name=_("member"))
    skill = models.CharField(_("skill"), max_length=32, choices=Skill.choices)
    created_at = models.DateTimeField(_("declared"), default=timezone.now)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("member skill")
        verbose_name_plural = _("member skills")
        ordering = ["skill"]
        constraints = [models.UniqueConstraint(fields=["user", "skill"], name="memberskill_once_per_member")]
        indexes = [models.Index(fields=["skill", "user"], name="memberskill_skill_idx")]

    def __str__(self):
        return f"{self.user_id}: {self.skill}"

    @property
    def is_verified(self):
        return self.verified_at is not None


class EventStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Event(models.Model):
    """A durable intent written in the same transaction as the change that causes it.

    The Celery task that handles it is only a courier: if the broker is down the row stays
    `pending` and the beat sweeper sends it again. Handlers run under a row lock and the row is
    marked done in the same transaction, so a redelivered task does nothing twice.
    """

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    # Optional idempotency key: recording the same intent twice keeps one row ("welcome:42").
    key = models.CharField(_("key"), max_length=200, unique=True, null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("actor"),
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent to the queue"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "sent_at"], name="event_status_sent_idx")]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"


from .notifications.models import (  # noqa: E402  (one app, models split by topic)
    AlertSettings,
    Channel,
    EmailStatus,
    Notification,
    NotificationPreference,
)

__all__ = [
    "AlertSettings", "Channel", "EmailStatus", "Event", "EventStatus", "MemberSkill", "ModeratedContent", "Notification",
    "NotificationPreference", "Profile", "Skill", "SpamStatus", "User", "Visibility",
]
