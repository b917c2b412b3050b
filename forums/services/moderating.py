"""Forum moderators' actions: pin, lock, move, hide and restore (logged in the forum's log)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from community import content
from community.models import User, Visibility
from community.permissions import check_can_moderate_forum, check_can_read_forum

from .. import cache_keys
from ..models import Forum, ModerationLogEntry, Post, Topic
from .counters import (
    bump_forum,
    post_visibility_changed,
    refresh_forum_last_post,
    refresh_topic_last_post,
)

__all__ = ["hide_post", "log_action", "move_topic", "post_visibility_changed", "refresh_forum_last_post",
           "refresh_topic_last_post", "restore_post", "set_locked", "set_pinned"]


def log_action(actor, action, *, topic=None, post=None, detail=""):
    ModerationLogEntry.objects.create(actor=actor, action=action, topic=topic, post=post, detail=detail[:300])


def set_pinned(*, actor: User, topic: Topic, pinned: bool) -> Topic:
    check_can_moderate_forum(actor, topic.forum)
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(is_pinned=pinned)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[topic.forum_id], index=False)
        topic.is_pinned = pinned
        log_action(actor, "pin" if pinned else "unpin", topic=topic)
    return topic


def set_locked(*, actor: User, topic: Topic, locked: bool) -> Topic:
    check_can_moderate_forum(actor, topic.forum)
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(is_locked=locked)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[topic.forum_id], index=False)
        topic.is_locked = locked
        log_action(actor, "lock" if locked else "unlock", topic=topic)
    return topic


def move_topic(*, actor: User, topic: Topic, forum: Forum) -> Topic:
    check_can_moderate_forum(actor, topic.forum)
    check_can_read_forum(actor, forum)
    check_can_moderate_forum(actor, forum)
    if forum.is_category:
        raise ValidationError(_("Topics go in a forum, not in a category."))
    if forum.pk == topic.forum_id:
        return topic
    with transaction.atomic():
        locked = Topic.objects.select_for_update(no_key=True).get(pk=topic.pk)
        old_forum_id = locked.forum_id
        Topic.objects.filter(pk=topic.pk).update(forum=forum)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[old_forum_id, forum.pk])
        if locked.status == Visibility.PUBLISHED:
            Forum.objects.filter(pk=old_forum_id).update(topic_count=F("topic_count") - 1,
                                                         post_count=F("post_count") - locked.post_count)
            bump_forum(forum.pk, post=locked.last_post, now=locked.last_post_at, topics=1,
                       posts=locked.post_count)
            refresh_forum_last_post(forum_id=old_forum_id)
        log_action(actor, "move", topic=topic, detail=f"{old_forum_id} -> {forum.pk}")
        topic.forum = forum
    return topic


def hide_post(*, actor: User, post: Post, reason: str = "") -> bool:
    check_can_moderate_forum(actor, post.topic.forum)
    with transaction.atomic():
        changed = content.kind_for(post).hide(post)
        if changed:
            log_action(actor, "hide", topic=post.topic, post=post, detail=reason)
    return changed


def restore_post(*, actor: User, post: Post) -> bool:
    check_can_moderate_forum(actor, post.topic.forum)
    with transaction.atomic():
        changed = content.kind_for(post).restore(post)
        if changed:
            log_action(actor, "restore", topic=post.topic, post=post)
    return changed
