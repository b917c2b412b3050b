"""Who sees and edits members, and who may read a place of a given access level.

Read levels (0 everyone, 1 members, 2 contributors, 3 community managers) are the access of
forums today and of any other place that restricts reading: `read_level(actor)` is a member's
level, `readers_filter(level)` the members of at least that level as a filter on users — the same
rule twice, side by side (the notification fan-out asks the filter, pages ask `read_level`).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Visibility
from .core import MODERATE, OWN_SPACE, check_can_post, check_not_sanctioned, state_for

PUBLIC, MEMBERS, CONTRIBUTORS, COMMUNITY_MANAGERS = 0, 1, 2, 3


def check_can_edit_profile(actor, member):
    """A profile's name, bio, website, location and avatar are public text: its owner changes them
    only while they may publish at all (a silence applies here as to posts — `check_can_post`);
    staff edit anyone's (the admin), unless sanctioned themselves."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to edit your profile."))
    check_not_sanctioned(actor)
    if actor.pk != member.pk and not state_for(actor).is_staff:
        raise PermissionDenied(_("You can only edit your own profile."))
    if actor.pk == member.pk:
        check_can_post(actor)


def check_can_view_profile(actor, member):
    """Profiles of banned members, and hidden or removed profiles, are shown to moderators only
    (and the member themself sees their own)."""
    if actor.is_authenticated and actor.pk == member.pk:
        return
    if state_for(actor).is_community_manager or state_for(actor).is_staff:
        return
    if not member.is_active or member.banned_at is not None:
        raise PermissionDenied(_("This profile is not available."))


def may_read_profile(actor, profile) -> bool:
    """The profile kind's `can_view` (what its report form may quote): the profile page is open to
    the actor, and its bio visible to them."""
    try:
        check_can_view_profile(actor, profile.user)
    except PermissionDenied:
        return False
    return may_see_profile_text(actor, profile)


def may_see_profile_text(actor, profile) -> bool:
    """The bio (member text) of a profile: the content visibility rule, the member being its author."""
    from .content import may_view_content

    return may_view_content(actor, author_id=profile.user_id, status=profile.status or Visibility.PUBLISHED)


def visible_members_filter(actor) -> Q:
    """Members listed in the directory: active, not banned (moderators see everyone active)."""
    if state_for(actor).is_community_manager:
        return Q(is_active=True)
    return Q(is_active=True, banned_at__isnull=True)


def read_level(actor) -> int:
    """The highest access level `actor` may read."""
    state = state_for(actor)
    if not state.is_authenticated or state.is_banned or state.is_suspended:
        return PUBLIC
    if state.is_community_manager or state.is_staff:
        return COMMUNITY_MANAGERS
    if state.is_contributor:
        return CONTRIBUTORS
    return MEMBERS


def notified_members_filter() -> Q:
    """Who is told anything (notifications, their emails): active members who are not banned."""
    return Q(is_active=True, banned_at__isnull=True)


def readers_filter(level: int, *, now=None) -> Q:
    """Users whose `read_level` is at least `level`, as a filter (the same rule as `read_level`):
    active and not banned; not suspended past the public level; the role the level needs."""
    readers = notified_members_filter()
    if level <= PUBLIC:
        return readers
    readers &= ~Q(suspended_until__gt=now or timezone.now())
    if level == MEMBERS:
        return readers
    codenames = [MODERATE] if level >= COMMUNITY_MANAGERS else [OWN_SPACE, MODERATE]
    has_role = Group.objects.filter(user=OuterRef("pk"), permissions__codename__in=codenames)
    return readers & (Q(is_superuser=True) | Q(is_staff=True) | Exists(has_role))


def community_managers_filter() -> Q:
    """Active, unbanned members who moderate (the CM role, or superusers), as a filter on users —
    the same rule as `MemberState.is_community_manager`."""
    has_role = Group.objects.filter(user=OuterRef("pk"), permissions__codename=MODERATE)
    return Q(is_active=True, banned_at__isnull=True) & (Q(is_superuser=True) | Exists(has_role))
