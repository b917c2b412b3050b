"""Writes of the scouting area: verified skills, CM notes, running the scoring now. Each checks its
rule (community.permissions.scouting) and writes the audit log."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from community import writing
from community.models import MemberSkill
from community.permissions.scouting import (
    check_can_delete_member_note,
    check_can_run_talent_scores,
    check_can_verify_skill,
    check_can_write_member_note,
)
from moderation.models import AuditLogEntry

from ..models import MemberNote

MEMBER_KIND = "community.user"  # the audit log's kind for actions about a member (as moderation's)
NOTE_MAX = 2000
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


def set_skill_verified(*, actor, member, skill_id: int, verified: bool) -> bool:
    """Mark one of `member`'s declared skills verified (or not); returns whether anything changed.
    A second click changes nothing and logs nothing."""
    check_can_verify_skill(actor, member_id=member.pk)
    with transaction.atomic():
        skill = MemberSkill.objects.select_for_update().filter(pk=skill_id, user=member).first()
        if skill is None:
            raise Http404(_("This member has not declared that skill."))
        if skill.is_verified == verified:
            return False
        skill.verified_by, skill.verified_at = (actor, timezone.now()) if verified else (None, None)
        skill.save(update_fields=["verified_by", "verified_at"])
        AuditLogEntry.objects.create(
            actor=actor, action="skill_verify" if verified else "skill_unverify", kind=MEMBER_KIND,
            object_id=member.pk, detail={"member": member.username, "skill": skill.skill})
    return True


def add_note(*, actor, member, body: str) -> MemberNote:
    """A private CM note about `member`. The same note sent twice within ten minutes is kept once."""
    check_can_write_member_note(actor)
    body = writing.strip_text(body)
    if not writing.has_visible(body):
        raise ValidationError(_("Write the note first."), code="empty")
    if len(body) > NOTE_MAX:
        raise ValidationError(_("A note is at most %(max)d characters (this one has %(length)d).")
                              % {"max": NOTE_MAX, "length": len(body)}, code="too_long")
    fingerprint = writing.fingerprint(member.pk, body)
    with transaction.atomic():
        existing = (MemberNote.objects.select_for_update()
                    .filter(member=member, author=actor, fingerprint=fingerprint,
                            created__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW).first())
        if existing is not None:
            return existing
        note = MemberNote.objects.create(member=member, author=actor, body=body, fingerprint=fingerprint)
        AuditLogEntry.objects.create(actor=actor, action="cm_note_add", kind=MEMBER_KIND, object_id=member.pk,
                                     detail={"member": member.username, "note": note.pk})
    return note


def delete_note(*, actor, note_id: int) -> MemberNote | None:
    """Delete one's own note; a note already gone answers None (a double click)."""
    with transaction.atomic():
        note = MemberNote.objects.select_for_update().select_related("member").filter(pk=note_id).first()
        if note is None:
            return None
        check_can_delete_member_note(actor, author_id=note.author_id)
        AuditLogEntry.objects.create(actor=actor, action="cm_note_delete", kind=MEMBER_KIND,
                                     object_id=note.member_id, detail={"member": note.member.username,
                                                                       "note": note.pk})
        note.delete()
    return note


def run_scores_now(*, actor) -> None:
    """Queue the nightly scoring at once (after commit; eager in the demo and tests)."""
    from ..tasks import compute_talent_scores

    check_can_run_talent_scores(actor)
    AuditLogEntry.objects.create(actor=actor, action="talent_scores_run", detail={})
    transaction.on_commit(compute_talent_scores.delay)
