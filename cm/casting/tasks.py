"""The casting area's Celery tasks: the daily look at featured terms (`cm.remind_term_ends`, in the
beat schedule)."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from community import events

from ..models import Casting, CastingStatus, StepAction
from . import events as casting_events
from .services import audit, expire_stale, step

__all__ = ["REMIND_DAYS_BEFORE", "remind_term_ends", "review_terms"]

# The CMs are told this many days before a term ends.
REMIND_DAYS_BEFORE = 14


def review_terms(*, today: date | None = None) -> dict[str, int]:
    """Idempotent (run daily by beat, and again at will):
    - a term ending within REMIND_DAYS_BEFORE days: the CM who cast and the CMs are told, once per
      term (the end date it was sent for is kept; a renewal asks again);
    - a term past its end: the casting is "ended" and the CMs are told; the space stays as it is
      until a CM renews, retires or hands it over (nothing disappears from the public by itself);
    - an invitation past its validity (or whose term is over) expires."""
    today = today or timezone.localdate()
    reminded = over = 0
    soon = (Casting.objects.filter(status=CastingStatus.ACCEPTED, ends_on__gte=today,
                                   ends_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("ends_on"))).values_list("pk", flat=True))
    for pk in list(soon):
        with transaction.atomic():
            casting = Casting.objects.select_for_update().filter(pk=pk, status=CastingStatus.ACCEPTED).first()
            if casting is None or casting.reminded_for == casting.ends_on:
                continue
            casting.reminded_for = casting.ends_on
            casting.save(update_fields=["reminded_for"])
            step(casting, StepAction.REMINDED, None, casting.ends_on.isoformat())
            events.record_event(casting_events.TERM_ENDING, target=casting, payload={"term": "ending"},
                                key=f"cm.casting.term_ending:{casting.pk}:{casting.ends_on.isoformat()}")
            reminded += 1
    for pk in list(Casting.objects.filter(status=CastingStatus.ACCEPTED, ends_on__lt=today).values_list("pk", flat=True)):
        with transaction.atomic():
            casting = (Casting.objects.select_for_update()
                       .filter(pk=pk, status=CastingStatus.ACCEPTED, ends_on__lt=today).first())
            if casting is None:
                continue
            casting.status, casting.updated_at = CastingStatus.ENDED, timezone.now()
            casting.save(update_fields=["status", "updated_at"])
            step(casting, StepAction.TERM_OVER, None)
            audit(None, "term_over", casting)
            events.record_event(casting_events.TERM_ENDING, target=casting, payload={"term": "over"},
                                key=f"cm.casting.term_over:{casting.pk}:{casting.ends_on.isoformat()}")
            over += 1
    with transaction.atomic():
        expired = expire_stale(Casting.objects.all(), today=today)
    return {"reminded": reminded, "over": over, "expired": expired}


@shared_task(name="cm.remind_term_ends", acks_late=True, time_limit=300, soft_time_limit=270, ignore_result=True)
def remind_term_ends() -> dict[str, int]:
    return review_terms()
