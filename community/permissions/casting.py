"""Casting: who casts members into featured spaces, who answers an invitation, and who reads a
space that a community manager paused.

Plain facts in (ids, states), never a model of a content app or of the workspace: the core imports
neither. A space's states are community.spaces' (active, paused, retired)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..spaces import PAUSED
from .core import state_for
from .workspace import check_can_cast_members


def check_can_manage_castings(actor):
    """The casting pages and every step of a casting (pause, renew, hand over…): the CMs who cast."""
    check_can_cast_members(actor)


def check_can_be_cast(member):
    """A member invited, or handed a space, must be able to take part: active, not banned, not
    suspended (a CM casts them again once the sanction is over)."""
    if not member.is_active:
        raise PermissionDenied(_("This account is closed: it cannot be cast."))
    state = state_for(member)
    if state.is_banned:
        raise PermissionDenied(_("This member is banned: they cannot be cast."))
    if state.is_suspended:
        raise PermissionDenied(_("This member is suspended until %(date)s: cast them once the suspension is over.")
                               % {"date": timezone.localtime(member.suspended_until).strftime("%Y-%m-%d %H:%M")})


def check_can_cast(actor, member):
    check_can_cast_members(actor)
    check_can_be_cast(member)


def may_view_invitation(actor, *, member_id: int) -> bool:
    """The invited member reads their invitation; the CMs who cast read every one."""
    if not actor.is_authenticated:
        return False
    if actor.pk == member_id:
        return True
    state = state_for(actor)
    return state.is_community_manager or actor.is_superuser


def check_can_view_invitation(actor, *, member_id: int):
    if not may_view_invitation(actor, member_id=member_id):
        raise Http404(_("No such invitation."))


def check_can_answer_invitation(actor, *, member):
    """Only the invited member answers (another member is not told the invitation exists; a CM
    reads it but does not answer for them), and only while they may take part. `member` is the
    invited member's row as read now (a sanction given since the page was opened counts)."""
    check_can_view_invitation(actor, member_id=member.pk)
    if actor.pk != member.pk:
        raise PermissionDenied(_("Only the invited member can answer this invitation."))
    state = state_for(member)
    if state.is_banned or state.is_suspended or not member.is_active:
        raise PermissionDenied(_("Your account is under a sanction: this invitation cannot be accepted now. "
                                 "A community manager will get back to you."))


def check_can_accept_invitation(actor, *, member):
    """Accepting opens a space to write in (or a badge to speak as an expert): a silenced member,
    who cannot post, answers once the silence is over (declining stays possible)."""
    check_can_answer_invitation(actor, member=member)
    if state_for(member).is_silenced:
        raise PermissionDenied(_("You are silenced until %(date)s: answer the invitation when the silence ends "
                                 "(you can still decline it).") % {
            "date": timezone.localtime(member.silenced_until).strftime("%Y-%m-%d %H:%M")})


def may_read_space(actor, *, state: str, space_holders) -> bool:
    """An active or retired (archived) space is read by everyone; a paused one by its holders and
    the community managers alone (content kept, hidden from the public). `space_holders` is the set of
    the holders' ids, or a function giving it (asked only for a paused space: lists stay one query)."""
    if state != PAUSED:
        return True
    if not actor.is_authenticated:
        return False
    member = state_for(actor)
    if member.is_community_manager or actor.is_superuser:
        return True
    return actor.pk in (space_holders() if callable(space_holders) else space_holders)


def check_can_read_space(actor, *, state: str, space_holders):
    if not may_read_space(actor, state=state, space_holders=space_holders):
        raise Http404(_("No such space."))
