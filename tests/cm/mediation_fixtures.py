"""Fixtures of the mediation tests (the brand-watch inbox, escalations): CMs, a forum thread, a
space with a post, and alerts raised the way the site raises them (the outbox handler)."""

import pytest

from blogs.comments import add_comment
from blogs.models import SpacePostPage
from blogs.services import create_space
from community import content
from moderation import watched
from moderation.models import WatchedWordHit
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

CM_ROLE = "Community managers"


@pytest.fixture
def cm(db):
    return UserFactory(username="sam", display_name="Sam Okafor", roles=[CM_ROLE])


@pytest.fixture
def other_cm(db):
    return UserFactory(username="lea", display_name="Léa Martin", roles=[CM_ROLE])


@pytest.fixture
def staff(db):
    return UserFactory(username="boss", display_name="The Boss", roles=["Staff"], is_staff=True)


@pytest.fixture
def member(db):
    return UserFactory(username="maya", display_name="Maya Lindqvist")


@pytest.fixture
def contributor(db):
    return UserFactory(username="jules", roles=["Contributors"])


@pytest.fixture
def topic(db, member):
    forum = ForumFactory(name="Bikes", slug="bikes")
    return TopicFactory(forum=forum, author=member, title="Tubeless tyres", body="Worth it on gravel?")


@pytest.fixture
def brand(db, cm):
    """The brand watch's word: an alert, watched by the CM."""
    word = watched.create_word(phrase="Tribune", action="alert")
    word.watchers.set([cm])
    watched.matcher()  # compiled now, not during a measured request
    return word


def raise_alerts(obj):
    """The outbox handler's part that stores the hits (as when the item is published)."""
    return watched.record_hits(kind=content.kind_for(obj), obj=obj)


def reply_with_alert(topic, author, body, capture):
    with capture(execute=True):
        post = ReplyFactory(topic=topic, author=author, body=body)
    return post, WatchedWordHit.objects.get(kind="forums.post", object_id=post.pk)


@pytest.fixture
def space_post(db, cm, member):
    space = create_space(actor=cm, owner=member, kind="column", title="Maya's column")
    post = SpacePostPage(title="Gravel diaries")
    space.add_child(instance=post)
    post.save_revision(user=member).publish(user=member)
    return SpacePostPage.objects.get(pk=post.pk)


def comment_on(post, author, body, parent=None):
    return add_comment(actor=author, post=post, body=body, parent=parent)
