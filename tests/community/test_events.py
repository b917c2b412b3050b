"""community.events: the durable outbox. The row is the record; the Celery task is a courier."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from community import events, tasks
from community.models import Event, EventStatus

pytestmark = pytest.mark.django_db

KIND = events.declare("test.counted")  # a test-only event kind, declared as an app declares its own


def count_deliveries(event_handler):
    """Register a handler for KIND that records the id of every event it handles."""
    delivered = []
    event_handler(KIND, lambda event: delivered.append(event.pk))
    return delivered


def fail_deliveries(event_handler):
    def boom(event):
        raise RuntimeError("mail server said no")

    event_handler(KIND, boom)


def test_an_event_is_written_pending_in_the_callers_transaction_and_delivered_after_commit(
    event_handler, django_capture_on_commit_callbacks, member
):
    delivered = count_deliveries(event_handler)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = events.record_event(KIND, actor=member, target=member, payload={"why": "test"})
        row = Event.objects.get(pk=event.pk)
        assert row.status == EventStatus.PENDING
        assert (row.target_id, row.payload) == (member.pk, {"why": "test"})
        assert delivered == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    assert delivered == [event.pk]
    event.refresh_from_db()
    assert event.status == EventStatus.DONE
    assert event.attempts == 1
    assert event.processed_at is not None


def test_a_rolled_back_transaction_leaves_no_event_and_sends_nothing(
    event_handler, django_capture_on_commit_callbacks
):
    delivered = count_deliveries(event_handler)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            events.record_event(KIND)
            raise RuntimeError("the caller's write failed")

    assert callbacks == []
    assert not Event.objects.exists()
    assert delivered == []


def test_delivering_the_same_event_twice_runs_its_handler_once(event_handler):
    delivered = count_deliveries(event_handler)
    event = Event.objects.create(kind=KIND)

    assert events.dispatch_event(event.pk) == "done"
    assert events.dispatch_event(event.pk) == "already-done"

    assert delivered == [event.pk]
    event.refresh_from_db()
    assert event.attempts == 1


def test_delivering_an_event_that_is_gone_does_nothing(event_handler):
    delivered = count_deliveries(event_handler)

    assert events.dispatch_event(987654) == "gone"
    assert delivered == []


def test_a_failing_handler_leaves_the_event_pending_with_the_error(event_handler):
    fail_deliveries(event_handler)
    event = Event.objects.create(kind=KIND)

    assert events.dispatch_event(event.pk) == "failed"

    event.refresh_from_db()
    assert event.status == EventStatus.PENDING
    assert event.attempts == 1
    assert event.last_error == "RuntimeError: mail server said no"
    assert event.processed_at is None


def test_an_event_that_keeps_failing_is_marked_failed_after_the_last_attempt(event_handler):
    fail_deliveries(event_handler)
    event = Event.objects.create(kind=KIND)

    for _attempt in range(events.MAX_ATTEMPTS - 1):
        events.dispatch_event(event.pk)
    event.refresh_from_db()
    assert event.status == EventStatus.PENDING

    events.dispatch_event(event.pk)
    event.refresh_from_db()
    assert event.status == EventStatus.FAILED
    assert event.attempts == events.MAX_ATTEMPTS
    assert events.dispatch_event(event.pk) == "already-done"


def test_a_handler_that_recovers_clears_the_last_error(event_handler):
    outcomes = iter([RuntimeError("flaky"), None])

    def flaky(event):
        outcome = next(outcomes)
        if outcome:
            raise outcome

    event_handler(KIND, flaky)
    event = Event.objects.create(kind=KIND)

    assert events.dispatch_event(event.pk) == "failed"
    assert events.dispatch_event(event.pk) == "done"

    event.refresh_from_db()
    assert (event.status, event.attempts, event.last_error) == (EventStatus.DONE, 2, "")


def test_the_sweeper_resends_only_events_pending_for_too_long(event_handler, settings):
    settings.OUTBOX_RESEND_AFTER_SECONDS = 60
    delivered = count_deliveries(event_handler)
    now = timezone.now()
    stale = Event.objects.create(kind=KIND, sent_at=now - timedelta(seconds=61))
    recent = Event.objects.create(kind=KIND, sent_at=now - timedelta(seconds=30))
    finished = Event.objects.create(kind=KIND, sent_at=now - timedelta(hours=1), status=EventStatus.DONE)
    given_up = Event.objects.create(kind=KIND, sent_at=now - timedelta(hours=1), status=EventStatus.FAILED)

    assert events.resend_stale_events() == 1

    assert delivered == [stale.pk]
    stale.refresh_from_db()
    assert stale.sent_at >= now
    assert stale.status == EventStatus.DONE
    for untouched, sent_at in [(recent, recent.sent_at), (finished, finished.sent_at),
                               (given_up, given_up.sent_at)]:
        untouched.refresh_from_db()
        assert untouched.sent_at == sent_at
    assert recent.status == EventStatus.PENDING


def test_the_sweeper_bumps_sent_at_even_when_the_event_fails_again(event_handler, settings):
    settings.OUTBOX_RESEND_AFTER_SECONDS = 60
    fail_deliveries(event_handler)
    before = timezone.now()
    stale = Event.objects.create(kind=KIND, sent_at=before - timedelta(minutes=5))

    tasks.sweep_events.delay()

    stale.refresh_from_db()
    assert stale.status == EventStatus.PENDING
    assert stale.attempts == 1
    assert stale.sent_at >= before
    # ...so the next sweep, a moment later, leaves it alone until it is stale again.
    assert events.resend_stale_events() == 0


def test_enqueue_never_raises_when_the_broker_is_down(broker_down):
    event = Event.objects.create(kind=KIND)

    assert events.enqueue(event.pk) is False


def test_an_event_recorded_while_the_broker_is_down_stays_pending_for_the_sweeper(
    event_handler, broker_down, django_capture_on_commit_callbacks
):
    delivered = count_deliveries(event_handler)

    with django_capture_on_commit_callbacks(execute=True):
        event = events.record_event(KIND)

    event.refresh_from_db()
    assert event.status == EventStatus.PENDING
    assert event.attempts == 0
    assert delivered == []


def test_recording_the_same_intent_twice_keeps_one_row_and_delivers_it_once(
    event_handler, django_capture_on_commit_callbacks
):
    delivered = count_deliveries(event_handler)

    with django_capture_on_commit_callbacks(execute=True):
        first = events.record_event(KIND, key="welcome:42")
        second = events.record_event(KIND, key="welcome:42")
    third = events.record_event(KIND, key="welcome:42")

    assert first.pk == second.pk == third.pk
    assert Event.objects.filter(key="welcome:42").count() == 1
    assert delivered == [first.pk]


def test_events_without_a_key_are_all_kept(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        events.record_event(KIND)
        events.record_event(KIND)

    assert Event.objects.filter(kind=KIND).count() == 2


def test_an_event_that_keeps_killing_its_worker_is_given_up(event_handler):
    """A delivery the worker dies in (simulated by an exception that is not an Exception, which
    nothing catches) still counts: after MAX_ATTEMPTS such deliveries the event is FAILED."""

    def die(event):
        raise SystemExit("worker killed")

    event_handler(KIND, die)
    event = Event.objects.create(kind=KIND)
    for _delivery in range(events.MAX_ATTEMPTS):
        with pytest.raises(SystemExit):
            events.dispatch_event(event.pk)
    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.PENDING, events.MAX_ATTEMPTS)
    assert events.dispatch_event(event.pk) == "failed"
    event.refresh_from_db()
    assert event.status == EventStatus.FAILED and "gave up after 5 deliveries" in event.last_error


def test_with_a_shared_broker_a_burst_wakes_its_queue_once_and_the_drain_delivers_it_all(
    event_handler, django_capture_on_commit_callbacks, settings, monkeypatch
):
    settings.OUTBOX_WAKE = True
    delivered = count_deliveries(event_handler)
    woken = []
    monkeypatch.setattr(events, "_drainer", type("Drainer", (), {
        "apply_async": staticmethod(lambda args, queue: woken.append((args, queue)))})())

    with django_capture_on_commit_callbacks(execute=True):
        burst = [events.record_event(KIND) for _ in range(5)]

    assert woken == [(["default"], "default")]  # one wake-up for the queue, not five publishes
    assert delivered == []
    assert events.drain_queue("default") == 5
    assert sorted(delivered) == sorted(event.pk for event in burst)
    assert set(Event.objects.values_list("status", "attempts")) == {(EventStatus.DONE, 1)}
    # The drain cleared the flag before reading: the next event wakes the queue again.
    with django_capture_on_commit_callbacks(execute=True):
        events.record_event(KIND)
    assert len(woken) == 2


def test_a_drain_leaves_failed_or_already_tried_events_to_the_sweeper(event_handler, settings):
    delivered = count_deliveries(event_handler)
    tried = Event.objects.create(kind=KIND, attempts=1, last_error="RuntimeError: mail server said no")
    new = Event.objects.create(kind=KIND)
    elsewhere = Event.objects.create(kind=events.CONTENT_CHANGED)  # the spam queue's

    assert events.drain_queue("default") == 1

    assert delivered == [new.pk]
    tried.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (tried.status, tried.attempts) == (EventStatus.PENDING, 1)
    assert (elsewhere.status, elsewhere.attempts) == (EventStatus.PENDING, 0)


def test_waking_a_queue_never_raises_when_the_broker_is_down(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.OUTBOX_WAKE = True

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(events, "_drainer", type("Drainer", (), {"apply_async": staticmethod(down)})())
    with django_capture_on_commit_callbacks(execute=True):
        event = events.record_event(KIND)
    assert Event.objects.get(pk=event.pk).status == EventStatus.PENDING  # the sweeper's
    # The flag went with the failed publish: the next event tries to wake the queue again.
    monkeypatch.setattr(events, "_drainer", type("Drainer", (), {"apply_async": staticmethod(lambda **kw: None)})())
    assert events.deliver_soon(event.pk, KIND) is True


def test_a_drain_goes_on_past_an_event_it_could_not_dispatch(event_handler, monkeypatch):
    delivered = count_deliveries(event_handler)
    batch = [Event.objects.create(kind=KIND) for _ in range(4)]
    real = events.dispatch_event

    def flaky(event_id, **kwargs):
        if event_id == batch[1].pk:
            raise ConnectionError("the database went away a moment")
        return real(event_id, **kwargs)

    monkeypatch.setattr(events, "dispatch_event", flaky)

    events.drain_queue("default")

    assert delivered == [batch[0].pk, batch[2].pk, batch[3].pk]
    assert Event.objects.get(pk=batch[1].pk).attempts == 1  # the sweeper's now
    assert events.drain_queue("default") == 0


def test_a_drain_out_of_time_gives_back_what_it_claimed_and_wakes_the_queue(event_handler, settings,
                                                                            monkeypatch):
    settings.OUTBOX_WAKE = True
    delivered = count_deliveries(event_handler)
    woken = []
    monkeypatch.setattr(events, "_drainer", type("Drainer", (), {
        "apply_async": staticmethod(lambda args, queue: woken.append(queue))})())
    monkeypatch.setattr(events, "DRAIN_SECONDS", -1.0)
    batch = [Event.objects.create(kind=KIND) for _ in range(3)]

    assert events.drain_queue("default") == 0

    assert delivered == [] and woken == ["default"]
    assert set(Event.objects.values_list("attempts", flat=True)) == {0}  # as never tried
    monkeypatch.setattr(events, "DRAIN_SECONDS", 30.0)
    assert events.drain_queue("default") == 3
    assert sorted(delivered) == [event.pk for event in batch]
