"""Moderating: the review queue, sanctions, staff alerts, and who the new-member limits spare."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .core import check_not_sanctioned, state_for


def check_can_moderate(actor):
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in as a community manager to moderate."))
    check_not_sanctioned(actor)
    if not state_for(actor).is_community_manager:
        raise PermissionDenied(_("Only community managers and staff can moderate."))


def check_can_sanction(actor, member) -> None:
    """Moderators sanction members (and lift their sanctions); never staff, superusers or
    themselves; only staff sanction a community manager."""
    check_can_moderate(actor)
    if member.pk == actor.pk:
        raise PermissionDenied(_("You cannot sanction yourself."))
    if member.is_staff or member.is_superuser:
        raise PermissionDenied(_("Staff members cannot be sanctioned."))
    if state_for(member).is_community_manager and not state_for(actor).is_staff:
        raise PermissionDenied(_("Only staff can sanction a community manager."))


def check_can_acknowledge_warning(actor, sanction) -> None:
    """A member acknowledges their own warnings, nobody else's."""
    if not actor.is_authenticated or sanction.member_id != actor.pk or sanction.kind != "warn":
        raise PermissionDenied(_("This is not one of your warnings."))


def may_choose_staff_alerts(user) -> bool:
    """Staff alerts (reports, watched words) and quiet hours are for community managers."""
    return state_for(user).is_community_manager


def check_can_choose_staff_alerts(user) -> None:
    if not may_choose_staff_alerts(user):
        raise PermissionDenied(_("Quiet hours are for community managers."))


def is_exempt_from_new_member_limits(user) -> bool:
    """Staff, community managers and contributors are never under the new-member limits."""
    state = state_for(user)
    return bool(user.is_staff or user.is_superuser or state.is_community_manager or state.is_contributor)


def raises_watch_alerts(author) -> bool:
    """Does what `author` writes raise the brand watch's alerts? Not a community manager's or staff's
    own words: they are the ones watching (a CM answering an alert from the inbox quotes the word)."""
    if author is None or not author.is_authenticated:
        return True
    return not (author.is_staff or state_for(author).is_community_manager)
