"""The durable outbox (DESIGN.md, "How content flows", step 3).

`record_event()` writes an Event row inside the caller's transaction and asks for delivery after
commit. Delivery (`dispatch_event`) runs the handlers registered for the kind under a row lock and
marks the row done in the same transaction, so a task delivered twice, or re-sent by the sweeper,
runs the handlers once. If the broker is down at commit time nothing is lost: the row stays
pending and `resend_stale_events()` (Celery beat) sends it again.

**Event kinds are declared once** (`declare(name, queue=…)`), as constants: the spine's own below,
each app's in its own `events.py` (forums.events, moderation.events). The name is what the Event
row stores; the queue is where its courier runs (heavy spam checks on `spam`, notification fan-out on
`notifications`, emails on `email`), so that a burst of new posts never delays a welcome email.
Recording an undeclared kind raises in tests and DEBUG and is logged loudly in production.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import rows
from .event_kinds import (  # noqa: F401  (the public API: events.declare, events.CONTENT_CREATED, …)
    CONTENT_CHANGED,
    CONTENT_CREATED,
    CONTENT_PUBLISHED,
    QUEUES,
    WELCOME,
    EventKind,
    check_declared,
    declare,
    event_kind,
    family,
    is_declared,
    kinds_on,
    publication_key,
    queue_for,
)
from .models import Event, EventStatus
from .registries import check_content_kind

log = logging.getLogger(__name__)

Handler = Callable[[Event], None]

# --- Handlers ---------------------------------------------------------------------------------------

_handlers: dict[str, list[Handler]] = {}
_first: set = set()
_every: list[Handler] = []


def handles(kind: str, *, first: bool = False):
    """Decorator: register `fn(event)` for events of `kind`. Handlers must be idempotent.

    first=True runs it before the handlers registered without it (moderation decides whether new
    content is visible before the notification fan-out looks at it)."""
    check_declared(kind)

    def decorator(fn: Handler) -> Handler:
        handlers = _handlers.setdefault(kind, [])
        if fn not in handlers:
            if first:
                position = sum(1 for existing in handlers if existing in _first)
                handlers.insert(position, fn)
                _first.add(fn)
            else:
                handlers.append(fn)
        return fn

    return decorator


def handles_every(fn: Handler) -> Handler:
    """Run `fn(event)` for every event, after the kind's own handlers (the notification fan-out:
    it asks the notification registry whether a source wants the event)."""
    if fn not in _every:
        _every.append(fn)
    return fn


def handlers_for(kind: str) -> list[Handler]:
    return [*_handlers.get(kind, ()), *_every]


# --- Recording and delivering ------------------------------------------------------------------------

_courier = None


def set_courier(task) -> None:
    """community.tasks hands its Celery task over at import time (so this module imports no task)."""
    global _courier
    _courier = task


def new_event(kind: str, *, actor=None, target=None, payload=None, key: str | None = None) -> Event:
    """The checked, unsaved Event of `record_event` (kind declared, content kind registered), for a
    writer that inserts it in a statement of its own (the forum reply: forums.services.statements);
    it then calls `event_saved` in the same transaction."""
    check_declared(kind)
    payload = payload or {}
    if payload.get("kind") is not None:
        check_content_kind(payload["kind"])  # the content kind the event is about must be registered
    event = Event(kind=kind, actor=actor, payload=payload, key=key)
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = target.pk
    return event


def event_saved(event: Event) -> None:
    """The event's row is written (in the current transaction): its courier goes after commit."""
    transaction.on_commit(lambda: deliver_soon(event.pk, event.kind))


