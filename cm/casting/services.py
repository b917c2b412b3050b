"""Casting's writes: a CM invites a member (cast), the member answers (accept, decline), the CM
withdraws an open invitation. The steps about a space or a badge afterwards (pause, resume, retire,
renew, end, hand over, revoke) are in cm.casting.steps; the beat's reminders in cm.casting.tasks.

Every write: the permission rule first (community.permissions.casting), then one transaction with
the casting's row locked, a CastingStep (the history), an audit-log entry, and the event that tells
whom it concerns (cm.casting.notifications). An answer that cannot be given (answered already,
withdrawn, expired) raises CastingError with a clear message, and nothing changes.

The space is made through the featured spaces' registry (community.spaces): the workspace never
imports the app that hosts them.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import events, spaces
from community.permissions import Role
from community.permissions.casting import (
    check_can_accept_invitation,
    check_can_answer_invitation,
    check_can_cast,
    check_can_manage_castings,
)
from moderation.models import AuditLogEntry

from ..models import GUEST_EXPERT, INVITATION_VALID_DAYS, Casting, CastingStatus, CastingStep, StepAction
from . import events as casting_events

AUDIT_KIND = "cm.casting"
# The audit log's labels of casting's actions (AuditLogEntry.action -> label).
AUDIT_ACTIONS = {
    "casting_invite": gettext_lazy("Cast a member (invitation)"),
    "casting_accept": gettext_lazy("Casting accepted"),
    "casting_decline": gettext_lazy("Casting declined"),
    "casting_withdraw": gettext_lazy("Casting invitation withdrawn"),
    "casting_expire": gettext_lazy("Casting invitation expired"),
    "casting_pause": gettext_lazy("Pause a featured space"),
    "casting_resume": gettext_lazy("Resume a featured space"),
    "casting_retire": gettext_lazy("Retire a featured space"),
    "casting_renew": gettext_lazy("Renew a featured term"),
    "casting_end": gettext_lazy("End a featured term"),
    "casting_term_over": gettext_lazy("A featured term reached its end"),
    "casting_hand_over": gettext_lazy("Hand a featured space over"),
    "casting_revoke": gettext_lazy("Revoke a guest-expert badge"),
}


class CastingError(ValidationError):
    """A step that cannot be taken now (answered already, expired, withdrawn…): its message says why;
    nothing was changed."""


def kinds() -> list[tuple[str, object]]:
    """What a member can be cast as: the host's kinds of space, then the guest-expert badge."""
    return [*spaces.kinds(), (GUEST_EXPERT, gettext_lazy("Guest expert (a badge, no space)"))]


def guest_experts() -> Group:
    return Group.objects.get_or_create(name=Role.GUEST_EXPERT)[0]


def step(casting: Casting, action: str, actor, note: str = "") -> CastingStep:
    return CastingStep.objects.create(casting=casting, action=action, actor=actor, note=note[:500])


def audit(actor, action: str, casting: Casting, *, reason: str = "", **detail) -> None:
    AuditLogEntry.objects.create(
        actor=actor, action=f"casting_{action}", kind=AUDIT_KIND, object_id=casting.pk, reason=reason[:500],
        detail={"member": casting.member.username, "kind": casting.kind, "space": casting.space_id,
                "ends_on": casting.ends_on.isoformat(), **detail})


def tell_holder(actor, casting: Casting, change: str, **payload) -> None:
    """The holder learns a step about their space or badge (notification kind casting_space_changed)."""
    events.record_event(casting_events.CHANGED, actor=actor, target=casting, payload={"change": change, **payload})


def locked(casting_id) -> Casting:
    """The casting, its row locked until the transaction ends (404 when there is none)."""
    casting = Casting.objects.select_for_update().filter(pk=casting_id).first()
    if casting is None:
        raise Http404(_("No such casting."))
    # (the related rows are read after the lock: PostgreSQL locks no outer-joined row)
    casting.member  # noqa: B018
    return casting


def _touch(casting: Casting, **fields) -> None:
    for name, value in fields.items():
        setattr(casting, name, value)
    casting.updated_at = timezone.now()
    casting.save(update_fields=[*fields, "updated_at"])


# The dates a term may have (a typo such as year 1 or 9999 is refused, never stored): it starts at
# most a year ago, lasts at most five years (renewable), and nothing ends more than ten years ahead.
EARLIEST_START_DAYS = 365
MAX_TERM_DAYS = 5 * 365 + 1
LATEST_END_DAYS = 10 * 365 + 2


