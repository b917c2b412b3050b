"""Moderation's records. Today: the spam pipeline (verdicts, the classifier's counts, blocklisted
domains). Reports, sanctions and the audit log join them later."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    HAM = "ham", _("Not spam")
    SPAM = "spam", _("Spam")


class SpamCheck(models.Model):
    """One decision of the spam pipeline about one version of one piece of content.

    Written in the same transaction as the conditional `spam_status` update, so there is exactly
    one row per decision. `fingerprint` (normalized text) and `author` let the heuristics find the
    same text posted again; the review queue shows `score` and `reasons`.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("content kind"), max_length=64)  # content-protocol name, "forums.post"
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    event_id = models.PositiveBigIntegerField(_("outbox event"), null=True, blank=True)
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)  # reason codes, "url:shortener"
    details = models.JSONField(_("score per checker"), default=dict, blank=True)
    # What showed each reason: {"domain:unseen": ["quick-cash.top"], "cta:contact": ["whatsapp"]}.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("checked"), default=timezone.now)

    class Meta:
        verbose_name = _("spam check")
        verbose_name_plural = _("spam checks")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="spamcheck_target_idx"),
            models.Index(fields=["author", "fingerprint"], name="spamcheck_author_fp_idx"),
            models.Index(fields=["author", "verdict"], name="spamcheck_author_verdict_idx"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id}: {self.verdict} ({self.score:.1f})"