def record_event(kind: str, *, actor=None, target=None, payload=None, key: str | None = None) -> Event:
    """Write a durable intent in the current transaction and enqueue its courier after commit.

    With a `key`, recording the same intent again returns the existing row (idempotent).
    """
    event = new_event(kind, actor=actor, target=target, payload=payload, key=key)
    if key is not None:
        existing = Event.objects.filter(key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                event.save(force_insert=True)
        except IntegrityError:
            return Event.objects.get(key=key)
    else:
        # The hot path (every post, comment, like): one INSERT … RETURNING, its SQL built once.
        event = rows.insert(event)
    event_saved(event)
    return event


_drainer = None
WAKE_SECONDS = 2  # how long a wake-up stands for its queue if its drain task never ran (a lost task)


def set_drainer(task) -> None:
    """community.tasks hands over the task that drains a queue's new events (`drain_queue`)."""
    global _drainer
    _drainer = task


def _wake_key(queue: str) -> str:
    return f"outbox:wake:{queue}"


def deliver_soon(event_id: int, kind: str) -> bool:
    """After commit: have the event delivered. With a broker shared by every process
    (settings.OUTBOX_WAKE), one drain task per queue is woken for a burst of events instead of one
    task per event — publishing a Celery message cost a reply more than its SQL. The wake-up flag
    (cache.add) is set by the first event of a burst, which publishes the drain; the drain clears
    the flag *before* it reads the pending events, so an event committed before a failed
    `cache.add` is always read by a drain still to run. Never raises; the sweeper is the net (a
    publish that failed, a lost drain task, a flag the cache failed to clear: the events wait for
    OUTBOX_RESEND_AFTER_SECONDS, as when the broker is down)."""
    if _drainer is None or not settings.OUTBOX_WAKE:
        return enqueue(event_id, kind)
    return _wake(queue_for(kind))


def _wake(queue: str) -> bool:
    try:
        if not cache.add(_wake_key(queue), 1, timeout=WAKE_SECONDS):
            return True  # a drain of this queue is on its way: it reads this event
        _drainer.apply_async(args=[queue], queue=queue)
    except Exception:
        log.warning("queue %s not woken; the sweeper will wake it", queue, exc_info=True)
        cache.delete(_wake_key(queue))  # (the cache ignores its own errors)
        return False
    return True


DRAIN_BATCH = 20  # events claimed at a time: a drain that stops early gives back few
DRAIN_SECONDS = 30.0  # then it hands over to a new drain (the task's soft limit is 100 s)


def _claim(queue: str) -> list[int]:
    """Claim the queue's oldest pending, never-tried events (one delivery counted for each, as
    dispatch_event's first transaction does): a concurrent drain skips the rows locked here and,
    once this commits, no longer sees them."""
    with transaction.atomic():
        ids = list(Event.objects.select_for_update(skip_locked=True)
                   .filter(status=EventStatus.PENDING, attempts=0, kind__in=kinds_on(queue))
                   .order_by("pk").values_list("pk", flat=True)[:DRAIN_BATCH])
        Event.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1)
    return ids


def _give_back(ids: list[int]) -> None:
    """Claimed events not dispatched (time up, an error, the worker stopping): as never tried."""
    if ids:
        Event.objects.filter(pk__in=ids, status=EventStatus.PENDING, attempts__gt=0).update(
            attempts=F("attempts") - 1)


def drain_queue(queue: str) -> int:
    """The drain task's body: deliver the queue's pending events that no delivery has tried yet,
    oldest first, each exactly once (`dispatch_event`; one that a concurrent drain took first is
    left to it), a small batch at a time until none is left. A full batch wakes the queue again
    first, so that other worker processes share a burst; after DRAIN_SECONDS the rest is left to
    the drain so woken. An event whose handler fails stays with the sweeper, as before; an error
    outside the handlers is logged and the drain goes on. Returns how many it dispatched."""
    cache.delete(_wake_key(queue))  # first: what commits from now on wakes another drain
    deadline, dispatched = time.monotonic() + DRAIN_SECONDS, 0
    while True:
        ids = _claim(queue)
        if not ids:
            return dispatched
        if len(ids) == DRAIN_BATCH and _drainer is not None:
            _wake(queue)
        left = list(ids)
        try:
            for event_id in ids:
                if time.monotonic() > deadline:
                    if _drainer is not None:
                        _wake(queue)
                    return dispatched
                try:
                    dispatch_event(event_id, claimed=True)
                except Exception:  # the database went away a moment: the sweeper resends it
                    log.exception("event %s not dispatched by the drain of %s", event_id, queue)
                left.remove(event_id)
                dispatched += 1
        finally:
            _give_back(left)


