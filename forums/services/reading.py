"""Reading state and watching: what a member has read, and what they want to hear about."""

from __future__ import annotations

from django.utils import timezone

from community.models import User
from community.permissions import check_can_watch, check_can_watch_forum

from ..models import Forum, ForumReadMark, ForumSubscription, Topic, TopicReadState, TopicSubscription


def watch_and_mark_read(*, actor: User, topic: Topic, position: int, now) -> None:
    """Trusted (the posting services): the author watches the topic and has read up to `position`."""
    TopicSubscription.objects.bulk_create([TopicSubscription(user=actor, topic=topic)], ignore_conflicts=True)
    TopicReadState.objects.bulk_create(
        [TopicReadState(user=actor, topic=topic, last_read_position=position, read_at=now)],
        update_conflicts=True, unique_fields=["user", "topic"], update_fields=["last_read_position", "read_at"],
    )


def mark_topic_read(*, actor: User, topic: Topic, position: int, known: int | None = None) -> None:
    """Remember the furthest post read; it never moves backwards.

    `known` is the stored position as the caller read it (0: no row yet; None: not read), so the
    common case, re-reading a page, writes nothing.
    """
    if not actor.is_authenticated or position <= 0 or (known is not None and known >= position):
        return
    now = timezone.now()
    if known == 0:
        TopicReadState.objects.bulk_create(
            [TopicReadState(user=actor, topic=topic, last_read_position=position, read_at=now)],
            ignore_conflicts=True)
        return
    updated = TopicReadState.objects.filter(user=actor, topic=topic, last_read_position__lt=position).update(
        last_read_position=position, read_at=now)
    if not updated and known is None:
        TopicReadState.objects.bulk_create(
            [TopicReadState(user=actor, topic=topic, last_read_position=position, read_at=now)],
            ignore_conflicts=True)


def mark_forum_read(*, actor: User, forum: Forum) -> None:
    check_can_watch(actor, forum)
    ForumReadMark.objects.bulk_create([ForumReadMark(user=actor, forum=forum, marked_at=timezone.now())],
                                      update_conflicts=True, unique_fields=["user", "forum"],
                                      update_fields=["marked_at"])


def set_topic_watch(*, actor: User, topic: Topic, watching: bool) -> None:
    check_can_watch(actor, topic.forum)
    if watching:
        TopicSubscription.objects.bulk_create([TopicSubscription(user=actor, topic=topic)], ignore_conflicts=True)
    else:
        TopicSubscription.objects.filter(user=actor, topic=topic).delete()


def set_forum_watch(*, actor: User, forum: Forum, watching: bool) -> None:
    check_can_watch_forum(actor, forum)
    if watching:
        ForumSubscription.objects.bulk_create([ForumSubscription(user=actor, forum=forum)], ignore_conflicts=True)
    else:
        ForumSubscription.objects.filter(user=actor, forum=forum).delete()
