"""What blogs brings to the CM workspace's talent registry (registered at import, from blogs's ready()).

Per window, four queries whatever the number of members: the spaces (kind, owner, path), the posts
published in the window (their body's block types give the media), the comments others wrote on
them, and the followers of each space. A post counts for its author (the content kind's author:
the page's owner), followers for the space's owner."""

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from community import talent
from community.models import Visibility

from .models import Comment, SpaceFollow, SpaceKind, SpacePage, readable_posts

BLOCK_MEDIA = {"text": talent.TEXT, "quote": talent.TEXT, "callout": talent.TEXT, "image": talent.IMAGES,
               "gallery": talent.IMAGES, "video": talent.VIDEO, "audio": talent.AUDIO}
SPACE_MEDIA = {SpaceKind.COLUMN: talent.TEXT, SpaceKind.PHOTO: talent.IMAGES, SpaceKind.VIDEO: talent.VIDEO,
               SpaceKind.PODCAST: talent.AUDIO}

for kind in (
    talent.SignalKind("blogs.posts", _("Posts in their space"), ngettext_lazy(
        "published %(value)s post in their space", "published %(value)s posts in their space", "value"),
        weight=1.5, scale=talent.LOG, cap=500),
    talent.SignalKind("blogs.comments_per_post", _("Comments per post"), _("%(value)s comments per post"),
                      weight=1.5, cap=20, basis="blogs.posts", decimals=1),
    talent.SignalKind("blogs.followers", _("Followers of their space"), ngettext_lazy(
        "%(value)s follower of their space", "%(value)s followers of their space", "value"),
        weight=2.0, scale=talent.LOG, cap=100000),
):
    talent.register_signal(kind)
SPACE_POST = talent.register_piece_kind("blogs.post", pgettext_lazy("space post", "Post in a space"))


def space_signals(window: talent.Window) -> talent.Contributions:
    found = talent.Contributions()
    spaces = {row["path"]: row for row in SpacePage.objects.live().values("pk", "path", "title", "kind",
                                                                          "space_owner_id")}
    posts = list(readable_posts().filter(first_published_at__gte=window.since, first_published_at__lt=window.until)
                 .only("pk", "title", "path", "depth", "url_path", "owner_id", "first_published_at", "body"))
    comments = dict(Comment.objects.filter(post_id__in=[post.pk for post in posts], status=Visibility.PUBLISHED,
                                           is_deleted=False)
                    .exclude(author_id=F("post__owner_id")).order_by()
                    .values_list("post_id").annotate(n=Count("id")))
    per_member: dict[int, list[int]] = {}
    for post in posts:
        space = spaces.get(post.path[:-post.steplen])
        author_id = post.owner_id or (space and space["space_owner_id"])
        if not author_id:
            continue
        member = found[author_id]
        member.signal("blogs.posts", 1).active(window.week_of(post.first_published_at))
        per_member.setdefault(author_id, []).append(comments.get(post.pk, 0))
        member.posts_media(*{BLOCK_MEDIA[block["type"]] for block in post.body.raw_data
                             if block.get("type") in BLOCK_MEDIA})
        if space is not None:
            member.posts_in(f"blogs.space:{space['pk']}", space["title"])
            member.posts_media(SPACE_MEDIA.get(space["kind"], talent.TEXT))
        member.piece(post.title, post.get_url() or "", 1 + comments.get(post.pk, 0), SPACE_POST)
    for author_id, counts in per_member.items():
        found[author_id].signal("blogs.comments_per_post", sum(counts) / len(counts))

    followers = (SpaceFollow.objects.filter(space__live=True).order_by()
                 .values("space__space_owner_id").annotate(n=Count("id")))
    for row in followers:
        found[row["space__space_owner_id"]].signal("blogs.followers", row["n"])
    return found


def space_areas() -> list[tuple[str, str]]:
    """The board's area filter: every live space (one query)."""
    return [(f"blogs.space:{pk}", title)
            for pk, title in SpacePage.objects.live().order_by("title").values_list("pk", "title")]


talent.register_provider("blogs", space_signals, areas=space_areas)
