"""The scouting area's Celery tasks."""

from celery import shared_task

__all__ = ["compute_talent_scores"]


@shared_task(name="cm.compute_talent_scores", acks_late=True, time_limit=1800, soft_time_limit=1700,
             ignore_result=True)
def compute_talent_scores() -> int:
    """Beat (nightly): the talent board's scores over 30, 90 and 365 days (cm/scouting/scoring.py).
    Idempotent: a second run rewrites the same rows."""
    from . import scoring

    return scoring.compute().members
