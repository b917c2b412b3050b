"""What blogs brings to the CM workspace's featuring registry (registered at import, from blogs's ready()):
a space and a post in a space can be featured on the home page.

Only what every reader sees is shown: a space or post that is live and public (no Wagtail view
restriction on it or above it — a private space, a password), a post not held or removed by
moderation and whose space is live. A space taken offline (unpublished, paused) takes its posts
with it (`blogs.apps._space_unpublished`); the space's own liveness is checked here too.
"""

import re

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community import featuring
from community import spaces as space_states

from .models import ContributorsIndexPage, SpacePage, SpacePostPage, readable_posts, with_renditions

IMAGE_SPEC = "fill-480x270"  # a post's cover
BANNER_SPEC = "fill-480x160"  # a space's banner (as the Contributors index shows it)
_CMS_PAGE = re.compile(r"^/cms/pages/([0-9]{1,18})/")


def _image_url(image, spec=IMAGE_SPEC) -> str:
    return image.get_rendition(spec).url if image is not None else ""


def resolve_spaces(ids, viewer):
    """Live, public spaces as cards: two queries (Wagtail's view restrictions, the spaces), plus two
    for their banners when any has one."""
    spaces = (SpacePage.objects.live().public().filter(pk__in=ids).exclude(state=space_states.PAUSED)
              .select_related("space_owner")
              .prefetch_related(with_renditions("banner", BANNER_SPEC)))
    return {space.pk: featuring.Card(
        title=space.title, url=space.get_url(), kind_label=str(space.get_kind_display()), excerpt=space.tagline,
        image_url=_image_url(space.banner, BANNER_SPEC), author=space.space_owner.name,
        author_url=space.space_owner.get_absolute_url()) for space in spaces}


def resolve_posts(ids, viewer):
    """Readable posts (`readable_posts`: live, public, published) whose space is live, as cards:
    three queries (view restrictions, the posts, their spaces), plus two for cover images."""
    posts = list(readable_posts().filter(pk__in=ids).select_related("owner")
                 .prefetch_related(with_renditions("cover", IMAGE_SPEC)))
    if not posts:
        return {}
    steplen = SpacePostPage.steplen
    spaces = {space.path: space for space in SpacePage.objects.live().filter(
        path__in={post.path[:-steplen] for post in posts}).select_related("space_owner")
        .only("pk", "path", "title", "kind", "space_owner__id", "space_owner__username",
              "space_owner__display_name")}
    cards = {}
    for post in posts:
        space = spaces.get(post.path[:-steplen])
        if space is None:  # its space is offline
            continue
        author = post.owner or space.space_owner
        cards[post.pk] = featuring.Card(
            title=post.title, url=post.get_url(), kind_label=str(space.get_kind_display()),
            excerpt=post.excerpt, image_url=_image_url(post.cover), author=author.name,
            author_url=author.get_absolute_url())
    return cards


def _page_id(text, model):
    """A page of `model` named by its id, its address under /contributors/ or its editor's address
    (/cms/pages/<id>/edit/): its id (one or two queries), or None."""
    found = featuring.bare_id(text)
    if found is not None:
        return found
    path = featuring.site_path(text)
    if path is None:
        return None
    if not path.endswith("/"):
        path += "/"
    editor = _CMS_PAGE.match(path)
    if editor:
        page_id = featuring.as_id(editor.group(1))
        return model.objects.filter(pk=page_id).values_list("pk", flat=True).first() if page_id else None
    prefix = reverse("wagtail_serve", args=[""])
    if not path.startswith(prefix):
        return None
    root = ContributorsIndexPage.objects.values_list("url_path", flat=True).first()
    if root is None:
        return None
    url_path = root + path[len(prefix):]
    return model.objects.filter(url_path=url_path).values_list("pk", flat=True).first()


def lookup_space(text):
    return _page_id(text, SpacePage)


def lookup_post(text):
    return _page_id(text, SpacePostPage)


def latest_spaces(limit):
    return list(SpacePage.objects.live().public().exclude(state=space_states.PAUSED)
                .order_by("-first_published_at", "-pk")
                .values_list("pk", flat=True)[:limit])


def latest_posts(limit):
    return list(readable_posts().order_by("-date", "-pk").values_list("pk", flat=True)[:limit])


featuring.register("blogs.space", label=_("Contributor space"), group=featuring.SPACE,
                   resolve=resolve_spaces, lookup=lookup_space, latest=latest_spaces)
featuring.register("blogs.post", label=_("Post in a contributor space"), group=featuring.PIECE,
                   resolve=resolve_posts, lookup=lookup_post, latest=latest_posts)
