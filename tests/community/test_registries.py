"""The spine's registries: names nobody registered raise in tests and DEBUG, are logged loudly in
production; one notification source serves an event kind whatever its verb."""

import logging

import pytest

from community import content, events, notifications
from community.events import CONTENT_CREATED, CONTENT_PUBLISHED
from community.notifications import Recipients
from community.notifications.services import fan_out
from community.registries import NotRegistered

pytestmark = pytest.mark.django_db


def test_recording_an_undeclared_event_kind_raises_in_tests(member):
    with pytest.raises(NotRegistered, match="unknown event kind 'forums.reacton'"):
        events.record_event("forums.reacton", actor=member)


def test_recording_an_event_about_an_unregistered_content_kind_raises(member):
    with pytest.raises(NotRegistered, match="unknown content kind 'forums.pots'"):
        events.record_event(CONTENT_CREATED, actor=member, payload={"kind": "forums.pots"})


def test_registering_a_source_for_an_undeclared_event_kind_raises():
    with pytest.raises(NotRegistered, match="unknown event kind 'content.creatd'"):
        notifications.register_source("content.creatd", "forums.post", lambda event: None)


@pytest.fixture
def typo_source(monkeypatch):
    """A source registered for a content kind nobody registered, dropped after the test."""
    from community.notifications import registry

    monkeypatch.setattr(registry, "_sources", dict(registry._sources))
    monkeypatch.setattr(registry, "_unchecked", set(registry._unchecked))
    notifications.register_source(CONTENT_CREATED, "nope.typo", lambda event: None)  # no error yet: any order
    return registry


def test_a_source_for_an_unregistered_content_kind_raises_when_sources_are_resolved(typo_source):
    with pytest.raises(NotRegistered, match="unknown content kind 'nope.typo'"):
        notifications.source_for(CONTENT_CREATED, "forums.post")


def test_the_startup_system_check_reports_a_source_for_an_unregistered_content_kind(typo_source):
    from django.core import checks

    errors = [error for error in checks.run_checks() if error.id == "community.E001"]
    assert [error.msg for error in errors] == [
        "a notification source names unknown content kind 'nope.typo': register it with community.content.register()"]


def test_every_registered_source_names_a_registered_content_kind():
    from django.core import checks

    assert [error for error in checks.run_checks() if error.id == "community.E001"] == []
    notifications.source_for(CONTENT_CREATED, "forums.post")  # the lazy check passes too


def test_in_production_a_source_for_an_unknown_content_kind_is_logged_loudly(typo_source, settings, caplog):
    from community.checks import notification_sources_name_registered_content_kinds

    settings.DEBUG, settings.TESTING = False, False
    with caplog.at_level(logging.ERROR, logger="tribune.registries"):
        assert notification_sources_name_registered_content_kinds() == []  # the site starts
        assert notifications.source_for(CONTENT_CREATED, "forums.post") is not None
    assert sum("unknown content kind 'nope.typo'" in record.getMessage() for record in caplog.records) == 2


def test_a_source_naming_an_unknown_notification_kind_raises(member, cm):
    event = events.record_event(CONTENT_CREATED, actor=member)
    with pytest.raises(NotRegistered, match="unknown notification kind 'mentoin'"):
        fan_out(event, Recipients(kinds={cm.pk: "mentoin"}, group_key="x", data={}), actor_id=member.pk)


def test_in_production_an_unknown_kind_is_logged_loudly_and_the_event_still_recorded(settings, member, caplog):
    settings.DEBUG, settings.TESTING = False, False
    with caplog.at_level(logging.ERROR, logger="tribune.registries"):
        event = events.record_event("nobody.declared.this", actor=member)
    assert event.pk is not None
    assert any("unknown event kind 'nobody.declared.this'" in record.getMessage() and record.levelno == logging.ERROR
               for record in caplog.records)


