"""Mediating (the CM workspace's brand-watch inbox and escalations to staff).

- The brand-watch inbox (/cm/watch/) and escalating are for community managers who moderate: the
  inbox shows member text of every place, and an escalation is a moderation matter.
- Staff answer escalations (the Django admin): a CM who is not staff may not.
- The inbox shows an item's text as moderation sees it ("or I moderate it"), except what is gone: a
  removed item, or one its author deleted, shows as such, never its text (nobody steps into a
  conversation that is no longer there).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import Visibility
from .core import check_not_sanctioned, state_for
from .workspace import check_can_use_cm_workspace


def check_can_mediate(actor):
    """The brand-watch inbox (take, close, reopen an alert) and escalating a matter to staff."""
    check_can_use_cm_workspace(actor)
    if not state_for(actor).is_community_manager:
        raise PermissionDenied(_("The brand watch is for community managers who moderate."))


check_can_escalate = check_can_mediate


def may_answer_escalations(actor) -> bool:
    state = state_for(actor)
    return bool(actor.is_authenticated and actor.is_active and (state.is_staff or actor.is_superuser)
                and not state.is_banned and not state.is_suspended)


def check_can_answer_escalation(actor):
    """Staff (the Django admin's users) answer the CMs' escalations."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in as staff to answer escalations."))
    check_not_sanctioned(actor)
    if not may_answer_escalations(actor):
        raise PermissionDenied(_("Only staff answer escalations."))


def may_show_watched_text(*, status: str, deleted: bool) -> bool:
    """May the inbox quote an item's text? Not once it is removed or deleted by its author."""
    return status != Visibility.REMOVED and not deleted
