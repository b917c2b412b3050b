"""Spam pipeline fixtures: a public forum with a topic by an established member, a brand-new
member, and a checker that crashes (for the "worker died mid-check" path)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import User
from tests.factories import ForumFactory, TopicFactory, UserFactory

OBVIOUS_SPAM = ("Make $500 a day from home, no experience needed!!! Sign up now: bit.ly/cash-4-u "
                "tinyurl.com/easy-money-now cutt.ly/win-big")


class CrashingChecker:
    name = "crashing"

    def check(self, sample):
        raise RuntimeError("checker crashed")


@pytest.fixture(autouse=True)
def _page_cache_follows_writes_at_once(monkeypatch):
    from community import pagecache
    from forums import cache_keys

    monkeypatch.setattr(cache_keys, "bump_after_commit", pagecache.bump)


@pytest.fixture
def forum(db):
    return ForumFactory(name="Bikes", slug="bikes")


@pytest.fixture
def regular(db):
    """A member of long standing."""
    user = UserFactory(username="regular")
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=400))
    user.refresh_from_db()
    return user


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


@pytest.fixture
def topic(forum, regular, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return TopicFactory(forum=forum, author=regular, title="Tubeless tyres: worth it?",
                            body="I am thinking of going tubeless on my gravel bike. Any advice?")
