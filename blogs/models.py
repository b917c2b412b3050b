"""Featured contributor spaces, on Wagtail: the Contributors index, one Space page per space (a
column, a video channel, a photo gallery, a podcast) and Post pages inside a space.

Wagtail gives the pages, StreamField, images, documents, revisions, drafts, previews, scheduled
publishing, workflows and page permissions; nothing of that is rewritten here. The tree is fenced
with `parent_page_types` / `subpage_types`: index > spaces > posts. Page permissions (who edits
which space) are given by `blogs.services.create_space`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Length, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from mptt.fields import TreeForeignKey
from mptt.managers import TreeManager
from mptt.models import MPTTModel
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, WorkflowPage
from wagtail.search import index

from community import spaces as space_states
from community.models import ModeratedContent, SpamStatus, Visibility
from community.permissions import can, check_can_cast_members, check_can_read_space_post
from community.permissions.casting import check_can_read_space

from .blocks import PostBody
from .feeds import space_feed
from .slugs import ReservedSlugs

POSTS_PER_PAGE = 12
# Functions (request, post) -> dict adding to a post page's context; blogs.apps plugs the comment
# thread in (blogs.threads builds on these models: it cannot be imported from here).
POST_CONTEXT: list = []
# Comments on a post published more than this many days ago wait for approval (per space).
DEFAULT_MODERATE_AFTER_DAYS = 2


class CommentPolicy(models.TextChoices):
    OPEN = "open", _("Open: comments appear at once")
    MODERATED = "moderated", _("Moderated: every comment waits for approval")
    CLOSED = "closed", _("Closed: no new comments")


class SpaceKind(models.TextChoices):
    COLUMN = "column", _("Column")
    VIDEO = "video", _("Video channel")
    PHOTO = "photo", _("Photo gallery")
    PODCAST = "podcast", _("Podcast")


class ContributorsIndexPage(RoutablePageMixin, Page):
    """"Featured contributors", served at /contributors/: the one root of every space."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blogs.SpacePage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("contributors index")

    @path("")
    def index_route(self, request):
        return self.render(request, context_overrides={"spaces": spaces_with_latest_post()})

    @path("tags/<str:tag>/")
    def tag(self, request, tag):
        """Every readable post with this tag, newest first, paginated (a tag nobody uses: 404)."""
        found = Tag.objects.filter(slug=tag).first()
        if found is None:
            raise Http404(_("No such tag."))
        posts = (readable_posts().filter(tagged_items__tag=found).select_related("thread")
                 .prefetch_related(with_renditions("cover", "fill-320x180")).order_by("-date", "-pk"))
        try:
            page = Paginator(posts, POSTS_PER_PAGE, allow_empty_first_page=False).page(
                int(request.GET.get("page") or 1))
        except EmptyPage:  # a tag only drafts or held posts carry is not known to readers
            raise Http404(_("No such tag.")) from None
        except ValueError:
            raise Http404(_("Unknown page.")) from None
        return self.render(request, template="blogs/tag_page.html", context_overrides={"tag": found, "posts": page})


