"""Fixtures shared by every layer. Layer-specific ones live in tests/<layer>/conftest.py."""

import os

import pytest

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
