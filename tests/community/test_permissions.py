"""community.permissions: every rule written once, roles from the data migration."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community.models import Profile, User, Visibility
from community.permissions import (
    CAST,
    MODERATE,
    OWN_SPACE,
    POST,
    Role,
    TemplatePerms,
    check_can_moderate,
    check_can_post,
    check_can_use_cm_workspace,
    content_visibility,
    state_for,
    visible_members_filter,
)
from tests.factories import UserFactory

EXPECTED_ROLES = {
    Role.MEMBER: {"post_content"},
    Role.GUEST_EXPERT: {"post_content"},
    Role.CONTRIBUTOR: {"post_content", "own_featured_space", "access_admin"},
    Role.COMMUNITY_MANAGER: {
        "post_content", "moderate_content", "use_cm_workspace", "cast_members", "view_user",
        "view_profile", "access_admin",  # Wagtail's /cms/ (blogs.services.ensure_contributors_index)
    },
    Role.STAFF: {
        "post_content", "moderate_content", "use_cm_workspace", "cast_members", "view_user",
        "change_user", "view_profile", "change_profile", "view_event", "view_group",
    },
}


def fresh(user):
    """The same member loaded again, as the next request would see them (no cached state)."""
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.ALL)
def test_the_data_migration_creates_each_role_with_its_permissions(role):
    group = Group.objects.get(name=role)

    assert set(group.permissions.values_list("codename", flat=True)) == EXPECTED_ROLES[role]


# --- check_can_post ------------------------------------------------------------------------------

def test_a_visitor_is_asked_to_log_in_before_posting(visitor):
    with pytest.raises(PermissionDenied, match="Log in to take part"):
        check_can_post(visitor)


def test_a_member_may_post(member):
    check_can_post(fresh(member))


def test_a_silenced_member_may_not_post_and_is_told_until_when(member):
    member.silenced_until = timezone.now() + timedelta(days=2)
    member.save()

    with pytest.raises(PermissionDenied, match="You are silenced until .* and cannot post"):
        check_can_post(fresh(member))


def test_a_member_whose_silence_is_over_may_post_again(member):
    member.silenced_until = timezone.now() - timedelta(minutes=1)
    member.save()

    check_can_post(fresh(member))


def test_a_suspended_member_may_not_post_and_is_told_until_when(member):
    until = timezone.now() + timedelta(days=7)
    member.suspended_until = until
    member.save()

    with pytest.raises(PermissionDenied, match=f"suspended until {until:%Y-%m-%d}"):
        check_can_post(fresh(member))


def test_a_banned_member_may_not_post(member):
    member.banned_at = timezone.now()
    member.save()

    with pytest.raises(PermissionDenied, match="Your account is banned"):
        check_can_post(fresh(member))


def test_an_account_without_the_members_role_may_not_post(member):
    member.groups.clear()

    with pytest.raises(PermissionDenied, match="Your account may not post"):
        check_can_post(fresh(member))


def test_a_deactivated_account_may_not_post(member):
    member.is_active = False
    member.save()

    with pytest.raises(PermissionDenied):
        check_can_post(fresh(member))


# --- moderation and the CM workspace -------------------------------------------------------------

@pytest.mark.parametrize(
    ("role", "message"),
    [("visitor", "Log in as a community manager to moderate."),
     ("member", "Only community managers and staff can moderate."),
     ("contributor", "Only community managers and staff can moderate.")],
)
def test_only_community_managers_and_staff_may_moderate(as_role, role, message):
    with pytest.raises(PermissionDenied) as denied:
        check_can_moderate(as_role(role))

    assert str(denied.value) == message


@pytest.mark.parametrize("role", ["cm", "staff"])
def test_community_managers_and_staff_may_moderate(as_role, role):
    check_can_moderate(fresh(as_role(role)))


@pytest.mark.parametrize(
    ("role", "message"),
    [("visitor", "Log in as a community manager to use the workspace."),
     ("member", "The workspace is for community managers."),
     ("contributor", "The workspace is for community managers.")],
)
def test_only_community_managers_and_staff_may_use_the_workspace(as_role, role, message):
    with pytest.raises(PermissionDenied) as denied:
        check_can_use_cm_workspace(as_role(role))

    assert str(denied.value) == message


@pytest.mark.parametrize("role", ["cm", "staff"])
def test_community_managers_and_staff_may_use_the_workspace(as_role, role):
    check_can_use_cm_workspace(fresh(as_role(role)))


def test_staff_without_superuser_rights_get_their_powers_from_the_staff_role(db):
    staff = fresh(UserFactory(roles=[Role.STAFF], is_staff=True))

    check_can_moderate(staff)
    check_can_use_cm_workspace(staff)
    assert state_for(staff).role_label == "Staff"


def test_a_banned_community_manager_can_no_longer_moderate(cm):
    cm.banned_at = timezone.now()
    cm.save()

    with pytest.raises(PermissionDenied, match="banned"):
        check_can_moderate(fresh(cm))
    with pytest.raises(PermissionDenied, match="banned"):
        check_can_use_cm_workspace(fresh(cm))


@pytest.mark.parametrize(
    ("role", "label", "can_moderate"),
    [("member", "Member", False), ("contributor", "Contributor", False),
     ("cm", "Community manager", True), ("staff", "Staff", True)],
)
def test_template_booleans_follow_the_same_rules(as_role, role, label, can_moderate):
    perms = TemplatePerms(fresh(as_role(role)))

    assert perms.role_label == label
    assert perms.can_post is True
    assert perms.can_moderate is can_moderate
    assert perms.can_use_cm_workspace is can_moderate


def test_template_booleans_for_a_visitor_are_all_false(visitor):
    perms = TemplatePerms(visitor)

    assert (perms.can_post, perms.can_moderate, perms.can_use_cm_workspace) == (False, False, False)


# --- permission state: one query, computed once ----------------------------------------------------

def test_a_members_roles_and_capabilities_cost_one_query_and_are_computed_once(
    cm, django_assert_num_queries
):
    cm.groups.add(Group.objects.get(name=Role.CONTRIBUTOR))
    user = fresh(cm)

    with django_assert_num_queries(1):
        state = state_for(user)
        assert state.roles == {Role.MEMBER, Role.CONTRIBUTOR, Role.COMMUNITY_MANAGER}
        assert state.has(MODERATE) and state.has(CAST) and state.has(OWN_SPACE) and state.has(POST)
        assert state.is_community_manager and state.is_contributor
        check_can_moderate(user)
        check_can_use_cm_workspace(user)
        check_can_post(user)
        assert state_for(user) is state


def test_a_visitors_permission_state_costs_no_query(db, visitor, django_assert_num_queries):
    with django_assert_num_queries(0):
        state = state_for(visitor)
        assert state.roles == frozenset()
        assert not state.has(POST)
        assert not state.is_community_manager


def test_a_superuser_has_every_capability_without_any_role(db):
    root = fresh(UserFactory(is_superuser=True, is_staff=True))
    root.groups.clear()

    state = state_for(root)

    assert state.has(MODERATE) and state.has(CAST) and state.has(OWN_SPACE)


# --- list filters -----------------------------------------------------------------------------------

def make_profiles_by_status():
    """One member's profile per visibility status, keyed by status."""
    found = {}
    for status in Visibility.values:
        user = UserFactory(username=f"writer-{status}")
        Profile.objects.filter(user=user).update(status=status)
        found[status] = user
    return found


