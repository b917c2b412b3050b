"""The forums' denormalized counters, written here only: topic and post counts, last posts."""

from __future__ import annotations

from django.db.models import F

from community.models import Visibility

from .. import cache_keys
from ..models import Forum, Post, Topic
from .statements import bump_forum as forum_counts
from .statements import run_batch


def bump_forum(forum_id: int, *, post: Post | None, now, topics: int = 0, posts: int = 0) -> None:
    """Add to the forum's counts; with a post, it becomes the forum's last one unless a later one is
    there already (only forward, whatever order concurrent writers commit in). One UPDATE."""
    run_batch([forum_counts(forum_id, post_id=post.pk if post is not None else None, now=now, topics=topics,
                            posts=posts)])


def refresh_forum_last_post(*, forum_id: int) -> None:
    last = (Topic.objects.filter(forum_id=forum_id, status=Visibility.PUBLISHED)
            .order_by("-last_post_at").values("last_post_id", "last_post_at").first())
    Forum.objects.filter(pk=forum_id).update(
        last_post_id=last["last_post_id"] if last else None, last_post_at=last["last_post_at"] if last else None)


def refresh_topic_last_post(*, topic_id: int) -> None:
    last = (Post.objects.filter(topic_id=topic_id, status=Visibility.PUBLISHED)
            .order_by("-position").values("pk", "created_at", "author_id").first())
    if last:
        Topic.objects.filter(pk=topic_id).update(last_post_id=last["pk"], last_post_at=last["created_at"],
                                                 last_poster_id=last["author_id"])


def post_visibility_changed(post: Post, old: str, new: str) -> None:
    """Content-protocol hook (inside the row lock's transaction): keep counters exact."""
    was, now_visible = old == Visibility.PUBLISHED, new == Visibility.PUBLISHED
    if was == now_visible:
        return
    delta = 1 if now_visible else -1
    topic = Topic.objects.select_for_update(no_key=True).get(pk=post.topic_id)
    cache_keys.changed(topic_id=topic.pk, forum_ids=[topic.forum_id])
    if post.position == 1:
        # The opening post carries the topic: hiding it hides the topic.
        Topic.objects.filter(pk=topic.pk).update(status=new)
        if topic.status == Visibility.PUBLISHED or now_visible:
            Forum.objects.filter(pk=topic.forum_id).update(
                topic_count=F("topic_count") + delta, post_count=F("post_count") + delta * max(topic.post_count, 1))
            refresh_forum_last_post(forum_id=topic.forum_id)
        return
    Topic.objects.filter(pk=topic.pk).update(post_count=F("post_count") + delta)
    refresh_topic_last_post(topic_id=topic.pk)
    if topic.status == Visibility.PUBLISHED:
        Forum.objects.filter(pk=topic.forum_id).update(post_count=F("post_count") + delta)
        refresh_forum_last_post(forum_id=topic.forum_id)