def latest_end(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=LATEST_END_DAYS)


def latest_end_message(today: date | None = None) -> str:
    return _("That is too far ahead: a term ends on %(date)s at the latest.") % {
        "date": date_format(latest_end(today), "DATE_FORMAT")}


def term_errors(starts_on: date | None, ends_on: date | None, *, today: date | None = None) -> dict[str, str]:
    """What is wrong with a new term's dates, by field ("starts_on", "ends_on"); empty when fine."""
    today = today or timezone.localdate()
    errors = {}
    if starts_on is not None:
        if starts_on < today - timedelta(days=EARLIEST_START_DAYS):
            errors["starts_on"] = _("A term starts at most a year ago (on %(date)s at the earliest).") % {
                "date": date_format(today - timedelta(days=EARLIEST_START_DAYS), "DATE_FORMAT")}
        elif starts_on > latest_end(today):
            errors["starts_on"] = latest_end_message(today)
    if ends_on is not None:
        if ends_on < today:
            errors["ends_on"] = _("The term must end in the future.")
        elif starts_on is not None and ends_on < starts_on:
            errors["ends_on"] = _("The term must end after it starts.")
        elif ends_on > latest_end(today):
            errors["ends_on"] = latest_end_message(today)
        elif starts_on is not None and (ends_on - starts_on).days > MAX_TERM_DAYS:
            errors["ends_on"] = _("A term lasts five years at most (it can be renewed).")
    return errors


def check_term(starts_on: date, ends_on: date) -> None:
    for message in term_errors(starts_on, ends_on).values():
        raise CastingError(message, code="term")


def check_renewal(casting: Casting, ends_on: date) -> None:
    """A renewal moves the end later (ending a term early is "End the term"), into the future and
    not past the latest end."""
    today = timezone.localdate()
    if ends_on < today:
        raise CastingError(_("The term must end in the future."), code="term")
    if ends_on < casting.ends_on:
        raise CastingError(_("A renewal moves the end later: this term ends on %(date)s. To end it earlier, use "
                             "“End the term now”.") % {"date": date_format(casting.ends_on, "DATE_FORMAT")},
                           code="shorter")
    if ends_on > latest_end(today):
        raise CastingError(latest_end_message(today), code="term")


# --- Inviting ----------------------------------------------------------------------------------------

def cast(*, actor, member, kind: str, title: str, message: str, starts_on: date, ends_on: date) -> tuple[Casting, bool]:
    """A CM invites `member` into a new space of `kind` (or as a guest expert) for a term. Returns
    (casting, created): an open invitation of that member for that kind already there (a double
    submit, another CM a moment before) is returned as it is — one invitation, never two."""
    check_can_cast(actor, member)
    if kind not in dict(kinds()):
        raise CastingError(_("Choose a kind of space, or the guest-expert badge."), code="kind")
    # A guest expert gets a badge, not a space: no space title is kept (the form may have prefilled one).
    title = "" if kind == GUEST_EXPERT else " ".join((title or "").split())
    if kind != GUEST_EXPERT and not title:
        raise CastingError(_("Give the space a title (the member can have it changed later)."), code="title")
    if kind == GUEST_EXPERT and member.groups.filter(name=Role.GUEST_EXPERT).exists():
        raise CastingError(_("%(name)s is a guest expert already.") % {"name": member.name}, code="already")
    check_term(starts_on, ends_on)
    with transaction.atomic():
        expire_stale(Casting.objects.filter(member=member, kind=kind, status=CastingStatus.INVITED))
        existing = Casting.objects.filter(member=member, kind=kind, status=CastingStatus.INVITED).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                casting = Casting.objects.create(member=member, cast_by=actor, kind=kind, title=title,
                                                 message=(message or "").strip(), starts_on=starts_on, ends_on=ends_on)
        except IntegrityError:  # another request made it between our look and our insert
            return Casting.objects.get(member=member, kind=kind, status=CastingStatus.INVITED), False
        step(casting, StepAction.INVITED, actor, title)
        audit(actor, "invite", casting)
        events.record_event(casting_events.INVITED, actor=actor, target=casting)
    return casting, True


def stale(*, today: date | None = None) -> Q:
    """Open invitations past their validity, or whose term is over (Casting.is_expired, as a filter)."""
    today = today or timezone.localdate()
    return Q(status=CastingStatus.INVITED) & (
        Q(created_at__lte=timezone.now() - timedelta(days=INVITATION_VALID_DAYS)) | Q(ends_on__lt=today))