def visible_profile_owners(actor):
    rows = Profile.objects.filter(content_visibility(actor, author_field="user"))
    return set(rows.filter(user__username__startswith="writer-").values_list("user__username", flat=True))


def test_visitors_see_only_published_content(db, visitor):
    make_profiles_by_status()

    assert visible_profile_owners(visitor) == {"writer-published"}


def test_authors_also_see_their_own_content_awaiting_review(db):
    author = fresh(make_profiles_by_status()[Visibility.PENDING])

    assert visible_profile_owners(author) == {"writer-published", "writer-pending"}


def test_members_do_not_see_other_members_content_awaiting_review(member):
    make_profiles_by_status()

    assert visible_profile_owners(fresh(member)) == {"writer-published"}


def test_moderators_see_content_in_every_state(cm):
    make_profiles_by_status()

    assert visible_profile_owners(fresh(cm)) == {f"writer-{status}" for status in Visibility.values}


def make_directory():
    UserFactory(username="present")
    UserFactory(username="banished", banned_at=timezone.now())
    UserFactory(username="departed", is_active=False)


def listed_members(actor):
    return set(User.objects.filter(visible_members_filter(actor)).values_list("username", flat=True))


def test_the_member_directory_hides_banned_and_deactivated_members(visitor, member):
    make_directory()

    assert listed_members(visitor) == {"maya", "present"}
    assert listed_members(fresh(member)) == {"maya", "present"}


def test_moderators_see_banned_members_in_the_directory_but_not_deactivated_ones(cm):
    make_directory()

    assert listed_members(fresh(cm)) == {"sam", "present", "banished"}
