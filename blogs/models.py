"""Featured contributor spaces, on Wagtail: the Contributors index, one Space page per space (a
column, a video channel, a photo gallery, a podcast) and Post pages inside a space.

Wagtail gives the pages, StreamField, images, documents, revisions, drafts, previews, scheduled
publishing, workflows and page permissions; nothing of that is rewritten here. The tree is fenced
with `parent_page_types` / `subpage_types`: index > spaces > posts. Page permissions (who edits
which space) are given by `blogs.services.create_space`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from .blocks import PostBody
from .feeds import space_feed

POSTS_PER_PAGE = 12


class SpaceKind(models.TextChoices):
    COLUMN = "column", _("Column")
    VIDEO = "video", _("Video channel")
    PHOTO = "photo", _("Photo gallery")
    PODCAST = "podcast", _("Podcast")


class ContributorsIndexPage(Page):
    """"Featured contributors", served at /contributors/: the one root of every space."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blogs.SpacePage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("contributors index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["spaces"] = spaces_with_latest_post()
        return context


class SpacePage(RoutablePageMixin, Page):
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

    parent_page_types = ["blogs.ContributorsIndexPage"]
    subpage_types = ["blogs.SpacePostPage"]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("tagline"), FieldPanel("banner")], heading=_("The space")),
        FieldPanel("about"),
        # Casting decides who holds a space: CMs change it (the owner sees it read-only).
        FieldPanel("space_owner", permission="wagtailcore.publish_page"),
        FieldPanel("co_authors"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("tagline"), index.SearchField("about")]

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("feed/")
    def feed(self, request):
        """RSS 2.0; a podcast feed (enclosures, iTunes tags) for a podcast space."""
        posts = SpacePostPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        return space_feed(request, self, posts, podcast=self.kind == SpaceKind.PODCAST)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["followers"] = self.follows.count()
        context["following"] = (request.user.is_authenticated
                                and self.follows.filter(user_id=request.user.pk).exists())
        posts = (SpacePostPage.objects.live().public().child_of(self)
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


class SpacePostPage(Page):
    """A post in a space: a StreamField body (text, images, galleries, quotes, video, audio
    episodes, call-outs), tags, a publication date, an excerpt and a cover image."""

    date = models.DateField(_("publication date"), default=timezone.localdate)
    excerpt = models.TextField(_("excerpt"), max_length=500, blank=True,
                               help_text=_("A sentence or two shown in lists and feeds."))
    cover = models.ForeignKey("wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    body = StreamField(PostBody(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=SpacePostTag, blank=True, verbose_name=_("tags"))

    parent_page_types = ["blogs.SpacePage"]
    subpage_types = []
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("excerpt"), FieldPanel("cover"), FieldPanel("tags")],
                        heading=_("About this post")),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("excerpt"), index.SearchField("body")]

    class Meta:
        verbose_name = pgettext_lazy("space post", "post")
        verbose_name_plural = pgettext_lazy("space posts", "posts")

    @property
    def space(self):
        return self.get_parent().specific


def with_renditions(field: str, *filter_specs: str) -> Prefetch:
    """Prefetch an image field with the renditions the template asks for: two queries for a whole
    list, instead of a rendition look-up per image whenever the cache is cold or down."""
    return Prefetch(field, queryset=get_image_model().objects.prefetch_renditions(*filter_specs))


def spaces_with_latest_post(*, limit: int | None = None) -> list[SpacePage]:
    """Live spaces, each with `latest` (its newest live post, or None): two queries in all. (A read,
    kept beside the page models that call it from `get_context`.)"""
    newest = (SpacePostPage.objects.live().public()
              .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
              .order_by("-date", "-pk").values("pk")[:1])
    spaces = (SpacePage.objects.live().public().select_related("space_owner")
              .prefetch_related(with_renditions("banner", "fill-480x160"))
              .annotate(latest_id=Subquery(newest)).order_by("title"))
    spaces = list(spaces[:limit] if limit is not None else spaces)
    posts = SpacePostPage.objects.in_bulk([space.latest_id for space in spaces if space.latest_id])
    for space in spaces:
        space.latest = posts.get(space.latest_id)
    return spaces
