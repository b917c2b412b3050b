"""Forums: a tree of categories and forums (mptt), topics, posts and what members do with them.

What lists display is stored here (counts, last post, last activity) and maintained by the
services with F() updates under row locks — never in save() or signals.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from community.models import ModeratedContent

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 20


class Access(models.IntegerChoices):
    """Who may read a forum. Ordered: a reader of a level may read every lower level."""

    PUBLIC = 0, _("Everyone")
    MEMBERS = 1, _("Members")
    CONTRIBUTORS = 2, _("Contributors")
    COMMUNITY_MANAGERS = 3, _("Community managers")


class Forum(MPTTModel):
    """A node of the tree: a category (container) or a forum that holds topics."""

    parent = TreeForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                            related_name="children", verbose_name=_("parent"))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    is_category = models.BooleanField(_("category"), default=False,
                                      help_text=_("A category only groups forums; it holds no topics."))
    is_questions = models.BooleanField(_("questions and answers"), default=False,
                                       help_text=_("Topics are questions; one reply can be accepted."))
    position = models.PositiveIntegerField(_("order"), default=0)
    access = models.PositiveSmallIntegerField(_("who may read"), choices=Access.choices,
                                              default=Access.PUBLIC)
    # The strictest access of this forum and its ancestors: what every read filter uses.
    # Maintained by services.save_forum() (the admin goes through it).
    read_level = models.PositiveSmallIntegerField(editable=False, default=Access.PUBLIC, db_index=True)
    moderators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="moderated_forums",
                                        verbose_name=_("moderators"))
    # Denormalized for the index (maintained by services).
    topic_count = models.PositiveIntegerField(_("topics"), default=0)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    last_post = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("last post"))
    last_post_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class MPTTMeta:
        order_insertion_by = ["position", "name"]

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:forum", kwargs={"forum_id": self.pk, "slug": self.slug})


class Topic(ModeratedContent):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="topics", verbose_name=_("forum"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topics",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_solved = models.BooleanField(_("solved"), default=False)
    first_post = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    accepted_answer = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("accepted answer"))
    # Denormalized (services keep them exact).
    post_count = models.PositiveIntegerField(_("posts"), default=0)  # visible posts, opening post included
    last_position = models.PositiveIntegerField(default=0)  # highest position handed out
    last_post = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    last_post_at = models.DateTimeField(_("last activity"), default=timezone.now)
    last_poster = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(fields=["forum", "-is_pinned", "-last_post_at"], name="topic_list_idx"),
            models.Index(fields=["-last_post_at"], name="topic_latest_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:topic", kwargs={"topic_id": self.pk, "slug": self.slug})

    @property
    def reply_count(self):
        return max(self.post_count - 1, 0)

    @property
    def page_count(self):
        return max((self.last_position + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE, 1)


class Post(ModeratedContent):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts", verbose_name=_("topic"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts",
                               verbose_name=_("author"))
    # 1-based place in the topic, handed out under the topic's row lock: page = ceil(position / 20),
    # so any page is an index range scan, never an OFFSET that grows with the page number.
    position = models.PositiveIntegerField(_("position"))
    body = models.TextField(_("body"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    is_deleted = models.BooleanField(_("deleted by its author"), default=False)
    reaction_count = models.PositiveIntegerField(_("likes"), default=0)
    # A hash of (author, body) per topic to refuse double submits of the same reply; found through
    # the (topic, fingerprint) index, however long the topic.
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["topic", "position"], name="post_unique_position"),
        ]
        indexes = [models.Index(fields=["topic", "fingerprint"], name="post_double_submit_idx")]

    def __str__(self):
        return f"{self.topic} #{self.position}"

    @property
    def page_number(self):
        return (self.position - 1) // POSTS_PER_PAGE + 1

    def get_absolute_url(self):
        url = reverse("forums:topic", kwargs={"topic_id": self.topic_id, "slug": self.topic.slug})
        if self.page_number > 1:
            url += f"?page={self.page_number}"
        return f"{url}#post-{self.position}"


class PostRevision(models.Model):
    """The text of a post before an edit (the edit history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200, blank=True)
    # Replaced by a moderator's edit with a reason (a redaction: an address, a phone number): this
    # version is shown to the forum's moderators only, as Discourse hides such revisions.
    moderators_only = models.BooleanField(_("moderators only"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")

    def __str__(self):
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="reaction_once")]
        verbose_name = _("like")
        verbose_name_plural = _("likes")

    def __str__(self):
        return f"{self.user_id} likes {self.post_id}"


class TopicReadState(models.Model):
    """The last post position a member has read in a topic."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    last_read_position = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_read_once")]

    def __str__(self):
        return f"{self.user_id} read {self.topic_id} to {self.last_read_position}"


class ForumReadMark(models.Model):
    """'Mark all read' in a forum: topics with no activity after `marked_at` count as read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "forum"], name="forum_mark_once")]

    def __str__(self):
        return f"{self.user_id} read {self.forum_id} at {self.marked_at}"


class TopicSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_subscriptions")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_watch_once")]

    def __str__(self):
        return f"{self.user_id} watches topic {self.topic_id}"


class ForumSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "forum"], name="forum_watch_once")]

    def __str__(self):
        return f"{self.user_id} watches forum {self.forum_id}"


class ModerationLogEntry(models.Model):
    """Moderator actions in the forums (pin, lock, move, hide, edit): who, what, when, why.
    The moderation issue's audit log will absorb these."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=32)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, related_name="+")
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.action} by {self.actor_id}"

