"""Who the forums' events concern (registered with community.notifications)."""

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from community import markup, notifications
from community.models import User, Visibility
from community.notifications import MENTION, REACTION, REPLY, WATCHED_FORUM, WATCHED_TOPIC, Recipients
from community.permissions import MODERATE, OWN_SPACE, read_level

from .models import Post


def readers(forum):
    """The members who may read `forum` now, as a queryset: community.permissions.read_level as a
    filter (active and not banned; not suspended past the public level; the role the level needs)."""
    users = User.objects.filter(is_active=True, banned_at__isnull=True).order_by()
    if forum.read_level == 0:
        return users
    users = users.exclude(suspended_until__gt=timezone.now())
    if forum.read_level == 1:
        return users
    codenames = [MODERATE] if forum.read_level >= 3 else [OWN_SPACE, MODERATE]
    has_role = Group.objects.filter(user=OuterRef("pk"), permissions__codename__in=codenames)
    return users.filter(Q(is_superuser=True) | Q(is_staff=True) | Exists(has_role))


def readers_among(user_ids, forum) -> set[int]:
    """The members among `user_ids` (a handful) who may read `forum`: one query, none for no ids."""
    ids = {uid for uid in user_ids if uid}
    if not ids:
        return set()
    return set(readers(forum).filter(pk__in=ids).values_list("pk", flat=True))


def can_view_post(user, post) -> bool:
    """Content-protocol `can_view` of forum posts (asked again when emails go out)."""
    topic = post.topic
    return (post.status == Visibility.PUBLISHED and not post.is_deleted and topic.status == Visibility.PUBLISHED
            and topic.forum.read_level <= read_level(user))


def _post(event):
    post = (Post.objects.select_related("topic__forum", "author")
            .filter(pk=event.target_id).first())
    if post is None or post.status != Visibility.PUBLISHED or post.topic.status != Visibility.PUBLISHED:
        return None  # held or gone: nobody is told (moderation tells them once it is approved)
    return post


def _data(post):
    return {"title": post.topic.title, "url": f"/forums/p/{post.pk}/",
            "excerpt": markup.excerpt(post.body_html, 160), "forum": post.topic.forum.name}


def new_post_recipients(event):
    """Who a new post concerns, each once for the most specific reason: mentioned, then the topic's
    author (a reply), then watchers of the topic (a reply) or of the forum (a new topic). Never its
    author, nobody who may not read the forum. Watchers come from a join (one query however many
    they are), the few others from a short list."""
    post = _post(event)
    if post is None:
        return None
    topic = post.topic
    may_read = readers(topic.forum)
    if post.position == 1:
        watchers, watching = may_read.filter(forum_subscriptions__forum_id=topic.forum_id), WATCHED_FORUM.name
        named = {}
    else:
        watchers, watching = may_read.filter(topic_subscriptions__topic_id=topic.pk), WATCHED_TOPIC.name
        named = {topic.author_id: REPLY.name}
    for user_id in (event.payload or {}).get("mentions", []):
        if _outranks(MENTION.name, named.get(user_id)):
            named[user_id] = MENTION.name
    candidates = dict.fromkeys(watchers.values_list("pk", flat=True), watching)
    for user_id in readers_among(named, topic.forum):
        if _outranks(named[user_id], candidates.get(user_id)):
            candidates[user_id] = named[user_id]
    candidates.pop(post.author_id, None)
    return Recipients(kinds=candidates, group_key=f"topic:{topic.pk}", data=_data(post))


def _outranks(kind: str, current: str | None) -> bool:
    return current is None or notifications.get_kind(kind).priority > notifications.get_kind(current).priority


def reaction_recipients(event):
    post = _post(event)
    if post is None or post.author_id == event.actor_id:
        return None
    if post.author_id not in readers_among([post.author_id], post.topic.forum):
        return None
    return Recipients(kinds={post.author_id: REACTION.name}, group_key=f"post:{post.pk}", data=_data(post))


notifications.register_source("content.created", "forums.post", new_post_recipients)
# A post held for review (new member, watched word, spam false positive) is announced when a CM
# publishes it, with its original mentions (moderation.reports.decide).
notifications.register_source("content.published", "forums.post", new_post_recipients)
notifications.register_source("forums.reaction", "forums.post", reaction_recipients)