class SpacePage(ReservedSlugs, RoutablePageMixin, Page):
    """One featured contributor's space. Its owner adds, edits and publishes posts only here
    (Wagtail page permissions on this page, given by `create_space`)."""

    kind = models.CharField(_("kind"), max_length=16, choices=SpaceKind.choices, default=SpaceKind.COLUMN)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    banner = models.ForeignKey("wagtailimages.Image", verbose_name=_("banner"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    about = RichTextField(_("about"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    # `owner` is Wagtail's (who created the page): the space's holder is a field of its own.
    space_owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                                    related_name="spaces")
    co_authors = ParentalManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("co-authors"), blank=True,
                                         related_name="co_authored_spaces")
    comment_policy = models.CharField(_("comments"), max_length=16, choices=CommentPolicy.choices,
                                      default=CommentPolicy.OPEN)
    moderate_after_days = models.PositiveSmallIntegerField(
        _("moderate comments after (days)"), null=True, blank=True, default=DEFAULT_MODERATE_AFTER_DAYS,
        help_text=_("Comments on a post published longer ago than this wait for your approval, so that "
                    "you can follow every conversation while it is fresh. Empty: never."))
    # Casting's decision (blogs.casting, from the CM workspace), kept out of revisions and panels:
    # paused = hidden from the public, retired = a read-only archive.
    state = models.CharField(_("state"), max_length=16, choices=space_states.STATES, default=space_states.ACTIVE,
                             db_index=True)

    parent_page_types = ["blogs.ContributorsIndexPage"]
    reserved_slugs = frozenset({"tags", "feed"})  # (its parent's routes: blogs.slugs)
    subpage_types = ["blogs.SpacePostPage"]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("tagline"), FieldPanel("banner")], heading=_("The space")),
        FieldPanel("about"),
        # Casting decides who holds a space: CMs change it (the owner sees it read-only).
        FieldPanel("space_owner", permission="community.cast_members"),
        FieldPanel("co_authors", permission="community.cast_members"),
        MultiFieldPanel([FieldPanel("comment_policy"), FieldPanel("moderate_after_days")], heading=_("Comments")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("tagline"), index.SearchField("about")]

    @property
    def holder_ids(self) -> frozenset:
        """The owner's and co-authors' ids (one query for the co-authors, then kept)."""
        if not hasattr(self, "_holder_ids"):
            # (a page in memory, a revision's, answers from its cluster's own values)
            self._holder_ids = frozenset({self.space_owner_id, *self.co_authors.values_list("pk", flat=True)})
        return self._holder_ids

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    @property
    def is_archive(self) -> bool:
        return self.state == space_states.RETIRED

    def with_content_json(self, content):
        """A revision carries the page's words, not casting's decision (as a post keeps its status)."""
        obj = super().with_content_json(content)
        obj.state = self.state
        return obj

    def serve(self, request, *args, **kwargs):
        check_can_read_space(request.user, state=self.state, space_holders=lambda: self.holder_ids)
        return super().serve(request, *args, **kwargs)

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("feed/")
    def feed(self, request):
        """RSS 2.0; a podcast feed (enclosures, iTunes tags) for a podcast space."""
        posts = readable_posts().child_of(self).order_by("-date", "-pk")
        return space_feed(request, self, posts, podcast=self.kind == SpaceKind.PODCAST)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["followers"] = self.follows.count()
        context["following"] = (request.user.is_authenticated
                                and self.follows.filter(user_id=request.user.pk).exists())
        if can(check_can_cast_members, request.user):
            context["requires_approval"] = WorkflowPage.objects.filter(page=self).exists()
        posts = (readable_posts().child_of(self).select_related("thread")
                 .prefetch_related(with_renditions("cover", "fill-320x180")).order_by("-date", "-pk"))
        try:
            context["posts"] = Paginator(posts, POSTS_PER_PAGE).page(int(request.GET.get("page") or 1))
        except (ValueError, EmptyPage):
            raise Http404(_("Unknown page.")) from None
        return context