def test_declaring_a_kind_twice_differently_is_refused():
    events.declare("tests.twice", queue="email")
    events.declare("tests.twice", queue="email")  # the same declaration again: fine (re-imports)
    with pytest.raises(ValueError, match="already declared differently"):
        events.declare("tests.twice", queue="spam")
    with pytest.raises(ValueError, match="unknown queue"):
        events.declare("tests.nowhere", queue="bulk")


def test_each_event_kind_has_its_queue():
    assert events.queue_for(CONTENT_CREATED) == "spam"  # the checks run first, off the default queue
    assert events.queue_for(events.WELCOME) == "email"
    assert events.queue_for(CONTENT_PUBLISHED) == "notifications"
    assert set(events.QUEUES) == {"default", "spam", "notifications", "email"}


def test_heavy_work_leaves_the_default_queue_for_one_every_worker_consumes():
    """"Remove all content" runs on `spam` with the content checks, off `default`; every worker command
    the project documents consumes every queue an event kind may use (`make worker`; the README's one
    worker, or its two split ones together) — the integration harness and the spam bench compute
    theirs from the same declarations."""
    import re
    from pathlib import Path

    from moderation.events import REMOVE_ALL_CONTENT

    assert events.queue_for(REMOVE_ALL_CONTENT) == "spam"
    root = Path(__file__).resolve().parents[2]
    makefile = re.findall(r"celery -A community worker .*-Q (\S+)", (root / "Makefile").read_text())
    assert makefile and all(set(queues.split(",")) >= set(events.QUEUES) for queues in makefile)
    readme = re.findall(r"celery -A community worker -Q (\S+)", (root / "README.md").read_text())
    one, *split = readme
    assert set(one.split(",")) >= set(events.QUEUES)
    assert split and {queue for queues in split for queue in queues.split(",")} >= set(events.QUEUES)


def test_one_source_serves_created_and_published_alike():
    """Held content released by a CM is announced by "content.published": the source registered
    for "content.created" answers it, so no app can forget to register the second verb."""
    created = notifications.source_for(CONTENT_CREATED, "forums.post")
    assert created is not None
    assert notifications.source_for(CONTENT_PUBLISHED, "forums.post") is created
    assert events.family(CONTENT_PUBLISHED) == [CONTENT_PUBLISHED, CONTENT_CREATED]


def test_content_kinds_check_their_names():
    assert content.is_registered("forums.post") and content.is_registered("community.profile")
    with pytest.raises(NotRegistered):
        content.check_registered("wiki.nothing")  # never registered


def test_every_notification_kind_says_its_own_line_and_subject_or_falls_back():
    from community.notifications import Line, find_kind

    line = Line(actor="Ana <b>", others=0, title="Tyres & <rims>", data={})
    assert str(find_kind("mention").line(line)) == "<strong>Ana &lt;b&gt;</strong> mentioned you in “Tyres &amp; &lt;rims&gt;”"
    assert find_kind("mention").subject_for(line) == "Ana <b> mentioned you in “Tyres & <rims>”"  # plain text
    bare = notifications.Kind("tests.bare", "Bare", "onsite")
    assert str(bare.line(line)) == "News about “Tyres &amp; &lt;rims&gt;”"
    assert bare.subject_for(line) == "News in “Tyres & <rims>”"


def test_the_moderation_kind_words_its_own_subject():
    from community.notifications import Line, find_kind

    kind = find_kind("moderation")
    assert kind.subject_for(Line("Sam", 0, "Tyres", {"decision": "hide"})) == "A moderation decision about “Tyres”: Hide"
    assert kind.subject_for(Line("Sam", 0, "Tyres", {})) == "A moderation decision about “Tyres”"
    assert kind.subject_for(Line("Sam", 0, "", {})) == "A moderation decision about your account"
    assert kind.subject_for(Line("Sam", 0, "x", {"sanction": "Ban"})) == "A moderator sanctioned your account: Ban"
