"""What forums brings to the CM workspace's featuring registry (registered at import, from forums's ready()):
a topic can be featured on the home page."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from community import featuring
from community.models import Visibility
from community.permissions import readable_forums_filter

from .models import Post, Topic

EXCERPT_WORDS = 30
_EXCERPT_SOURCE = 1500  # characters of the opening post's HTML read for the excerpt


def resolve_topics(ids, viewer):
    """Published topics in forums `viewer` may read, as cards — one query. A topic withdrawn by its
    author (its opening post deleted), held or removed is not published: it is not shown."""
    topics = (Topic.objects.filter(Q(pk__in=ids, status=Visibility.PUBLISHED), readable_forums_filter(viewer, "forum__"))
              .select_related("forum", "author")
              .annotate(opening=Substr("first_post__body_html", 1, _EXCERPT_SOURCE),
                        opening_status=Q(first_post__status=Visibility.PUBLISHED, first_post__is_deleted=False))
              .only("pk", "title", "slug", "forum__id", "forum__name", "author__id", "author__username",
                    "author__display_name"))
    cards = {}
    for topic in topics:
        excerpt = ""
        if topic.opening and topic.opening_status:
            excerpt = Truncator(" ".join(strip_tags(topic.opening).split())).words(EXCERPT_WORDS)
        cards[topic.pk] = featuring.Card(
            title=topic.title, url=topic.get_absolute_url(), kind_label=str(_("Forum topic")),
            excerpt=excerpt, author=topic.author.name, author_url=topic.author.get_absolute_url())
    return cards


def lookup_topic(text):
    """A topic's id from its address (/forums/t/12-slug/, its "unread" link, the permalink of one of
    its posts) or its bare id."""
    found = featuring.bare_id(text)
    if found is not None:
        return found
    match = featuring.resolve_path(text)
    if match is None or match.namespace != "forums":
        return None
    if match.url_name in ("topic", "topic_unread", "reply", "topic_watch"):
        return featuring.as_id(match.kwargs["topic_id"])
    if match.url_name in ("post", "post_history"):
        post_id = featuring.as_id(match.kwargs["post_id"])
        if post_id is None:  # a number no row can have (it would overflow the database's integer)
            return None
        return Post.objects.filter(pk=post_id).values_list("topic_id", flat=True).first()
    return None


def latest_topics(limit):
    """The most recently active topics every visitor may read."""
    return list(Topic.objects.filter(Q(status=Visibility.PUBLISHED), readable_forums_filter(AnonymousUser(), "forum__"))
                .order_by("-last_post_at").values_list("pk", flat=True)[:limit])


featuring.register("forums.topic", label=_("Forum topic"), group=featuring.PIECE,
                   resolve=resolve_topics, lookup=lookup_topic, latest=latest_topics)