def expire_stale(invitations, *, today: date | None = None) -> int:
    """The stale ones among `invitations` become "expired" (freeing the member and kind for a new
    invitation). Returns how many."""
    count = 0
    for casting in invitations.filter(stale(today=today)).select_for_update():
        _touch(casting, status=CastingStatus.EXPIRED)
        step(casting, StepAction.EXPIRED, None)
        audit(None, "expire", casting)
        count += 1
    return count


def withdraw(*, actor, casting_id) -> Casting:
    """A CM withdraws an invitation not answered yet; the member is told."""
    check_can_manage_castings(actor)
    with transaction.atomic():
        casting = locked(casting_id)
        if casting.status != CastingStatus.INVITED or casting.is_expired:  # (expired but not yet marked)
            raise CastingError(_("Only an invitation still waiting for its answer can be withdrawn."), code="state")
        _touch(casting, status=CastingStatus.WITHDRAWN)
        step(casting, StepAction.WITHDRAWN, actor)
        audit(actor, "withdraw", casting)
        tell_holder(actor, casting, "withdrawn")
    return casting


# --- Answering ---------------------------------------------------------------------------------------

def _check_answerable(casting: Casting) -> None:
    """Clear words for an invitation that can no longer be answered (nothing is changed)."""
    if casting.status == CastingStatus.ACCEPTED or (casting.status in (CastingStatus.ENDED, CastingStatus.REVOKED)
                                                   and casting.answered_at):
        raise CastingError(_("You already accepted this invitation on %(date)s.") % {
            "date": date_format(timezone.localtime(casting.answered_at), "DATE_FORMAT")}, code="answered")
    if casting.status == CastingStatus.DECLINED:
        raise CastingError(_("You already declined this invitation on %(date)s. A community manager can invite "
                             "you again.") % {"date": date_format(timezone.localtime(casting.answered_at),
                                                                  "DATE_FORMAT")}, code="answered")
    if casting.status == CastingStatus.WITHDRAWN:
        raise CastingError(_("This invitation was withdrawn by the community managers."), code="withdrawn")
    if casting.is_expired:
        raise CastingError(_("This invitation has expired. A community manager can invite you again."),
                           code="expired")


def _open_for_answer(actor, casting_id, *, accepting: bool = False) -> Casting:
    casting = locked(casting_id)
    (check_can_accept_invitation if accepting else check_can_answer_invitation)(actor, member=casting.member)
    _check_answerable(casting)
    return casting


def accept(*, actor, casting_id) -> Casting:
    """The invited member accepts. In one transaction: the space is made by its host (its group, the
    Contributors role; it shows among the featured contributors at once) — or, for a guest expert,
    the member joins the Guest experts group; the CM who cast is told."""
    with transaction.atomic():
        casting = _open_for_answer(actor, casting_id, accepting=True)
        if casting.kind == GUEST_EXPERT:
            casting.member.groups.add(guest_experts())
            made = {}
        else:
            if casting.cast_by is None:
                raise CastingError(_("The community manager who invited you is no longer here: ask another one "
                                     "to invite you again."), code="cast_by")
            try:
                # Made in the name of the CM who cast (the host checks that they may still cast).
                ref = spaces.create(actor=casting.cast_by, owner=casting.member, kind=casting.kind,
                                    title=casting.title)
            except PermissionDenied:
                raise CastingError(_("The community manager who invited you can no longer cast members: ask "
                                     "another one to invite you again."), code="cast_by") from None
            made = {"space_id": ref.id, "space_state": ref.state}
        _touch(casting, status=CastingStatus.ACCEPTED, answered_at=timezone.now(), **made)
        step(casting, StepAction.ACCEPTED, actor)
        audit(actor, "accept", casting)
        events.record_event(casting_events.ANSWERED, actor=actor, target=casting, payload={"answer": "accepted"})
    return casting


def decline(*, actor, casting_id, note: str = "") -> Casting:
    """The invited member declines: nothing else changes; the CM who cast is told."""
    with transaction.atomic():
        casting = _open_for_answer(actor, casting_id)
        _touch(casting, status=CastingStatus.DECLINED, answered_at=timezone.now())
        step(casting, StepAction.DECLINED, actor, note)
        audit(actor, "decline", casting, reason=note)
        events.record_event(casting_events.ANSWERED, actor=actor, target=casting, payload={"answer": "declined"})
    return casting
