"""Celery couriers of notifications: ids in, re-read the rows, idempotent."""

from celery import shared_task

from . import delivery


@shared_task(name="community.send_notification_emails", acks_late=True, time_limit=600, soft_time_limit=570,
             ignore_result=True)
def send_notification_emails(event_id: int) -> int:
    """Send the at-once emails of one event's notifications (each claimed before it is sent)."""
    return delivery.send_pending_emails(event_id=event_id)


@shared_task(name="community.sweep_notification_emails", acks_late=True, time_limit=600, soft_time_limit=570,
             ignore_result=True)
def sweep_notification_emails() -> int:
    """Beat: at-once emails still pending after a broker outage are sent now."""
    return delivery.send_pending_emails(older_than_seconds=120)


@shared_task(name="community.send_digests", acks_late=True, time_limit=1800, soft_time_limit=1700,
             ignore_result=True)
def send_digests(period: str) -> int:
    """Beat: one digest email per member with waiting notifications of that period (daily/weekly)."""
    return delivery.send_digests(period=period)
