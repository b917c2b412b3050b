"""The forum rules of community.permissions: who reads which forum, what a per-forum moderator may
do and where, and who may post (locked topics, silenced and banned members)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from community.permissions import check_can_read_forum, read_level
from forums import services
from forums.models import Access, Post, Topic
from tests.factories import ForumFactory, ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "This topic is locked: it accepts no new replies."


@pytest.mark.parametrize(("role", "level"), [
    ("visitor", 0), ("member", 1), ("contributor", 2), ("cm", 3), ("staff", 3),
])
def test_each_role_reads_forums_up_to_its_level(as_role, category, role, level):
    user = as_role(role)
    forums = {access: ForumFactory(parent=category, access=access) for access in Access.values}

    readable = []
    for access, forum in forums.items():
        try:
            check_can_read_forum(user, forum)
        except Http404:
            continue
        readable.append(access)

    assert read_level(user) == level
    assert readable == list(range(level + 1))


@pytest.mark.parametrize("sanction", ["banned_at", "suspended_until"])
def test_a_banned_or_suspended_member_reads_like_a_visitor(members_forum, sanction):
    user = UserFactory(**{sanction: timezone.now() + timedelta(days=3)})

    assert read_level(user) == 0
    with pytest.raises(Http404):
        check_can_read_forum(user, members_forum)


# --- per-forum moderators ----------------------------------------------------------------------------------

@pytest.fixture
def lea(forum):
    """A member who moderates `forum` (and only it)."""
    lea = UserFactory(username="lea")
    forum.moderators.add(lea)
    return lea


def test_a_forum_moderator_pins_locks_and_hides_in_their_forum(topic, lea, member):
    reply = ReplyFactory(topic=topic, author=member)

    services.set_pinned(actor=lea, topic=topic, pinned=True)
    services.set_locked(actor=lea, topic=topic, locked=True)
    services.hide_post(actor=lea, post=reply)

    topic.refresh_from_db()
    assert topic.is_pinned and topic.is_locked
    assert Post.objects.get(pk=reply.pk).status == "hidden"


def test_a_forum_moderator_has_no_power_in_another_forum(other_forum, lea, oliver, member):
    elsewhere = services.create_topic(actor=oliver, forum=other_forum, title="Elsewhere", body="Hi")
    reply = ReplyFactory(topic=elsewhere, author=member)

    for action in (lambda: services.set_pinned(actor=lea, topic=elsewhere, pinned=True),
                   lambda: services.set_locked(actor=lea, topic=elsewhere, locked=True),
                   lambda: services.hide_post(actor=lea, post=reply)):
        with pytest.raises(PermissionDenied, match="Only moderators of this forum"):
            action()

    elsewhere.refresh_from_db()
    assert not elsewhere.is_pinned and not elsewhere.is_locked
    assert Post.objects.get(pk=reply.pk).status == "published"


def test_a_member_is_no_moderator(topic, member):
    with pytest.raises(PermissionDenied, match="Only moderators of this forum"):
        services.set_locked(actor=member, topic=topic, locked=True)

    assert not Topic.objects.get(pk=topic.pk).is_locked


# --- who may post --------------------------------------------------------------------------------------

def test_a_locked_topic_refuses_a_members_reply_with_a_clear_message(topic, cm, member):
    services.set_locked(actor=cm, topic=topic, locked=True)

    with pytest.raises(PermissionDenied, match=LOCKED):
        services.post_reply(actor=member, topic=topic, body="Let me in")

    assert Post.objects.filter(topic=topic).count() == 1


def test_a_moderator_can_still_reply_to_a_locked_topic(topic, cm, lea):
    services.set_locked(actor=cm, topic=topic, locked=True)

    services.post_reply(actor=cm, topic=topic, body="Locked, sorry: see the rules.")
    services.post_reply(actor=lea, topic=topic, body="Seconded.")

    assert Post.objects.filter(topic=topic).count() == 3


def test_a_silenced_member_can_neither_reply_nor_start_a_topic(topic, forum):
    silenced = UserFactory(silenced_until=timezone.now() + timedelta(days=1))

    with pytest.raises(PermissionDenied, match="You are silenced until"):
        services.post_reply(actor=silenced, topic=topic, body="Hear me")
    with pytest.raises(PermissionDenied, match="You are silenced until"):
        services.create_topic(actor=silenced, forum=forum, title="Hear me", body="Please")

    assert Post.objects.count() == 1


def test_a_silence_that_ended_lets_the_member_post_again(topic):
    was_silenced = UserFactory(silenced_until=timezone.now() - timedelta(minutes=1))

    services.post_reply(actor=was_silenced, topic=topic, body="I am back")

    assert Post.objects.filter(topic=topic).count() == 2


def test_a_banned_member_cannot_post(topic, forum):
    banned = UserFactory(banned_at=timezone.now())

    with pytest.raises(PermissionDenied, match="banned"):
        services.post_reply(actor=banned, topic=topic, body="Hear me")
    with pytest.raises(PermissionDenied, match="banned"):
        services.create_topic(actor=banned, forum=forum, title="Hear me", body="Please")

    assert Post.objects.count() == 1


def test_a_member_cannot_post_in_a_forum_they_cannot_read(cm_forum, cm_topic, member):
    with pytest.raises(Http404):
        services.create_topic(actor=member, forum=cm_forum, title="Let me in", body="Please")
    with pytest.raises(Http404):
        services.post_reply(actor=member, topic=cm_topic, body="Let me in")

    assert Post.objects.count() == 1


def test_topics_go_in_forums_not_in_categories(category, member):
    with pytest.raises(PermissionDenied, match="not in a category"):
        services.create_topic(actor=member, forum=category, title="Here?", body="Hmm")
