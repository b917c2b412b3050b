"""The steps a CM takes about a featured space or badge once a casting is accepted: pause, resume,
retire, renew, end the term, hand the space over, revoke a guest-expert badge.

Each is a service: the permission rule, one transaction with the casting locked, the space changed
through its host (community.spaces), the mirrored `space_state` kept on every casting holding it, a
CastingStep, an audit-log entry and a notification to the holder. A step that changes nothing
(pausing a paused space) raises CastingError and writes nothing.

What a term's end does (decided with the CM in mind, docs/workspace/casting.md): "End the term" is
the CM's decision — the casting ends and the space becomes a read-only archive (a badge is taken
back). A term that merely reaches its end date is left to the CM: the beat marks it "ended" and
tells the CMs, the space stays as it is until one of them renews, retires or hands it over.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import spaces
from community.permissions.casting import check_can_cast, check_can_manage_castings

from ..models import GUEST_EXPERT, Casting, CastingStatus, StepAction
from .services import CastingError, audit, check_renewal, guest_experts, locked, step, tell_holder

# A space's steps apply to a casting whose member holds the space (current, or past its term).
HOLDING = (CastingStatus.ACCEPTED, CastingStatus.ENDED)

SPACE_STEPS = {
    # name: (host operation, state it leads to, history action, audit action, already-there message)
    "pause": (spaces.pause, spaces.PAUSED, StepAction.PAUSED, "pause", gettext_lazy("This space is already paused.")),
    "resume": (spaces.resume, spaces.ACTIVE, StepAction.RESUMED, "resume", gettext_lazy("This space is already open.")),
    "retire": (spaces.retire, spaces.RETIRED, StepAction.RETIRED, "retire",
               gettext_lazy("This space is already an archive.")),
}


def _holding(actor, casting_id) -> Casting:
    check_can_manage_castings(actor)
    casting = locked(casting_id)
    if casting.kind == GUEST_EXPERT or not casting.space_id:
        raise CastingError(_("This casting has no space."), code="no_space")
    if casting.status not in HOLDING or not casting.holds_space:
        raise CastingError(_("This member no longer holds the space: act on its current casting."), code="state")
    return casting


def _mirror(ref: spaces.SpaceRef) -> None:
    """Every casting that holds the space sees its new state (one UPDATE)."""
    Casting.objects.filter(space_id=ref.id).exclude(space_state="").update(space_state=ref.state,
                                                                            updated_at=timezone.now())


def _change_space(actor, casting: Casting, name: str) -> spaces.SpaceRef:
    operation, _state, _action, _audit, _message = SPACE_STEPS[name]
    try:
        ref = operation(actor=actor, space_id=casting.space_id)
    except LookupError:
        raise CastingError(_("This space no longer exists."), code="gone") from None
    _mirror(ref)
    casting.space_state = ref.state
    return ref


def space_step(*, actor, casting_id, name: str) -> Casting:
    """Pause, resume or retire the casting's space (name: "pause", "resume", "retire")."""
    if name not in SPACE_STEPS:
        raise CastingError(_("Unknown step."), code="step")
    _operation, state, action, audit_action, already = SPACE_STEPS[name]
    with transaction.atomic():
        casting = _holding(actor, casting_id)
        if casting.space_state == state:
            raise CastingError(str(already), code="already")
        if name == "pause" and casting.space_state == spaces.RETIRED:
            # (an archive paused then resumed would open again: only an open space is paused)
            raise CastingError(_("This space is an archive: only an open space can be paused. “Resume the space” "
                                 "first if it should be open again."), code="archive")
        ref = _change_space(actor, casting, name)
        step(casting, action, actor)
        audit(actor, audit_action, casting)
        tell_holder(actor, casting, {"pause": "paused", "resume": "resumed", "retire": "retired"}[name],
                    title=ref.title)
    return casting


def renew(*, actor, casting_id, ends_on: date) -> Casting:
    """A new end date for a current term (or one past its end): the casting is current again; a space
    archived by the term's end opens again, a badge taken back is given again."""
    check_can_manage_castings(actor)
    with transaction.atomic():
        casting = locked(casting_id)
        if casting.status not in HOLDING or (casting.space_id and not casting.holds_space):
            raise CastingError(_("Only a current term, or one that has ended, can be renewed."), code="state")
        check_renewal(casting, ends_on)
        if ends_on == casting.ends_on and casting.status == CastingStatus.ACCEPTED:
            raise CastingError(_("The term already ends on that date."), code="already")
        check_can_cast(actor, casting.member)
        previous = casting.ends_on
        casting.ends_on, casting.status, casting.updated_at = ends_on, CastingStatus.ACCEPTED, timezone.now()
        casting.save(update_fields=["ends_on", "status", "updated_at"])
        if casting.kind == GUEST_EXPERT:
            casting.member.groups.add(guest_experts())
        elif casting.space_state == spaces.RETIRED:
            _change_space(actor, casting, "resume")
            casting.save(update_fields=["space_state"])
        step(casting, StepAction.RENEWED, actor, f"{previous.isoformat()} → {ends_on.isoformat()}")
        audit(actor, "renew", casting, previous=previous.isoformat())
        tell_holder(actor, casting, "guest_renewed" if casting.kind == GUEST_EXPERT else "renewed")
    return casting