class BlockedDomain(models.Model):
    """A domain whose links mark content as spam (subdomains included). Kept by CMs in the admin,
    written by `moderation.domains` only (which normalizes the domain and audit-logs the change)."""

    domain = models.CharField(_("domain"), max_length=253, unique=True,
                              help_text=_("e.g. cheap-pills.example — subdomains are blocked too."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("blocked domain")
        verbose_name_plural = _("blocked domains")
        ordering = ["domain"]

    def __str__(self):
        return self.domain


class KnownDomain(models.Model):
    """A domain that clean content of this community linked to: a new member's link to it is not a
    link to an unknown site (UnseenDomainChecker). Recorded when content is found clean from a member
    past the new-member stage, or approved by a CM; `seen` counts those posts."""

    domain = models.CharField(_("domain"), max_length=253, unique=True)
    seen = models.PositiveIntegerField(_("clean posts linking to it"), default=0)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)

    class Meta:
        verbose_name = _("known domain")
        verbose_name_plural = _("known domains")
        ordering = ["domain"]

    def __str__(self):
        return self.domain


class BayesStats(models.Model):
    """The classifier's totals: a single row (pk=1), also the lock that serializes `learn()`."""

    spam_docs = models.PositiveIntegerField(default=0)
    ham_docs = models.PositiveIntegerField(default=0)
    spam_tokens = models.PositiveBigIntegerField(default=0)
    ham_tokens = models.PositiveBigIntegerField(default=0)
    vocabulary = models.PositiveIntegerField(default=0)  # distinct tokens, for Laplace smoothing
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("classifier totals")
        verbose_name_plural = _("classifier totals")

    def __str__(self):
        return f"{self.spam_docs} spam / {self.ham_docs} ham"


class BayesToken(models.Model):
    """How often a token was seen in spam and in ham (the naive-Bayes counts)."""

    token = models.CharField(max_length=64, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("classifier token")
        verbose_name_plural = _("classifier tokens")

    def __str__(self):
        return f"{self.token}: {self.spam}/{self.ham}"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abuse or harassment")
    OFF_TOPIC = "off_topic", _("Off-topic")
    PRIVACY = "privacy", _("Privacy — this is about me")
    OTHER = "other", _("Other")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Decision(models.TextChoices):
    """A CM's one-click decision in the review queue (also a report's outcome)."""

    APPROVE = "approve", _("Approve")
    HIDE = "hide", _("Hide")
    REMOVE = "remove", _("Remove")
    RESTORE = "restore", _("Restore")
    SPAM = "spam", _("Mark as spam")
    NOT_SPAM = "not_spam", _("Mark as not spam")


class Report(models.Model):
    """A member's report about one item of any content kind (by content-protocol name and id).

    One OPEN report per member and item (a conditional unique constraint): a second report updates
    the note. A decision on the item resolves all its open reports at once."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_filed",
                                 verbose_name=_("reporter"))
    kind = models.CharField(_("content kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object id"))
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("resolved by"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Decision.choices, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "kind", "object_id"],
                                    condition=models.Q(status="open"), name="report_one_open_per_member"),
        ]
        indexes = [models.Index(fields=["status", "kind", "object_id"], name="report_status_target_idx")]

    def __str__(self):
        return f"{self.kind} #{self.object_id}: {self.reason} ({self.status})"


class AuditLogEntry(models.Model):
    """One moderation action: who, what, on which item, when, why. Never edited, never deleted."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("moderator"))
    action = models.CharField(_("action"), max_length=32)
    kind = models.CharField(_("content kind"), max_length=64, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id"], name="auditlog_target_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.kind} #{self.object_id}"

    @property
    def action_label(self):
        return {**dict(Decision.choices), **SANCTION_ACTIONS, **AUDIT_ACTIONS}.get(self.action, self.action)


class SanctionKind(models.TextChoices):
    WARN = "warn", _("Warning")
    SILENCE = "silence", _("Silence")
    SUSPEND = "suspend", _("Suspension")
    BAN = "ban", _("Ban")


class SanctionQuerySet(models.QuerySet):
    def active(self, now=None):
        """Not lifted, not expired (warnings stay active until acknowledged; bans until lifted)."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, ended_at__isnull=True).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))

    def pending_warnings(self):
        """Warnings the member has not acknowledged yet (templates: `user.sanctions.pending_warnings`)."""
        return self.filter(kind=SanctionKind.WARN, acknowledged_at__isnull=True, lifted_at__isnull=True)


class Sanction(models.Model):
    """One sanction of one member, with the reason they are shown. Never deleted: lifting or expiry
    end it. `community.User.silenced_until / suspended_until / banned_at` hold the current effect
    (kept by moderation.sanctions)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions",
                               verbose_name=_("member"))
    kind = models.CharField(_("kind"), max_length=16, choices=SanctionKind.choices)
    reason = models.TextField(_("reason"), max_length=2000, help_text=_("Shown to the member."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("given by"))
    created_at = models.DateTimeField(_("given"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)  # None for warnings and bans
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)  # set by expiry
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)  # warnings
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("lifted by"))

    objects = SanctionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "kind"], name="sanction_member_kind_idx"),
                   models.Index(fields=["ended_at", "ends_at"], name="sanction_expiry_idx")]

    def __str__(self):
        return f"{self.kind} @{self.member_id} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self):
        if self.lifted_at is not None or self.ended_at is not None:
            return False
        return self.ends_at is None or self.ends_at > timezone.now()


# Audit-log actions written by moderation.sanctions (AuditLogEntry.action -> label).
SANCTION_ACTIONS = {
    "sanction_warn": _("Warn"),
    "sanction_silence": _("Silence"),
    "sanction_suspend": _("Suspend"),
    "sanction_ban": _("Ban"),
    "sanction_lift": _("Lift a sanction"),
    "sanctions_expired": _("Sanctions expired"),
    "remove_all_content": _("Remove all content"),
    "watched_word_add": _("Add a watched word"),
    "watched_word_change": _("Change a watched word"),
    "watched_word_delete": _("Delete a watched word"),
    "blocked_domain_add": _("Block a domain"),
    "blocked_domain_change": _("Change a blocked domain"),
    "blocked_domain_delete": _("Unblock a domain"),
}

# Audit-log actions written by other apps (the CM workspace's areas), labelled at startup:
# `register_audit_actions({"escalation_open": _("Escalate to staff")})` from their ready().
AUDIT_ACTIONS: dict = {}


