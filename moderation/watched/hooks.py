"""The watched words' hooks into the content protocol: block and approve before a text is saved
(`publish_check`), censor when it is shown (`mask`), approve/alert hits stored by the outbox
handler (`record_hits`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import content, events
from community.models import Visibility
from community.permissions.moderation import raises_watch_alerts

from ..events import WATCHED_WORD
from .matching import matcher, parts_as_written_and_shown


def publish_check(kind_name: str, *, author, parts, editing: bool = False):
    """Registered with community.content: block refuses, approve holds (PENDING)."""
    current = matcher()
    if not current.rules:
        return None
    rules = current.find(parts_as_written_and_shown(parts), actions=("block", "approve"))
    blocked = [rule.phrase for rule in rules if rule.action == "block"]
    if blocked:
        raise content.PublishRefused(
            _("Your text contains “%(word)s”, which is not allowed here. Please rephrase it.")
            % {"word": blocked[0]}, code="watched_word")
    if rules:
        return Visibility.PENDING
    return None


def mask(text: str, *, is_html: bool) -> str:
    """Registered display filter: censored words are masked wherever member text is shown."""
    return matcher().mask(text, is_html=is_html)


def record_hits(*, kind: content.ContentKind, obj, event_id: int | None = None) -> list:
    """Outbox handler part: store the approve/alert hits of one item (once per word and item) and
    record one "moderation.watched_word" event for the new alert hits. Returns the new hits."""
    from ..models import WatchedWordHit

    current = matcher()
    if not current.rules:
        return []
    # A CM's or staff's own words raise no alert (they are the ones watching: a CM answering an
    # alert from the brand-watch inbox quotes the word).
    actions = ("approve", "alert") if raises_watch_alerts(kind.author(obj)) else ("approve",)
    rules = current.find(parts_as_written_and_shown(kind.parts(obj)), actions=actions)
    if not rules:
        return []
    now = timezone.now()
    created = []
    for rule in rules:
        try:
            with transaction.atomic():
                hit, made = WatchedWordHit.objects.get_or_create(
                    word_id=rule.pk, kind=kind.name, object_id=obj.pk,
                    defaults={"action": rule.action, "created_at": now})
        except IntegrityError:  # the word was deleted meanwhile, or a concurrent delivery won
            continue
        if made:
            created.append(hit)
    alerts = [hit for hit in created if hit.action == "alert"]
    if alerts:
        events.record_event(WATCHED_WORD, actor=kind.author(obj), target=obj, payload={
            "kind": kind.name, "object_id": obj.pk, "words": [hit.word_id for hit in alerts],
            "source_event": event_id})
    return created


def held_by_word(kind_name: str, object_id: int) -> bool:
    """Is this item held for approval by a watched word (so that nothing but a CM may release it)?"""
    from ..models import WatchedAction, WatchedWordHit

    return WatchedWordHit.objects.filter(kind=kind_name, object_id=object_id,
                                         action=WatchedAction.APPROVE).exists()


