"""Reads of the forums: visibility applied, joins in place, a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from community import content, prepared, rows
from community.models import Visibility
from community.permissions import (
    check_can_quote_post,
    check_can_read_forum,
    check_can_read_post,
    check_can_read_post_text,
    check_can_read_topic,
    content_visibility,
    forum_content_visibility,
    may_read_text,
    may_see_redacted_revisions,
    readable_forums_filter,
)

from .models import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Forum,
    ForumReadMark,
    ForumSubscription,
    Post,
    PostRevision,
    Reaction,
    Topic,
    TopicReadState,
    TopicSubscription,
)

LAST_POST_FIELDS = ("last_post__author", "last_post__topic")


def _topic_visibility(actor, forum=None) -> Q:
    """Topics `actor` may see in a list: the content rule (community.permissions), with the
    forum's moderators as moderators."""
    if forum is not None:
        return forum_content_visibility(actor, forum)
    return content_visibility(actor)


def _as_id(value) -> int:
    """A row id from a URL (a string of digits) as the integer it is; anything else is no row."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404(_("Unknown page.")) from None


@dataclass
class IndexSection:
    category: Forum
    forums: list


def _index_query(readable):
    return (
        Forum.objects.filter(readable)
        .select_related(*LAST_POST_FIELDS)
        .only("pk", "name", "slug", "description", "is_category", "is_questions", "parent_id", "level",
              "lft", "tree_id", "topic_count", "post_count", "last_post_at", "access",
              "last_post__id", "last_post__position", "last_post__topic__id", "last_post__topic__slug",
              "last_post__topic__title", "last_post__author__id", "last_post__author__username",
              "last_post__author__display_name")
        .order_by("tree_id", "lft")
    )


def forum_index(actor) -> list[IndexSection]:
    """The index: every readable node with its last post, in tree order: one query."""
    nodes = prepared.run("forum_index", _index_query, readable=readable_forums_filter(actor))
    by_id = {node.pk: node for node in nodes}
    sections: list[IndexSection] = []
    loose: list[Forum] = []
    for node in nodes:
        node.subforums = []
    for node in nodes:
        parent = by_id.get(node.parent_id)
        if parent is not None:
            parent.subforums.append(node)
    for node in nodes:
        if node.parent_id is None:
            if node.is_category:
                sections.append(IndexSection(category=node, forums=node.subforums))
            else:
                loose.append(node)
    # A category's figures are its forums' (subtrees included).
    for node in reversed(nodes):
        if node.is_category:
            node.topic_count = sum(child.topic_count for child in node.subforums)
            node.post_count = sum(child.post_count for child in node.subforums)
    if loose:
        sections.insert(0, IndexSection(category=None, forums=loose))
    return sections


def _forum_query(forum_id, reader_id):
    forums = Forum.objects.select_related("parent__parent")
    if reader_id is not None:
        forums = forums.annotate(
            watching=Exists(ForumSubscription.objects.filter(user_id=reader_id, forum=OuterRef("pk"))),
            marked_at=Subquery(ForumReadMark.objects.filter(user_id=reader_id, forum=OuterRef("pk"))
                               .order_by("pk").values("marked_at")[:1]))
    return forums.filter(pk=forum_id).order_by()[:1]


def forum_for(actor, forum_id: int, *, reader_state: bool = False) -> Forum:
    """The forum, readable by `actor`, or Http404. With `reader_state`, in the same query, whether a
    member watches it (`forum.watching`) and when they last marked it all read (`forum.marked_at`)."""
    reader_id = actor.pk if reader_state and actor.is_authenticated else None
    found = prepared.run("forum_for", _forum_query, forum_id=_as_id(forum_id), reader_id=reader_id)
    if not found:
        raise Http404(_("No such forum."))
    forum = found[0]
    check_can_read_forum(actor, forum)
    return forum


def subforums(actor, forum: Forum) -> list[Forum]:
    """Readable children of a forum (one query), for trees deeper than category > forum."""
    if forum.is_leaf_node():
        return []
    return list(forum.get_children().filter(readable_forums_filter(actor)).select_related("last_post__topic"))


def breadcrumbs(forum: Forum) -> list[Forum]:
    """Ancestors of `forum`, root first. Callers load `parent__parent` with the forum, so the usual
    shallow tree costs no query; deeper trees cost one."""
    if forum.level > 2:
        return list(forum.get_ancestors().only("pk", "name", "slug", "is_category"))
    chain, node = [], forum
    while node.parent_id is not None:
        node = node.parent
        chain.append(node)
    return chain[::-1]


def page_number(value, *, last: int) -> int:
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        raise Http404(_("Unknown page.")) from None
    if number < 1 or number > max(last, 1):
        raise Http404(_("Unknown page."))
    return number


@dataclass
class Page:
    number: int
    num_pages: int
    object_list: list

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def has_other_pages(self):
        return self.num_pages > 1

    @property
    def page_range(self):
        return range(1, self.num_pages + 1)


def _topic_list(forum_id, visibility, reader_id, start):
    topics = Topic.objects.filter(visibility, forum_id=forum_id)
    if reader_id is not None:  # how far the member read each topic, in the same query
        topics = topics.annotate(read_position=Subquery(
            TopicReadState.objects.filter(user_id=reader_id, topic=OuterRef("pk")).order_by("pk")
            .values("last_read_position")[:1]))
    return (
        topics
        .select_related("author", "last_poster")
        .only("pk", "title", "slug", "status", "is_pinned", "is_locked", "is_solved", "post_count",
              "last_position", "last_post_at", "forum_id",
              "author__id", "author__username", "author__display_name",
              "last_poster__id", "last_poster__username", "last_poster__display_name")
        .order_by("-is_pinned", "-last_post_at", "-pk")[start:start + TOPICS_PER_PAGE]
    )


def topic_page(actor, forum: Forum, number) -> Page:
    """Pinned first, then by last activity. The count comes from the forum's counter (no COUNT(*));
    moderators, who also see hidden topics, get an exact count."""
    visibility = _topic_visibility(actor, forum)
    total = forum.topic_count if visibility else Topic.objects.filter(forum=forum).count()
    num_pages = max((total + TOPICS_PER_PAGE - 1) // TOPICS_PER_PAGE, 1)
    number = page_number(number, last=num_pages)
    start = (number - 1) * TOPICS_PER_PAGE
    topics = prepared.run("topic_page", _topic_list, forum_id=forum.pk, visibility=visibility,
                          reader_id=actor.pk if actor.is_authenticated else None, start=prepared.Fixed(start))
    return Page(number=number, num_pages=num_pages, object_list=topics)


def annotate_unread(actor, topics, *, forum: Forum | None = None) -> None:
    """Set topic.unread and topic.new_posts for a member: one query for read states (+1 for the
    forum's 'mark all read'); none when `topic_page` and `forum_for(reader_state=True)` brought them."""
    for topic in topics:
        topic.unread = False
        topic.new_posts = 0
        topic.first_unread = 1
    if not actor.is_authenticated or not topics:
        return
    if all(hasattr(topic, "read_position") for topic in topics):
        states = {topic.pk: topic.read_position for topic in topics if topic.read_position is not None}
    else:
        states = dict(
            TopicReadState.objects.filter(user=actor, topic__in=[t.pk for t in topics])
            .values_list("topic_id", "last_read_position")
        )
    marked_at = None
    if forum is not None and hasattr(forum, "marked_at"):
        marked_at = forum.marked_at
    elif forum is not None:
        marked_at = (ForumReadMark.objects.filter(user=actor, forum=forum)
                     .values_list("marked_at", flat=True).first())
    for topic in topics:
        read = states.get(topic.pk)
        if read is None:
            if marked_at is not None and topic.last_post_at <= marked_at:
                continue
            topic.unread = True
            topic.new_posts = topic.post_count
            topic.first_unread = 1
        elif read < topic.last_position:
            if marked_at is not None and topic.last_post_at <= marked_at:
                continue
            topic.unread = True
            topic.new_posts = topic.last_position - read
            topic.first_unread = read + 1


def _topic_query(topic_id, with_author, reader_id):
    if with_author:
        topics = Topic.objects.select_related("forum__parent__parent", "accepted_answer__author", "author")
    else:  # the topic page, which shows no topic author (each post shows its own)
        topics = Topic.objects.select_related("forum__parent__parent", "accepted_answer__author")
    if reader_id is not None:
        topics = topics.annotate(
            watching=Exists(TopicSubscription.objects.filter(user_id=reader_id, topic=OuterRef("pk"))),
            read_position=Subquery(TopicReadState.objects.filter(user_id=reader_id, topic=OuterRef("pk"))
                                   .order_by("pk").values("last_read_position")[:1]))
    return topics.filter(pk=topic_id).order_by()[:1]


def topic_for(actor, topic_id: int, *, reader_state: bool = False) -> Topic:
    """The topic, readable by `actor`, or Http404. With `reader_state` (the topic page), in the same
    query, whether a member watches it (`topic.watching`) and how far they have read
    (`topic.read_position`); the topic's author is then not loaded."""
    reader_id = actor.pk if reader_state and actor.is_authenticated else None
    found = prepared.run("topic_for", _topic_query, topic_id=_as_id(topic_id), with_author=not reader_state,
                         reader_id=reader_id)
    if not found:
        raise Http404(_("No such topic."))
    topic = found[0]
    check_can_read_topic(actor, topic)
    return topic


def post_for(actor, post_id: int) -> Post:
    post = Post.objects.select_related("topic__forum", "author").filter(pk=post_id).first()
    if post is None:
        raise Http404(_("No such post."))
    check_can_read_post(actor, post)
    return post


def quotable_post(actor, topic: Topic, post_id) -> Post:
    """A post a reply in `topic` may quote, for `actor` (community.permissions.check_can_quote_post:
    its text readable by them, public, in this topic). Anything else is Http404."""
    post = Post.objects.select_related("topic__forum", "author").filter(pk=post_id).first()
    if post is None:
        raise Http404(_("No such post."))
    check_can_quote_post(actor, post, topic)
    return post


def accepted_answer_shown(actor, topic: Topic) -> Post | None:
    """The answer quoted at the top of a question: public, and readable by `actor` (the text rule;
    no query, the answer and its author come with the topic)."""
    answer = topic.accepted_answer
    if answer is None:
        return None
    answer.topic = topic
    if not (content.kind_for(answer).is_public(answer) and may_read_text(actor, answer)):
        return None
    return answer


def post_with_text(actor, post_id: int) -> Post:
    """A post whose text `actor` may read (its edit history): Http404 otherwise."""
    post = post_for(actor, post_id)
    check_can_read_post_text(actor, post)
    return post


def revisions_of(actor, post: Post, *, limit: int = 50) -> tuple[list, bool]:
    """A post's earlier versions, newest first, and whether some are withheld from `actor`: those a
    moderator replaced (a redaction) are for the forum's moderators only."""
    rows = list(PostRevision.objects.filter(post=post).select_related("editor")
                .order_by("-created_at", "-pk")[:limit])
    if may_see_redacted_revisions(actor, post):
        return rows, False
    shown = [row for row in rows if not row.moderators_only]
    return shown, len(shown) < len(rows)


def _posts_query(topic_id, low, high, visibility, reader_id):
    posts = Post.objects.filter(visibility, topic_id=topic_id, position__gte=low, position__lte=high)
    if reader_id is not None:  # the member's likes, in the same query
        posts = posts.annotate(liked_by_me=Exists(Reaction.objects.filter(user_id=reader_id, post=OuterRef("pk"))))
    return (
        posts.select_related("author", "author__profile")
        .only("pk", "position", "body_html", "created_at", "edited_at", "edit_count", "is_deleted",
              "reaction_count", "status", "spam_status", "topic_id",
              "author__id", "author__username", "author__display_name", "author__date_joined",
              "author__profile__avatar", "author__profile__id")
        .order_by("position")
    )


def posts_page(actor, topic: Topic, number) -> Page:
    """Page k holds positions 20(k-1)+1 … 20k: an index range scan on (topic, position), so the
    last page of a long topic costs what the first does."""
    num_pages = topic.page_count
    number = page_number(number, last=num_pages)
    low = (number - 1) * POSTS_PER_PAGE + 1
    high = number * POSTS_PER_PAGE
    posts = prepared.run("posts_page", _posts_query, topic_id=topic.pk, low=low, high=high,
                         visibility=forum_content_visibility(actor, topic.forum),
                         reader_id=actor.pk if actor.is_authenticated else None)
    return Page(number=number, num_pages=num_pages, object_list=posts)


def member_topic_state(actor, topic: Topic, posts) -> dict:
    """What a member needs on a topic page: their likes on these posts, whether they watch it and
    how far they have read. No query when `topic_for(reader_state=True)` and `posts_page` brought
    them (the topic page); otherwise three. None for a visitor."""
    if not actor.is_authenticated:
        return {"liked": set(), "watching": False, "read_position": None}
    if all(hasattr(post, "liked_by_me") for post in posts):
        liked = {post.pk for post in posts if post.liked_by_me}
    else:
        liked = set(Reaction.objects.filter(user=actor, post__in=[p.pk for p in posts])
                    .values_list("post_id", flat=True))
    if hasattr(topic, "watching"):
        watching, read_position = topic.watching, topic.read_position
    else:
        watching = TopicSubscription.objects.filter(user=actor, topic=topic).exists()
        read_position = (TopicReadState.objects.filter(user=actor, topic=topic)
                         .values_list("last_read_position", flat=True).first())
    return {"liked": liked, "watching": watching, "read_position": read_position}


def watches_forum(actor, forum: Forum) -> bool:
    if not actor.is_authenticated:
        return False
    if hasattr(forum, "watching"):  # forum_for(reader_state=True)
        return forum.watching
    return ForumSubscription.objects.filter(user=actor, forum=forum).exists()


def first_unread_position(actor, topic: Topic) -> int:
    if not actor.is_authenticated:
        return 1
    read = (TopicReadState.objects.filter(user=actor, topic=topic)
            .values_list("last_read_position", flat=True).first()) or 0
    return min(read + 1, max(topic.last_position, 1))


def latest_topics(actor, *, limit: int = 30):
    return list(
        Topic.objects.filter(Q(status=Visibility.PUBLISHED), readable_forums_filter(actor, "forum__"))
        .select_related("forum", "author", "first_post")
        .order_by("-created_at")[:limit]
    )


def forum_topics_feed(actor, forum: Forum, *, limit: int = 30):
    return list(
        Topic.objects.filter(forum=forum, status=Visibility.PUBLISHED)
        .select_related("forum", "author", "first_post")
        .order_by("-created_at")[:limit]
    )


def latest_activity(actor, *, limit: int = 8):
    """For the home page: the most recently active topics the actor may read."""
    return list(
        Topic.objects.filter(Q(status=Visibility.PUBLISHED), readable_forums_filter(actor, "forum__"))
        .select_related("forum", "last_poster")
        .only("pk", "title", "slug", "post_count", "last_position", "last_post_at", "forum__id", "forum__name",
              "forum__slug", "last_poster__id", "last_poster__username", "last_poster__display_name")
        .order_by("-last_post_at")[:limit]
    )


def movable_forums(actor):
    return list(Forum.objects.filter(readable_forums_filter(actor), is_category=False).order_by("tree_id", "lft"))


# The write path's look-up (the reply view runs on every reply): the few columns it needs, in one
# JOIN whose SQL is built once (community.rows), without the ORM's per-call compilation.
REPLY_TOPIC_FIELDS = ("slug", "title", "status", "author_id", "is_locked", "forum_id", "last_position")
REPLY_FORUM_FIELDS = ("read_level", "is_category", "is_questions")


def topic_to_reply_to(actor, topic_id: int) -> Topic:
    """The topic a member replies to, with its forum (only what the reply view and its rules read);
    Http404 when it does not exist for them."""
    topic = rows.get_with_parent(Topic, topic_id, fields=REPLY_TOPIC_FIELDS, parent="forum",
                                 parent_fields=REPLY_FORUM_FIELDS)
    if topic is None:
        raise Http404(_("No such topic."))
    check_can_read_topic(actor, topic)
    return topic
