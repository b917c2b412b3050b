"""Every permission rule of Tribune, written once.

Each rule is a `check_…(actor, …)` that raises PermissionDenied with a translated message.
Template booleans come from the same rules through `can(check, …)` (and the `perms` object the
context processor exposes); list filters come from the `…_filter` functions here.

A member's permission state (roles, capabilities, sanctions) is computed once per request:
`state_for(user)` caches it on the user object, and the auth middleware loads that object once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Visibility


class Role:
    """Group names created by migration community 0002 (stable identifiers, not labels)."""

    MEMBER = "Members"
    CONTRIBUTOR = "Contributors"
    COMMUNITY_MANAGER = "Community managers"
    STAFF = "Staff"

    ALL = (MEMBER, CONTRIBUTOR, COMMUNITY_MANAGER, STAFF)


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
    def _groups_and_codenames(self):
        user = self.user
        if not user.is_authenticated or not user.is_active:
            return frozenset(), frozenset()
        rows = Group.objects.filter(user=user).values_list("name", "permissions__codename")
        roles = frozenset(name for name, _codename in rows)
        codenames = frozenset(codename for _name, codename in rows if codename)
        return roles, codenames

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


def check_can_edit_profile(actor, member):
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to edit your profile."))
    check_not_sanctioned(actor)
    if actor.pk != member.pk and not state_for(actor).is_staff:
        raise PermissionDenied(_("You can only edit your own profile."))


def check_can_view_profile(actor, member):
    """Profiles of banned members, and hidden or removed profiles, are shown to moderators only
    (and the member themself sees their own)."""
    if actor.is_authenticated and actor.pk == member.pk:
        return
    if state_for(actor).is_community_manager or state_for(actor).is_staff:
        return
    if not member.is_active or member.banned_at is not None:
        raise PermissionDenied(_("This profile is not available."))


def check_can_moderate(actor):
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in as a community manager to moderate."))
    check_not_sanctioned(actor)
    if not state_for(actor).is_community_manager:
        raise PermissionDenied(_("Only community managers and staff can moderate."))


def check_can_report(actor, obj):
    """May `actor` report `obj` (any registered content kind, profiles included)? Content they may
    not see does not exist for them (Http404); their own content is refused."""
    from django.http import Http404

    from .content import kind_for

    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to report content."))
    check_not_sanctioned(actor)
    kind = kind_for(obj)
    if actor.pk == kind.author_id(obj):
        raise PermissionDenied(_("You cannot report your own content."))
    if not (kind.visible_to(actor, obj) or state_for(actor).is_community_manager):
        raise Http404(_("No such content."))


def check_can_use_cm_workspace(actor):
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in as a community manager to use the workspace."))
    check_not_sanctioned(actor)
    if not state_for(actor).has(CM_WORKSPACE):
        raise PermissionDenied(_("The workspace is for community managers."))


def check_can_cast_members(actor):
    check_can_use_cm_workspace(actor)
    if not state_for(actor).has(CAST):
        raise PermissionDenied(_("You may not cast members into featured spaces."))


# --- List filters (the same rules, as querysets) -------------------------------------------------

def visible_members_filter(actor) -> Q:
    """Members listed in the directory: active, not banned (moderators see everyone active)."""
    if state_for(actor).is_community_manager:
        return Q(is_active=True)
    return Q(is_active=True, banned_at__isnull=True)


def visible_content_filter(actor, author_field="author") -> Q:
    """Content rows `actor` may see: published, or their own awaiting review; all for moderators."""
    if state_for(actor).is_community_manager:
        return Q()
    published = Q(status=Visibility.PUBLISHED)
    if actor.is_authenticated:
        return published | Q(**{f"{author_field}_id": actor.pk, "status": Visibility.PENDING})
    return published


class TemplatePerms:
    """Booleans for templates (exposed as `tribune_perms`), computed from the rules above."""

    def __init__(self, user):
        self.user = user
        self.state = state_for(user)

    @cached_property
    def can_post(self):
        return can(check_can_post, self.user)

    @cached_property
    def can_moderate(self):
        return can(check_can_moderate, self.user)

    @cached_property
    def can_use_cm_workspace(self):
        return can(check_can_use_cm_workspace, self.user)

    @property
    def is_staff(self):
        return self.state.is_staff

    @property
    def role_label(self):
        return self.state.role_label


# --- Forums ----------------------------------------------------------------------------------------
# Read levels match forums.models.Access: 0 everyone, 1 members, 2 contributors, 3 community managers.

def read_level(actor) -> int:
    """The highest forum access level `actor` may read."""
    state = state_for(actor)
    if not state.is_authenticated or state.is_banned or state.is_suspended:
        return 0
    if state.is_community_manager or state.is_staff:
        return 3
    if state.is_contributor:
        return 2
    return 1


def readable_forums_filter(actor, prefix="") -> Q:
    return Q(**{f"{prefix}read_level__lte": read_level(actor)})


def moderated_forum_ids(actor) -> frozenset:
    """Forums where `actor` is a per-forum moderator (one query, cached for the request)."""
    state = state_for(actor)
    if not state.is_authenticated:
        return frozenset()
    cached = getattr(state, "_moderated_forum_ids", None)
    if cached is None:
        from forums.models import Forum

        cached = frozenset(Forum.moderators.through.objects.filter(user_id=actor.pk)
                           .values_list("forum_id", flat=True))
        state._moderated_forum_ids = cached
    return cached


def is_forum_moderator(actor, forum) -> bool:
    state = state_for(actor)
    if not state.is_authenticated or state.is_banned or state.is_suspended:
        return False
    return state.is_community_manager or forum.pk in moderated_forum_ids(actor)


def check_can_read_forum(actor, forum):
    """Raises Http404 rather than PermissionDenied: a forum you may not read does not exist."""
    from django.http import Http404

    if forum.read_level > read_level(actor):
        raise Http404(_("No such forum."))


def check_can_read_topic(actor, topic):
    from django.http import Http404

    check_can_read_forum(actor, topic.forum)
    if topic.status != Visibility.PUBLISHED and not (
        is_forum_moderator(actor, topic.forum)
        or (actor.is_authenticated and actor.pk == topic.author_id and topic.status == Visibility.PENDING)
    ):
        raise Http404(_("No such topic."))


def check_can_start_topic(actor, forum):
    check_can_read_forum(actor, forum)
    check_can_post(actor)
    if forum.is_category:
        raise PermissionDenied(_("Topics go in a forum, not in a category."))


def check_can_reply(actor, topic):
    check_can_read_topic(actor, topic)
    check_can_post(actor)
    if topic.is_locked and not is_forum_moderator(actor, topic.forum):
        raise PermissionDenied(_("This topic is locked: it accepts no new replies."))


def check_can_edit_post(actor, post):
    check_can_read_topic(actor, post.topic)
    if is_forum_moderator(actor, post.topic.forum):
        return
    check_can_post(actor)
    if actor.pk != post.author_id:
        raise PermissionDenied(_("You can only edit your own posts."))
    if post.is_deleted:
        raise PermissionDenied(_("This post was deleted."))
    if post.topic.is_locked:
        raise PermissionDenied(_("This topic is locked."))


def check_can_delete_post(actor, post):
    check_can_read_topic(actor, post.topic)
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to take part."))
    check_not_sanctioned(actor)
    if actor.pk != post.author_id:
        raise PermissionDenied(_("You can only delete your own posts."))
    if post.is_deleted:
        raise PermissionDenied(_("This post is already deleted."))


def check_can_moderate_forum(actor, forum):
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in as a moderator to do this."))
    check_not_sanctioned(actor)
    if not is_forum_moderator(actor, forum):
        raise PermissionDenied(_("Only moderators of this forum can do this."))


def check_can_react(actor, post):
    check_can_read_topic(actor, post.topic)
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to like posts."))
    check_not_sanctioned(actor)
    if actor.pk == post.author_id:
        raise PermissionDenied(_("You cannot like your own post."))
    if post.is_deleted or post.status != Visibility.PUBLISHED:
        raise PermissionDenied(_("This post cannot be liked."))


def check_can_accept_answer(actor, topic):
    check_can_read_topic(actor, topic)
    if not topic.forum.is_questions:
        raise PermissionDenied(_("Only questions have accepted answers."))
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to accept an answer."))
    check_not_sanctioned(actor)
    if actor.pk != topic.author_id and not is_forum_moderator(actor, topic.forum):
        raise PermissionDenied(_("Only the author of the question or a moderator can accept an answer."))


def check_can_watch(actor, forum):
    check_can_read_forum(actor, forum)
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to watch topics and forums."))
