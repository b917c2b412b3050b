"""Scouting in the CM workspace: the talent board, the member card, CM notes, verified skills.

Everything here is for community managers and staff (the workspace's rule); a CM note is private to
them — never shown on the public profile — and only its author deletes it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .core import state_for
from .workspace import check_can_use_cm_workspace


def check_can_scout(actor):
    """The talent board and the member card."""
    check_can_use_cm_workspace(actor)


def may_scout(actor) -> bool:
    try:
        check_can_scout(actor)
    except PermissionDenied:
        return False
    return True


def check_can_run_talent_scores(actor):
    """Run the nightly scoring now (the board's empty state offers it)."""
    check_can_use_cm_workspace(actor)


def check_can_verify_skill(actor, *, member_id: int):
    """Mark a member's declared skill verified (or not): a CM's word, never one's own."""
    check_can_use_cm_workspace(actor)
    if actor.pk == member_id and not (state_for(actor).is_staff or actor.is_superuser):
        raise PermissionDenied(_("Another community manager verifies your own skills."))


def check_can_read_member_notes(actor):
    check_can_use_cm_workspace(actor)


def check_can_write_member_note(actor):
    check_can_use_cm_workspace(actor)


def check_can_delete_member_note(actor, *, author_id: int | None):
    """Only a note's author deletes it (staff too: the notes are theirs to keep clean)."""
    check_can_use_cm_workspace(actor)
    if author_id != actor.pk and not (state_for(actor).is_staff or actor.is_superuser):
        raise PermissionDenied(_("Only its author may delete a note."))