class SpaceFollow(models.Model):
    """A member follows a space: its new posts are in their notifications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_follows")
    space = models.ForeignKey(SpacePage, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "space"], name="space_follow_once")]
        verbose_name = _("space follow")

    def __str__(self):
        return f"{self.user_id} follows space {self.space_id}"


class SpacePostTag(TaggedItemBase):
    # A ParentalKey, as ClusterTaggableManager needs: the tags live in the page's cluster (its
    # revisions, its previews, the admin's add form of an unsaved page).
    content_object = ParentalKey("blogs.SpacePostPage", on_delete=models.CASCADE, related_name="tagged_items")


class SpacePostPage(ReservedSlugs, Page):
    """A post in a space: a StreamField body (text, images, galleries, quotes, video, audio
    episodes, call-outs), tags, a publication date, an excerpt and a cover image."""

    date = models.DateField(_("publication date"), default=timezone.localdate)
    excerpt = models.TextField(_("excerpt"), max_length=500, blank=True,
                               help_text=_("A sentence or two shown in lists and feeds."))
    cover = models.ForeignKey("wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    body = StreamField(PostBody(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=SpacePostTag, blank=True, verbose_name=_("tags"))
    comment_policy = models.CharField(_("comments"), max_length=16, blank=True,
                                      choices=[("", _("As the space says")), *CommentPolicy.choices])
    # The content spine's fields (community.models.ModeratedContent): moderation hides a live post
    # (a watched word, a report) without touching Wagtail's `live`. Kept out of revisions.
    status = models.CharField(_("visibility"), max_length=16, choices=Visibility.choices,
                              default=Visibility.PUBLISHED, db_index=True)
    spam_status = models.CharField(_("spam check"), max_length=16, choices=SpamStatus.choices,
                                   default=SpamStatus.PENDING)

    parent_page_types = ["blogs.SpacePage"]
    reserved_slugs = frozenset({"feed"})  # (its parent's routes: blogs.slugs)
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("excerpt"), FieldPanel("cover"), FieldPanel("tags")],
                        heading=_("About this post")),
        FieldPanel("body"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("comment_policy")]
    search_fields = [*Page.search_fields, index.SearchField("excerpt"), index.SearchField("body")]

    class Meta:
        verbose_name = pgettext_lazy("space post", "post")
        verbose_name_plural = pgettext_lazy("space posts", "posts")

    @property
    def comment_count(self) -> int:
        """Published comments (from `thread`: select_related("thread") in lists, no query per post)."""
        try:
            return self.thread.comment_count
        except ObjectDoesNotExist:
            return 0

    @property
    def space(self):
        if not hasattr(self, "_space"):
            self._space = SpacePage.objects.select_related("space_owner").get(
                path=self.path[:-self.steplen], depth=self.depth - 1)
        return self._space

    def get_absolute_url(self):
        return self.url

    @cached_property
    def is_restricted(self) -> bool:
        """Behind Wagtail's privacy (on the post or its space): its text is for its page alone. One
        query: a view restriction on the post or one of its ancestors (what Wagtail's `public()` asks)."""
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(page__path__in=paths).exists()

    def with_content_json(self, content):
        """A revision carries the page's words, not moderation's verdict: publishing an older
        revision keeps the post's current status."""
        obj = super().with_content_json(content)
        obj.status, obj.spam_status = self.status, self.spam_status
        return obj

    def serve(self, request, *args, **kwargs):
        check_can_read_space(request.user, state=self.space.state, space_holders=lambda: self.space.holder_ids)
        # Live but held or removed by moderation: gone, except for its space's holders and CMs.
        if self.status != Visibility.PUBLISHED:
            check_can_read_space_post(request.user, live=self.live, status=self.status,
                                      space_holders=self.space.holder_ids)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for provider in POST_CONTEXT:  # the comment thread (blogs.threads, plugged in at startup)
            context.update(provider(request, self))
        return context

    def plain_text(self) -> str:
        """What the author wrote, as plain text, for the checks (watched words, spam)."""
        return "\n".join(part for part in post_parts(self) if part)


def post_parts(post) -> list[str]:
    """A post's separately written texts: its title, its excerpt, the text of its body's blocks."""
    from django.utils.html import strip_tags

    texts = []
    for block in post.body:
        value = block.value
        source = getattr(value, "source", None)  # rich text
        if source is not None:
            texts.append(strip_tags(source))
        elif isinstance(value, dict) or hasattr(value, "items"):
            for item in value.values():
                item_source = getattr(item, "source", None)
                if item_source is not None:
                    texts.append(strip_tags(item_source))
                elif isinstance(item, str):
                    texts.append(item)
        elif isinstance(value, str):
            texts.append(value)
    return [post.title, post.excerpt, "\n".join(texts)]


def readable_posts():
    """The posts every reader sees: live, public (no view restriction), not held or removed by
    moderation, not in a paused space. Every list (space, index, home, feed, tags, notifications)
    starts here."""
    in_paused_space = SpacePage.objects.filter(
        state=space_states.PAUSED, path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - SpacePostPage.steplen))
    return SpacePostPage.objects.live().public().filter(status=Visibility.PUBLISHED).exclude(Exists(in_paused_space))


