"""Fixtures shared by every layer. Layer-specific ones live in tests/<layer>/conftest.py."""

import os

import pytest
from django.contrib.auth.models import AnonymousUser
from kombu.exceptions import OperationalError

from community import events, tasks
from tests.factories import UserFactory


def pytest_sessionfinish(session, exitstatus):
    """In CI (TRIBUNE_FAIL_ON_SKIP=1) a test skipped for lack of a service fails the run."""
    if os.environ.get("TRIBUNE_FAIL_ON_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        if reporter:
            reporter.write_line(f"TRIBUNE_FAIL_ON_SKIP: {skipped} test(s) skipped; failing the run.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _no_watched_words():
    """Each test starts with an empty watched-word matcher (no query): a rolled-back test's words
    must not linger in the process-wide compiled matcher."""
    from moderation import watched

    watched.reset(empty=True)
    yield
    watched.reset(empty=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def member(db):
    return UserFactory(username="maya")


@pytest.fixture
def contributor(db):
    return UserFactory(username="jules", roles=["Contributors"])


@pytest.fixture
def cm(db):
    return UserFactory(username="sam", roles=["Community managers"])


@pytest.fixture
def staff(db):
    return UserFactory(username="boss", roles=["Staff"], is_staff=True, is_superuser=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def visitor():
    """Someone browsing without an account."""
    return AnonymousUser()


@pytest.fixture
def as_role(request):
    """as_role("cm") -> the user of that fixture; "visitor" gives an anonymous user."""

    def get(role):
        return request.getfixturevalue(role)

    return get


@pytest.fixture
def client_as(client, as_role):
    """client_as("member") -> the test client logged in as that role (a visitor stays logged out)."""

    def log_in(role):
        user = as_role(role)
        if user.is_authenticated:
            client.force_login(user)
        return client

    return log_in


@pytest.fixture
def event_handler():
    """event_handler(kind, fn): register `fn` with events.handles for a test-only event kind;
    it is unregistered after the test."""
    registered = []

    def register(kind, fn):
        events.handles(kind)(fn)
        registered.append((kind, fn))
        return fn

    yield register
    for kind, fn in registered:
        events._handlers[kind].remove(fn)


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing a Celery task fails as it does when Redis refuses the connection."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_event, "apply_async", refuse)


@pytest.fixture
def mandatory_email_verification(settings):
    """Production's rule, whatever the environment says (TRIBUNE_DEMO=1 makes it optional)."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """allauth's rate limits and the page cache live in the cache, and a request may leave French
    active in the thread: neither may leak from one test into the next."""
    from django.core.cache import cache
    from django.utils import translation

    from community import fragments

    cache.clear()
    fragments.clear_local()
    with translation.override("en"):
        yield
    cache.clear()
    fragments.clear_local()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Real hashers take a third of a second per login; the login flows are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cold_badge_map():
    """Each test starts with the role badges' map out of the cache (community.badges): a map left
    by an earlier test would name members of a rolled-back database. The first group change of the
    test (UserFactory's Members role) builds it again, so page counts are measured warm."""
    from django.core.cache import cache

    from community import badges

    cache.delete(badges.CACHE_KEY)
    yield
