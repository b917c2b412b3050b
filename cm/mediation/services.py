"""The brand-watch inbox's writes: a CM takes an alert, closes it, reopens it. Shared among CMs: each
change is made under the alert's row lock, so that two CMs taking the same alert at once get one
owner — the second is told who took it. Every change is audit-logged."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from community.permissions.mediation import check_can_mediate
from moderation.models import AuditLogEntry, WatchedAction, WatchedWordHit

from ..models import WatchAlert

ALERT_KIND = "cm.watch_alert"  # AuditLogEntry.kind of the inbox's changes (object_id: the hit's id)


class AlertGone(ObjectDoesNotExist):
    """No such alert (its watched word was deleted, or a forged id)."""


class AlertTaken(Exception):
    """Another CM took this alert first."""

    def __init__(self, by):
        super().__init__(by)
        self.by = by


class AlertClosed(Exception):
    """The alert is closed: reopen it first."""

    def __init__(self, by):
        super().__init__(by)
        self.by = by


def _locked(hit_id: int) -> WatchAlert:
    """The alert's state row, made if need be, locked until the end of the transaction."""
    hit = WatchedWordHit.objects.filter(pk=hit_id, action=WatchedAction.ALERT).first()
    if hit is None:
        raise AlertGone(hit_id)
    state, _made = WatchAlert.objects.get_or_create(hit=hit)  # a concurrent creation: get_or_create gets it
    return WatchAlert.objects.select_for_update().select_related("claimed_by", "done_by", "hit").get(pk=state.pk)


def _log(actor, action: str, state: WatchAlert) -> None:
    AuditLogEntry.objects.create(actor=actor, action=action, kind=ALERT_KIND, object_id=state.hit_id,
                                 detail={"kind": state.hit.kind, "object_id": state.hit.object_id,
                                         "word": state.hit.word_id})


def take_alert(*, actor, hit_id: int) -> tuple[WatchAlert, bool]:
    """"Take it": the alert becomes `actor`'s (the other CMs see who took it). Returns (state,
    changed); taking one's own alert again changes nothing. Raises AlertTaken (another CM has it),
    AlertClosed (closed: reopen it first), AlertGone."""
    check_can_mediate(actor)
    with transaction.atomic():
        state = _locked(hit_id)
        if state.done_at is not None:
            raise AlertClosed(state.done_by)
        if state.claimed_by_id == actor.pk:
            return state, False
        if state.claimed_by_id is not None:
            raise AlertTaken(state.claimed_by)
        state.claimed_by, state.claimed_at = actor, timezone.now()
        state.save(update_fields=["claimed_by", "claimed_at"])
        _log(actor, "watch_alert_take", state)
    return state, True


def release_alert(*, actor, hit_id: int) -> tuple[WatchAlert, bool]:
    """Give an alert one took back to the others (only its taker; nothing to do otherwise)."""
    check_can_mediate(actor)
    with transaction.atomic():
        state = _locked(hit_id)
        if state.done_at is not None or state.claimed_by_id != actor.pk:
            return state, False
        state.claimed_by, state.claimed_at = None, None
        state.save(update_fields=["claimed_by", "claimed_at"])
        _log(actor, "watch_alert_release", state)
    return state, True


def close_alert(*, actor, hit_id: int) -> tuple[WatchAlert, bool]:
    """"Done": the alert is closed by `actor`, now (whoever took it: the inbox is shared). Closing a
    closed alert again changes nothing (a double click, or two CMs at once: the first one counts)."""
    check_can_mediate(actor)
    with transaction.atomic():
        state = _locked(hit_id)
        if state.done_at is not None:
            return state, False
        now = timezone.now()
        state.done_by, state.done_at = actor, now
        fields = ["done_by", "done_at"]
        if state.claimed_by_id is None:
            state.claimed_by, state.claimed_at = actor, now
            fields += ["claimed_by", "claimed_at"]
        state.save(update_fields=fields)
        _log(actor, "watch_alert_done", state)
    return state, True


def reopen_alert(*, actor, hit_id: int) -> tuple[WatchAlert, bool]:
    """"Reopen": a closed alert is open again, and nobody's."""
    check_can_mediate(actor)
    with transaction.atomic():
        state = _locked(hit_id)
        if state.done_at is None:
            return state, False
        state.done_by = state.done_at = state.claimed_by = state.claimed_at = None
        state.save(update_fields=["done_by", "done_at", "claimed_by", "claimed_at"])
        _log(actor, "watch_alert_reopen", state)
    return state, True
