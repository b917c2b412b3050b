"""Celery couriers of the community app: ids in, re-read the row, idempotent."""

from celery import shared_task

from . import events
from .notifications.tasks import send_digests, send_notification_emails, sweep_notification_emails

__all__ = ["deliver_event", "drain_events", "send_digests", "send_notification_emails", "sweep_events", "sweep_notification_emails"]


@shared_task(name="community.deliver_event", acks_late=True, time_limit=60, soft_time_limit=50,
             ignore_result=True)
def deliver_event(event_id: int) -> str:
    return events.dispatch_event(event_id)


@shared_task(name="community.sweep_events", acks_late=True, time_limit=120, soft_time_limit=100,
             ignore_result=True)
def sweep_events() -> int:
    return events.resend_stale_events()


@shared_task(name="community.drain_events", acks_late=True, time_limit=120, soft_time_limit=100,
             ignore_result=True)
def drain_events(queue: str) -> int:
    return events.drain_queue(queue)


events.set_courier(deliver_event)  # the outbox sends each event on its kind's queue
events.set_drainer(drain_events)  # and wakes one drain per queue for a burst of new events
