"""Celery couriers of the moderation app: ids in, re-read the row, idempotent."""

from celery import shared_task

from . import services


@shared_task(name="moderation.check_spam", acks_late=True, time_limit=30, soft_time_limit=25,
             ignore_result=True)
def check_spam(kind_name: str, object_id: int) -> str:
    """Spam-check one piece of content whose spam_status is pending; a no-op once decided."""
    check = services.check_content(kind_name=kind_name, object_id=object_id)
    return check.verdict if check is not None else "already-decided-or-gone"


@shared_task(name="moderation.expire_sanctions", acks_late=True, time_limit=120, soft_time_limit=100,
             ignore_result=True)
def expire_sanctions() -> int:
    """Beat (every 5 minutes): silences and suspensions whose time is up end on their own."""
    from . import sanctions

    return sanctions.expire_sanctions()
