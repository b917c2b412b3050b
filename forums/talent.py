"""What forums brings to the CM workspace's talent registry (registered at import, from forums's ready()).

Five aggregate queries per window, whatever the number of members: posts per author and week (with
likes, images and video links), topics started and the replies they hold, accepted answers, the
forums posted in, and each author's three best posts (a window function)."""

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from community import talent
from community.models import Visibility

from .models import Forum, Post, Topic

ACCEPTED_BONUS = 5  # an accepted answer counts as five likes among a member's best posts
# What a post's rendered HTML shows when it carries a video or a sound. (LIKE per needle: on the
# bench, one PostgreSQL regular expression per kind of media was slower than these LIKEs.)
VIDEO_LINKS = ("youtube.com/", "youtu.be/", "vimeo.com/", "peertube", "<video")
AUDIO_LINKS = (".mp3", ".ogg", ".m4a", "soundcloud.com/", "<audio")


def _any(field, needles):
    condition = Q()
    for needle in needles:
        condition |= Q(**{f"{field}__contains": needle})
    return condition

for kind in (
    talent.SignalKind("forums.posts", _("Forum posts"), ngettext_lazy(
        "%(value)s forum post", "%(value)s forum posts", "value"), weight=1.0, scale=talent.LOG, cap=1000),
    talent.SignalKind("forums.likes_per_post", _("Likes per post"), _("%(value)s likes per post"),
                      weight=3.0, cap=10, basis="forums.posts", decimals=1),
    talent.SignalKind("forums.replies_drawn", _("Replies drawn"), ngettext_lazy(
        "drew %(value)s reply to their topics", "drew %(value)s replies to their topics", "value"),
        weight=1.5, scale=talent.LOG, cap=2000),
    talent.SignalKind("forums.topics", _("Topics started"), ngettext_lazy(
        "started %(value)s topic", "started %(value)s topics", "value"), weight=0.5, scale=talent.LOG, cap=200),
    talent.SignalKind("forums.replies_per_topic", _("Replies per topic"), _("%(value)s replies per topic"),
                      weight=1.0, cap=20, basis="forums.topics", decimals=1),
    talent.SignalKind("forums.accepted_answers", _("Accepted answers"), ngettext_lazy(
        "%(value)s accepted answer", "%(value)s accepted answers", "value"), weight=4.0, scale=talent.LOG, cap=200),
):
    talent.register_signal(kind)
TOPIC_PIECE = talent.register_piece_kind("forums.topic", _("Topic"))
REPLY_PIECE = talent.register_piece_kind("forums.reply", pgettext_lazy("noun", "Reply"))


def forum_signals(window: talent.Window) -> talent.Contributions:
    found = talent.Contributions()
    posts = Post.objects.filter(created_at__gte=window.since, created_at__lt=window.until,
                                status=Visibility.PUBLISHED, is_deleted=False)
    weekly = (posts.order_by().values("author_id", week=TruncWeek("created_at"))
              .annotate(n=Count("id"), likes=Sum("reaction_count"),
                        images=Count("id", filter=Q(body_html__contains="<img")),
                        videos=Count("id", filter=_any("body_html", VIDEO_LINKS)),
                        audio=Count("id", filter=_any("body_html", AUDIO_LINKS))))
    likes = {}
    for row in weekly:
        member = found[row["author_id"]]
        member.signal("forums.posts", row["n"]).active(window.week_of(row["week"]), row["n"])
        likes[row["author_id"]] = likes.get(row["author_id"], 0) + (row["likes"] or 0)
        member.posts_media(talent.TEXT)
        if row["images"]:
            member.posts_media(talent.IMAGES)
        if row["videos"]:
            member.posts_media(talent.VIDEO)
        if row["audio"]:
            member.posts_media(talent.AUDIO)
    for author_id, total in likes.items():
        found[author_id].signal("forums.likes_per_post", total / found[author_id].signals["forums.posts"])

    # Replies written in the window by others in the member's topics (whenever the topic started).
    drawn = (posts.filter(position__gt=1).exclude(author_id=F("topic__author_id")).order_by()
             .values("topic__author_id").annotate(n=Count("id")))
    for row in drawn:
        found[row["topic__author_id"]].signal("forums.replies_drawn", row["n"])

    # Topics started in the window, and the replies they hold now (visible posts, opening excluded).
    topics = (Topic.objects.filter(created_at__gte=window.since, created_at__lt=window.until,
                                   status=Visibility.PUBLISHED).order_by()
              .values("author_id").annotate(n=Count("id"), replies=Sum(F("post_count") - 1)))
    for row in topics:
        member = found[row["author_id"]].signal("forums.topics", row["n"])
        member.signal("forums.replies_per_topic", max(row["replies"] or 0, 0) / row["n"])

    accepted = (Topic.objects.filter(accepted_answer__created_at__gte=window.since,
                                     accepted_answer__created_at__lt=window.until,
                                     accepted_answer__status=Visibility.PUBLISHED)
                .exclude(accepted_answer__author_id=F("author_id")).order_by()
                .values("accepted_answer__author_id").annotate(n=Count("id")))
    for row in accepted:
        found[row["accepted_answer__author_id"]].signal("forums.accepted_answers", row["n"])

    areas = (posts.order_by().values("author_id", "topic__forum_id", "topic__forum__name",
                                     "topic__forum__parent_id", "topic__forum__parent__name")
             .annotate(n=Count("id")))
    for row in areas:
        member = found[row["author_id"]]
        member.posts_in(f"forums.forum:{row['topic__forum_id']}", row["topic__forum__name"], row["n"])
        if row["topic__forum__parent_id"]:
            member.posts_in(f"forums.forum:{row['topic__forum__parent_id']}", row["topic__forum__parent__name"],
                            row["n"])

    for row in _best_posts(posts):
        title = row["topic__title"] if row["position"] == 1 else f"{row['topic__title']} #{row['position']}"
        found[row["author_id"]].piece(title, reverse("forums:post", args=[row["id"]]), row["worth"],
                                      TOPIC_PIECE if row["position"] == 1 else REPLY_PIECE)
    return found


def _best_posts(posts):
    """Each author's three best posts of the window: likes, plus the replies an opening post drew,
    plus a bonus when accepted; one query (ROW_NUMBER() over the author's posts)."""
    worth = (F("reaction_count")
             + Case(When(position=1, then=F("topic__post_count") - 1), default=Value(0), output_field=IntegerField())
             + Case(When(topic__accepted_answer_id=F("id"), then=Value(ACCEPTED_BONUS)), default=Value(0),
                    output_field=IntegerField()))
    ranked = (posts.annotate(worth=worth).filter(worth__gt=0)
              .annotate(rank=Window(RowNumber(), partition_by=[F("author_id")],
                                    order_by=[F("worth").desc(), F("id").desc()]))
              .filter(rank__lte=3))
    return ranked.values("id", "author_id", "position", "topic__title", "worth")


def forum_areas() -> list[tuple[str, str]]:
    """The board's area filter: every category and forum, in tree order (one query)."""
    return [(f"forums.forum:{pk}", name if not level else f"— {name}")
            for pk, name, level in Forum.objects.order_by("tree_id", "lft").values_list("pk", "name", "level")]


talent.register_provider("forums", forum_signals, areas=forum_areas)
