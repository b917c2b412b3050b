"""The core of the permission rules: roles, capabilities, a member's state, sanctions, posting.

Each rule is a `check_…(actor, …)` that raises PermissionDenied with a translated message.
Template booleans come from the same rules through `can(check, …)` (and the `perms` object the
context processor exposes); list filters come from the `…_filter` functions here.

A member's permission state (roles, capabilities, sanctions) is computed once per request:
`state_for(user)` caches it on the user object, and the auth middleware loads that object once; the
grants (groups, capabilities, moderated forums) come from the cache (`grants.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from .grants import grants_of


class Role:
    """Group names created by migration community 0002 (stable identifiers, not labels)."""

    MEMBER = "Members"
    CONTRIBUTOR = "Contributors"
    COMMUNITY_MANAGER = "Community managers"
    STAFF = "Staff"
    # A recognised outside voice, cast by a CM (migration community 0008): a badge, no extra power.
    GUEST_EXPERT = "Guest experts"

    ALL = (MEMBER, CONTRIBUTOR, COMMUNITY_MANAGER, STAFF, GUEST_EXPERT)


# Capabilities, as permission codenames on community.User (granted to groups by migration 0002).
POST = "post_content"
OWN_SPACE = "own_featured_space"
MODERATE = "moderate_content"
CM_WORKSPACE = "use_cm_workspace"
CAST = "cast_members"


@dataclass
class MemberState:
    """What a user may do, computed once: one query for an authenticated member, none for a visitor."""

    user: object

    @cached_property
    def grants(self):
        """Groups, capabilities and moderated forums (community.permissions.grants: from the cache,
        or one query); None for a visitor or an inactive account."""
        user = self.user
        if not user.is_authenticated or not user.is_active:
            return None
        cached = getattr(user, "_cached_grants", None)  # read with the row (community.signed_in)
        return cached if cached is not None else grants_of(user.pk)

    @property
    def _groups_and_codenames(self):
        grants = self.grants
        return (grants.roles, grants.codenames) if grants is not None else (frozenset(), frozenset())

    @property
    def is_authenticated(self):
        return bool(self.user.is_authenticated)

    @property
    def roles(self) -> frozenset:
        return self._groups_and_codenames[0]

    def has(self, codename: str) -> bool:
        if not self.is_authenticated or not self.user.is_active:
            return False
        if self.user.is_superuser:
            return True
        return codename in self._groups_and_codenames[1]

    @property
    def is_staff(self):
        return self.is_authenticated and self.user.is_active and self.user.is_staff

    @property
    def is_community_manager(self):
        return self.has(MODERATE)

    @property
    def is_contributor(self):
        return self.has(OWN_SPACE)

    @cached_property
    def is_banned(self):
        return self.is_authenticated and self.user.banned_at is not None

    @cached_property
    def is_suspended(self):
        return self.is_authenticated and self.user.is_suspended_at(timezone.now())

    @cached_property
    def is_silenced(self):
        return self.is_authenticated and self.user.is_silenced_at(timezone.now())

    @property
    def role_label(self):
        if self.is_staff:
            return _("Staff")
        if self.is_community_manager:
            return _("Community manager")
        if self.is_contributor:
            return _("Contributor")
        return _("Member")


def state_for(user) -> MemberState:
    state = getattr(user, "_tribune_state", None)
    if state is None:
        state = MemberState(user)
        try:
            user._tribune_state = state
        except AttributeError:  # AnonymousUser instances accept attributes; be safe anyway
            pass
    return state


def can(check, *args, **kwargs) -> bool:
    """A template boolean from a rule: True when `check(...)` does not raise."""
    try:
        check(*args, **kwargs)
    except PermissionDenied:
        return False
    return True


# --- Rules -----------------------------------------------------------------------------------------

def check_not_sanctioned(actor):
    state = state_for(actor)
    if state.is_banned:
        raise PermissionDenied(_("Your account is banned."))
    if state.is_suspended:
        raise PermissionDenied(_("Your account is suspended until %(date)s.") % {
            "date": timezone.localtime(actor.suspended_until).strftime("%Y-%m-%d %H:%M")})


def check_can_post(actor):
    """May `actor` write new content (posts, comments, profile text)?"""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to take part."))
    check_not_sanctioned(actor)
    state = state_for(actor)
    if state.is_silenced:
        raise PermissionDenied(_("You are silenced until %(date)s and cannot post. The moderators' reason is on "
                                 "your “My sanctions” page.") % {
            "date": timezone.localtime(actor.silenced_until).strftime("%Y-%m-%d %H:%M")})
    if not state.has(POST):
        raise PermissionDenied(_("Your account may not post."))