def with_renditions(field: str, *filter_specs: str) -> Prefetch:
    """Prefetch an image field with the renditions the template asks for: two queries for a whole
    list, instead of a rendition look-up per image whenever the cache is cold or down."""
    return Prefetch(field, queryset=get_image_model().objects.prefetch_renditions(*filter_specs))


def spaces_with_latest_post(*, limit: int | None = None, archives: bool = True) -> list[SpacePage]:
    """Live spaces (not paused; retired ones only with `archives`), each with `latest` (its newest
    live post, or None): two queries in all. (A read, kept beside the page models that call it.)"""
    newest = (readable_posts()
              .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
              .order_by("-date", "-pk").values("pk")[:1])
    followers = (SpaceFollow.objects.filter(space_id=OuterRef("pk")).order_by().values("space_id")
                 .annotate(n=Count("pk")).values("n"))
    spaces = (SpacePage.objects.live().public().exclude(
        state__in=[space_states.PAUSED] if archives else [space_states.PAUSED, space_states.RETIRED])
              .select_related("space_owner")
              .prefetch_related(with_renditions("banner", "fill-480x160"))
              .annotate(latest_id=Subquery(newest), follower_count=Coalesce(Subquery(followers), 0))
              .order_by("title"))
    spaces = list(spaces[:limit] if limit is not None else spaces)
    posts = SpacePostPage.objects.in_bulk([space.latest_id for space in spaces if space.latest_id])
    for space in spaces:
        space.latest = posts.get(space.latest_id)
    return spaces


# --- Comments ------------------------------------------------------------------------------------
# Ours, not Wagtail's (its comments are editors' notes in the admin): members' threaded comments
# on posts, a content kind of the spine (blogs.content_kinds).


class PostThread(models.Model):
    """A post's comment counters, kept beside the page rather than on it: a Wagtail revision
    published later would otherwise write an old count back."""

    post = models.OneToOneField(SpacePostPage, primary_key=True, on_delete=models.CASCADE, related_name="thread")
    comment_count = models.PositiveIntegerField(default=0)  # published, not deleted
    last_number = models.PositiveIntegerField(default=0)  # comments are numbered 1, 2, 3… per post
    # Bumped by every write that changes what the thread shows (a comment added, edited, deleted,
    # its visibility changed): the key of the thread's cached HTML (blogs.threads).
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("comment thread")

    def __str__(self):
        return f"comments of post {self.post_id}"


class TreeIdCounter(models.Model):
    """One row handing out the comments' tree ids (each top-level comment starts a tree): an
    UPDATE under its row lock, where django-mptt's MAX()+1 would give two concurrent threads the
    same id."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"comment tree ids up to {self.value}"


class CommentManager(TreeManager):
    def _get_next_tree_id(self):
        TreeIdCounter.objects.get_or_create(pk=1)
        TreeIdCounter.objects.filter(pk=1).update(value=models.F("value") + 1)
        return TreeIdCounter.objects.values_list("value", flat=True).get(pk=1)


class Comment(MPTTModel, ModeratedContent):
    """A member's comment on a post, or a reply to another comment of the same post."""

    post = models.ForeignKey(SpacePostPage, on_delete=models.CASCADE, related_name="member_comments")
    space = models.ForeignKey(SpacePage, on_delete=models.CASCADE, related_name="+")
    parent = TreeForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_comments")
    number = models.PositiveIntegerField()
    body = models.TextField()
    body_html = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    is_deleted = models.BooleanField(default=False)  # by its author: a tombstone, text kept for moderators
    # Waits for the space's holders (the comment policy), not for moderation's own reasons.
    awaiting_holder = models.BooleanField(default=False)
    # Hidden by a holder's rejection (which a holder may undo), not by a CM's decision.
    rejected_by_holder = models.BooleanField(default=False)

    objects = CommentManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "number"], name="comment_number_once")]
        indexes = [models.Index(fields=["post", "tree_id", "lft"], name="comment_thread_order")]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"#{self.number} on post {self.post_id}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("blogs:comment", args=[self.pk])


class CommentRevision(models.Model):
    """An earlier version of an edited comment (its history)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField(blank=True)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"revision of comment {self.comment_id}"