def register_audit_actions(labels: dict) -> None:
    AUDIT_ACTIONS.update(labels)


class WatchedAction(models.TextChoices):
    BLOCK = "block", _("Block — refuse the text with a message")
    CENSOR = "censor", _("Censor — mask the word when shown")
    APPROVE = "approve", _("Require approval — hold in the review queue")
    ALERT = "alert", _("Alert — publish, and notify the CMs who watch it")


WATCHED_ACTION_SHORT = {"block": _("Block"), "censor": _("Censor"), "approve": _("Approval"), "alert": _("Alert")}


class WatchedWord(models.Model):
    """A word or phrase CMs watch (`*` matches any letters; case and accents are ignored), with what
    happens to content that uses it. Written only by `moderation.watched.services` (which normalizes
    the phrase and rebuilds every process's compiled matcher)."""

    phrase = models.CharField(_("word or phrase"), max_length=100,
                              help_text=_("Case and accents are ignored. Use * for any letters: spam* catches "
                                          "spammer and spamming."))
    normalized = models.CharField(max_length=100, unique=True, editable=False)
    action = models.CharField(_("action"), max_length=16, choices=WatchedAction.choices,
                              default=WatchedAction.ALERT)
    enabled = models.BooleanField(_("enabled"), default=True,
                                  help_text=_("Untick to keep the rule dormant. “Test on recent content” shows what "
                                              "it would catch before you save it."))
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("Why this word is watched (for the other CMs)."))
    watchers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="watched_words",
                                      verbose_name=_("CMs alerted"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("added by"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("watched word")
        verbose_name_plural = _("watched words")
        ordering = ["normalized"]

    def __str__(self):
        return self.phrase


class WatchedWordHit(models.Model):
    """A watched word (approve or alert) found in one item: one row per word and item, so an item
    edited ten times alerts once. The review queue shows them as the reason an item is held."""

    word = models.ForeignKey(WatchedWord, on_delete=models.CASCADE, related_name="hits",
                             verbose_name=_("watched word"))
    kind = models.CharField(_("content kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object id"))
    action = models.CharField(_("action"), max_length=16, choices=WatchedAction.choices)
    created_at = models.DateTimeField(_("found"), default=timezone.now)

    class Meta:
        verbose_name = _("watched word hit")
        verbose_name_plural = _("watched word hits")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["word", "kind", "object_id"], name="watchedhit_once_per_item")]
        indexes = [models.Index(fields=["kind", "object_id"], name="watchedhit_target_idx")]

    def __str__(self):
        return f"{self.word_id} in {self.kind} #{self.object_id}"

    @property
    def action_short(self):
        return WATCHED_ACTION_SHORT.get(self.action, self.action)


class ReviewItem(models.Model):
    """The review index: one row per item under review — held (awaiting approval, or judged spam
    while public) or reported (open reports) — of any content kind. The queue pages this table in
    the database, so a spam wave of 10,000 held posts costs a CM what 10 do. Kept by
    `moderation.review`: the content protocol's state listener (held / released) and the report
    services (counted / resolved); a row with neither reason is deleted."""

    kind = models.CharField(_("content kind"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("object id"))
    held = models.BooleanField(_("held"), default=False)
    open_reports = models.PositiveIntegerField(_("open reports"), default=0)
    # The newest reason it is here: the last report, or when it was held.
    last_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        verbose_name = _("item under review")
        verbose_name_plural = _("items under review")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="reviewitem_once_per_item")]
        indexes = [
            models.Index(fields=["-last_at", "-kind", "-object_id"], name="reviewitem_newest_idx"),
            models.Index(fields=["kind", "-last_at"], name="reviewitem_kind_newest_idx"),
            models.Index(fields=["-open_reports", "-last_at"], name="reviewitem_reported_idx"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} (held={self.held}, reports={self.open_reports})"
