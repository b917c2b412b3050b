"""The watched-word list is written here only (the CMs' page and the Django admin alike): the phrase
normalized, the change audit-logged, and every process's matcher rebuilt after commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from community.permissions import check_can_moderate

from .matching import changed, clean_phrase, normalize_phrase

WORD_KIND = "moderation.watchedword"  # AuditLogEntry.kind for changes to the list


def create_word(*, phrase: str, action: str, enabled: bool = True, note: str = "", created_by=None, watchers=()):
    """Trusted (seeds, tests): add a word as the CMs' form would, without an audit entry."""
    from ..models import WatchedWord

    phrase = clean_phrase(phrase)
    with transaction.atomic():
        word = WatchedWord.objects.create(phrase=phrase, normalized=normalize_phrase(phrase), action=action,
                                          enabled=enabled, note=note, created_by=created_by)
        if watchers:
            word.watchers.set(watchers)
        changed()
    return word


def remove_word(word) -> None:
    """Trusted (tests, maintenance): delete a word and rebuild the matcher everywhere."""
    with transaction.atomic():
        word.delete()
        changed()


def save_word(*, actor, word, watch: bool | None = None, watchers=None):
    """Create or change a watched word (the form validated it); audit-logged. `watch` adds or
    removes `actor` among the CMs alerted; `watchers` (the admin) sets them all."""
    from ..models import AuditLogEntry

    check_can_moderate(actor)
    created = word.pk is None
    word.phrase = clean_phrase(word.phrase)
    word.normalized = normalize_phrase(word.phrase)
    with transaction.atomic():
        if created and word.created_by_id is None:
            word.created_by = actor
        try:
            with transaction.atomic():
                word.save()
        except IntegrityError:  # the same word saved by a concurrent request (a double submit)
            raise ValidationError(_("This word is already watched (case and accents are ignored)."),
                                  code="duplicate") from None
        if watchers is not None:
            word.watchers.set(watchers)
        if watch is True:
            word.watchers.add(actor)
        elif watch is False:
            word.watchers.remove(actor)
        AuditLogEntry.objects.create(
            actor=actor, action="watched_word_add" if created else "watched_word_change", kind=WORD_KIND,
            object_id=word.pk, detail={"phrase": word.phrase, "action": word.action, "enabled": word.enabled})
        changed()
    return word


def delete_word(*, actor, word) -> bool:
    from ..models import AuditLogEntry, WatchedWord

    check_can_moderate(actor)
    with transaction.atomic():
        if WatchedWord.objects.select_for_update().filter(pk=word.pk).first() is None:
            return False  # deleted meanwhile (a double click): logged once
        AuditLogEntry.objects.create(actor=actor, action="watched_word_delete", kind=WORD_KIND, object_id=word.pk,
                                     detail={"phrase": word.phrase, "action": word.action})
        word.delete()
        changed()
    return True