def end_term(*, actor, casting_id) -> Casting:
    """The CM ends the term now: the space becomes a read-only archive (content kept, readable); a
    guest expert's badge is taken back."""
    check_can_manage_castings(actor)
    with transaction.atomic():
        casting = locked(casting_id)
        if casting.status not in HOLDING or (casting.space_id and not casting.holds_space):
            raise CastingError(_("Only a current term can be ended."), code="state")
        if casting.status == CastingStatus.ENDED and casting.space_state in ("", spaces.RETIRED):
            raise CastingError(_("This term has ended already."), code="already")
        today = timezone.localdate()
        fields = {"status": CastingStatus.ENDED, "updated_at": timezone.now()}
        if casting.ends_on > today:
            fields["ends_on"] = max(today, casting.starts_on)
        for name, value in fields.items():
            setattr(casting, name, value)
        casting.save(update_fields=list(fields))
        if casting.kind == GUEST_EXPERT:
            casting.member.groups.remove(guest_experts())
        elif casting.space_state != spaces.RETIRED:
            _change_space(actor, casting, "retire")
            casting.save(update_fields=["space_state"])
        step(casting, StepAction.ENDED, actor)
        audit(actor, "end", casting)
        tell_holder(actor, casting, "guest_ended" if casting.kind == GUEST_EXPERT else "ended")
    return casting


def revoke_badge(*, actor, casting_id, note: str = "") -> Casting:
    """A guest expert's badge taken back (the Guest experts group)."""
    check_can_manage_castings(actor)
    with transaction.atomic():
        casting = locked(casting_id)
        if casting.kind != GUEST_EXPERT or casting.status != CastingStatus.ACCEPTED:
            raise CastingError(_("Only a current guest-expert badge can be revoked."), code="state")
        casting.status, casting.updated_at = CastingStatus.REVOKED, timezone.now()
        casting.save(update_fields=["status", "updated_at"])
        casting.member.groups.remove(guest_experts())
        step(casting, StepAction.REVOKED, actor, note)
        audit(actor, "revoke", casting, reason=note)
        tell_holder(actor, casting, "revoked")
    return casting


def hand_over(*, actor, casting_id, new_owner) -> Casting:
    """The space goes to `new_owner` (its group, the Contributors role; the former owner leaves them
    unless they hold another space). The former casting ends; a new one, current, for the new owner
    keeps the term's end. Both are told. Returns the new casting."""
    check_can_manage_castings(actor)
    with transaction.atomic():
        casting = _holding(actor, casting_id)
        if new_owner.pk == casting.member_id:
            raise CastingError(_("%(name)s already holds this space.") % {"name": new_owner.name}, code="same")
        check_can_cast(actor, new_owner)
        try:
            ref = spaces.hand_over(actor=actor, space_id=casting.space_id, new_owner=new_owner)
        except LookupError:
            raise CastingError(_("This space no longer exists."), code="gone") from None
        now, today = timezone.now(), timezone.localdate()
        casting.status, casting.space_state, casting.updated_at = CastingStatus.ENDED, "", now
        casting.save(update_fields=["status", "space_state", "updated_at"])
        received = Casting.objects.create(
            member=new_owner, cast_by=actor, kind=casting.kind, title=ref.title, starts_on=today,
            ends_on=max(casting.ends_on, today), status=CastingStatus.ACCEPTED, answered_at=now,
            space_id=ref.id, space_state=ref.state)
        step(casting, StepAction.HANDED_OVER, actor, f"@{new_owner.username}")
        step(received, StepAction.RECEIVED, actor, f"@{casting.member.username}")
        audit(actor, "hand_over", casting, to=new_owner.username, new_casting=received.pk)
        tell_holder(actor, casting, "handed_over", other=new_owner.name, title=ref.title)
        tell_holder(actor, received, "received", title=ref.title)
    return received


def available(casting: Casting) -> dict[str, bool]:
    """Which steps the casting's page offers (each service checks again when it runs)."""
    holding = casting.status in HOLDING and (casting.is_guest_expert or casting.holds_space)
    space = holding and casting.holds_space
    return {
        "withdraw": casting.status == CastingStatus.INVITED,
        "pause": space and casting.space_state == spaces.ACTIVE,
        "resume": space and casting.space_state in (spaces.PAUSED, spaces.RETIRED),
        "retire": space and casting.space_state != spaces.RETIRED,
        "renew": holding,
        "end": holding and not (casting.status == CastingStatus.ENDED
                                and (casting.is_guest_expert or casting.space_state == spaces.RETIRED)),
        "hand_over": space,
        "revoke": casting.is_guest_expert and casting.status == CastingStatus.ACCEPTED,
    }
