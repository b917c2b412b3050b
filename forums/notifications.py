"""Who the forums' events concern (registered with community.notifications)."""

from django.db.models import Q

from community import markup, notifications
from community.models import Visibility
from community.notifications import MENTION, REACTION, REPLY, WATCHED_FORUM, WATCHED_TOPIC, Recipients
from community.permissions import read_level

from .models import ForumSubscription, Post, TopicSubscription


def readers_among(user_ids, forum) -> set[int]:
    """The members among `user_ids` who may read `forum` (one query at most)."""
    from community.models import User

    ids = set(user_ids)
    if not ids:
        return set()
    users = User.objects.filter(pk__in=ids, is_active=True, banned_at__isnull=True)
    if forum.read_level <= 1:
        return set(users.values_list("pk", flat=True))
    codename = "own_featured_space" if forum.read_level == 2 else "moderate_content"
    allowed = set(users.filter(groups__permissions__codename__in={codename, "moderate_content"})
                  .values_list("pk", flat=True))
    allowed |= set(users.filter(Q(is_superuser=True) | Q(is_staff=True)).values_list("pk", flat=True))
    return allowed


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
    post = _post(event)
    if post is None:
        return None
    topic = post.topic
    candidates: dict[int, str] = {}

    def offer(user_id, kind):
        current = candidates.get(user_id)
        if current is None or notifications.get_kind(kind).priority > notifications.get_kind(current).priority:
            candidates[user_id] = kind

    if post.position == 1:
        for user_id in ForumSubscription.objects.filter(forum_id=topic.forum_id).values_list("user_id", flat=True):
            offer(user_id, WATCHED_FORUM.name)
    else:
        for user_id in TopicSubscription.objects.filter(topic=topic).values_list("user_id", flat=True):
            offer(user_id, WATCHED_TOPIC.name)
        offer(topic.author_id, REPLY.name)
    for user_id in (event.payload or {}).get("mentions", []):
        offer(user_id, MENTION.name)
    candidates.pop(post.author_id, None)
    readers = readers_among(candidates, topic.forum)
    return Recipients(kinds={uid: kind for uid, kind in candidates.items() if uid in readers},
                      group_key=f"topic:{topic.pk}", data=_data(post))


def reaction_recipients(event):
    post = _post(event)
    if post is None or post.author_id == event.actor_id:
        return None
    if post.author_id not in readers_among([post.author_id], post.topic.forum):
        return None
    return Recipients(kinds={post.author_id: REACTION.name}, group_key=f"post:{post.pk}", data=_data(post))


notifications.register_source("content.created", "forums.post", new_post_recipients)
notifications.register_source("forums.reaction", "forums.post", reaction_recipients)