def enqueue(event_id: int, kind: str | None = None) -> bool:
    """Hand an event to the broker, on its kind's queue. Never raises: the row is the record, the
    sweeper retries."""
    if _courier is None:
        log.warning("no courier registered: event %s waits for the sweeper", event_id)
        return False
    try:
        _courier.apply_async(args=[event_id], queue=queue_for(kind or ""))
    except Exception:  # broker down, or (eager mode) a failing handler
        log.warning("event %s not delivered now; the sweeper will resend it", event_id, exc_info=True)
        return False
    return True


def dispatch_event(event_id: int, *, claimed: bool = False) -> str:
    """Run the handlers of one event exactly once. Returns what happened, for logs and tests.

    Two transactions. The first counts the delivery and commits, so that a delivery the worker dies
    in (killed, out of memory) still counts: an event that keeps killing its worker is given up
    (FAILED) after MAX_ATTEMPTS instead of being redelivered forever. The second locks the row
    again, runs every handler and marks the event done — or records the error (FAILED after
    MAX_ATTEMPTS). A delivery that finds the row locked by another one in progress leaves it to
    that one ("busy"); if that one dies, the sweeper sends the event again.

    `claimed`: a drain (`drain_queue`) already counted this delivery, for a batch, in one statement.

    Precondition: called by the courier task (or a test), never inside a request's transaction.
    """
    if not claimed:
        outcome = _count_delivery(event_id)
        if outcome is not None:
            return outcome
    with transaction.atomic():
        event, outcome = _lock_pending(event_id)
        if event is None:
            return outcome
        try:
            with transaction.atomic():
                for handler in handlers_for(event.kind):
                    handler(event)
        except Exception as exc:
            event.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if event.attempts >= MAX_ATTEMPTS:
                event.status = EventStatus.FAILED
            event.save(update_fields=["last_error", "status"])
            log.exception("event %s (%s) failed on attempt %s", event.pk, event.kind, event.attempts)
            return "failed"
        event.status = EventStatus.DONE
        event.processed_at = timezone.now()
        event.last_error = ""
        event.save(update_fields=["status", "processed_at", "last_error"])
        return "done"


MAX_ATTEMPTS = 5


def _lock_pending(event_id: int) -> tuple[Event | None, str]:
    """The event's row locked (in the caller's transaction) while it is pending, or what stands in
    the way: another delivery holds it ("busy"), it is gone, or it is already done."""
    event = Event.objects.select_for_update(skip_locked=True).filter(pk=event_id).first()
    if event is None:
        return None, "busy" if Event.objects.filter(pk=event_id).exists() else "gone"
    if event.status != EventStatus.PENDING:
        return None, "already-done"
    return event, ""


def _count_delivery(event_id: int) -> str | None:
    """dispatch_event's first transaction: one more delivery of the event, committed; what
    happened instead (busy, gone, already done, given up), or None to go on."""
    with transaction.atomic():
        event, outcome = _lock_pending(event_id)
        if event is None:
            return outcome
        if event.attempts >= MAX_ATTEMPTS:
            event.status = EventStatus.FAILED
            event.last_error = event.last_error or (
                f"gave up after {event.attempts} deliveries that did not finish (the worker died during them?)")
            event.save(update_fields=["status", "last_error"])
            log.error("event %s (%s) given up: %s", event.pk, event.kind, event.last_error)
            return "failed"
        Event.objects.filter(pk=event_id).update(attempts=F("attempts") + 1)
    return None


def resend_stale_events(*, older_than: timedelta | None = None, limit: int = 500) -> int:
    """Send again the events still pending after a while (broker outage, lost task)."""
    if older_than is None:
        older_than = timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS)
    now = timezone.now()
    rows = list(
        Event.objects.filter(status=EventStatus.PENDING, sent_at__lte=now - older_than)
        .order_by("sent_at")
        .values_list("pk", "kind")[:limit]
    )
    if not rows:
        return 0
    Event.objects.filter(pk__in=[pk for pk, _kind in rows]).update(sent_at=now)
    sent = 0
    for event_id, kind in rows:
        sent += enqueue(event_id, kind)
    return sent
