"""Forum fixtures: a small tree (a category with a public forum, a Q&A forum, a members-only and a
community-managers-only forum), a topic with its opening post, and clients for each role."""

import pytest
from django.test import Client

from forums.models import Access
from tests.factories import ForumFactory, TopicFactory, UserFactory


@pytest.fixture(autouse=True)
def _page_cache_follows_writes_at_once(monkeypatch):
    """Services bump the page-cache generations after commit. A unit test runs in a transaction that
    never commits, so here the bump happens at once (the page cache itself stays on, as configured);
    test_views checks the real after-commit path once."""
    from community import pagecache
    from forums import cache_keys

    monkeypatch.setattr(cache_keys, "bump_after_commit", pagecache.bump)


@pytest.fixture
def oliver(db):
    """Another member, who starts topics and replies to them."""
    return UserFactory(username="oliver")


@pytest.fixture
def category(db):
    return ForumFactory(name="Community", slug="community", is_category=True, description="")


@pytest.fixture
def forum(category):
    return ForumFactory(name="Introductions", slug="introductions", parent=category,
                        description="New here? Say hello.")


@pytest.fixture
def other_forum(category):
    return ForumFactory(name="Café", slug="cafe", parent=category, position=1)


@pytest.fixture
def qa_forum(category):
    return ForumFactory(name="Questions", slug="questions", parent=category, is_questions=True, position=2)


@pytest.fixture
def members_forum(category):
    return ForumFactory(name="Members lounge", slug="members-lounge", parent=category,
                        access=Access.MEMBERS, position=3)


@pytest.fixture
def cm_forum(category):
    return ForumFactory(name="CM room", slug="cm-room", parent=category,
                        access=Access.COMMUNITY_MANAGERS, position=4)


@pytest.fixture
def topic(forum, oliver):
    """'Hello everyone' by oliver in the public forum: one opening post, no reply yet."""
    return TopicFactory(forum=forum, author=oliver, title="Hello everyone", body="I am **Oliver**, hi!")


@pytest.fixture
def cm_topic(cm_forum, cm):
    return TopicFactory(forum=cm_forum, author=cm, title="Secret staff plans", body="Only for CMs.")


@pytest.fixture
def members_topic(members_forum, oliver):
    return TopicFactory(forum=members_forum, author=oliver, title="Members gossip", body="Only for members.")


@pytest.fixture
def client_for():
    """client_for(user) -> a new test client logged in as `user` (several can live in one test)."""

    def make(user=None):
        new = Client()
        if user is not None:
            new.force_login(user)
        return new

    return make
