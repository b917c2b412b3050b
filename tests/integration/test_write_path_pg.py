"""The reply's write path on PostgreSQL, where it is one round trip (statements.reply_at_once) and its
events wake one drain task per queue (events.deliver_soon): the unit layer runs the same tests on
SQLite, which takes the statements one by one and delivers each event at once (eager Celery)."""

import pytest

from community import events
from community.models import Event, EventStatus
from forums import services
from tests.factories import UserFactory
from tests.forums.conftest import category, forum, oliver, topic  # noqa: F401, F811  (fixtures)
from tests.forums.test_write_path import *  # noqa: F403  (every write-path test, here on PostgreSQL)

from .harness import wait_for

pytestmark = pytest.mark.integration


def test_a_burst_of_replies_wakes_a_few_drains_and_every_event_is_delivered_once(topic, monkeypatch):  # noqa: F811
    published, drainer = [], events._drainer

    class Counted:  # the real drain task, its publishes counted
        def apply_async(self, *args, **kwargs):
            published.append(kwargs)
            return drainer.apply_async(*args, **kwargs)

    monkeypatch.setattr(events, "_drainer", Counted())
    writers = [UserFactory(username=f"writer{i}", trust_level=1) for i in range(5)]

    replies = [services.post_reply(actor=writers[i % 5], topic=topic, body=f"Reply {i}, about the tyres.")
               for i in range(40)]

    created = Event.objects.filter(kind=events.CONTENT_CREATED, target_id__in=[r.pk for r in replies])
    assert created.count() == 40
    wait_for(lambda: created.filter(status=EventStatus.DONE).count() == 40, timeout=60,
             message="the 40 replies' events to be delivered")
    assert set(created.values_list("attempts", flat=True)) == {1}  # each handled once
    # One publish per burst (the flag stands until a drain reads the queue), not one per reply.
    assert 1 <= len(published) < 40 and {kw["queue"] for kw in published} == {"spam"}


def test_a_failing_event_is_left_to_the_sweeper_not_retried_by_every_drain(topic, member):  # noqa: F811
    failed = Event.objects.create(kind=events.CONTENT_CREATED, payload={}, last_error="ValueError: boom",
                                  attempts=1)

    reply = services.post_reply(actor=member, topic=topic, body="A new reply wakes the spam queue.")

    new = Event.objects.get(kind=events.CONTENT_CREATED, target_id=reply.pk)
    wait_for(lambda: Event.objects.get(pk=new.pk).status == EventStatus.DONE, timeout=30,
             message="the new reply's event")
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (EventStatus.PENDING, 1)
