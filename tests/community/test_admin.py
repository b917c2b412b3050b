"""The Django admin of the community app (community.admin), as staff use it."""

import pytest

from community.models import Event, EventStatus, Profile, User
from community.permissions import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_search_members_in_the_admin(client_as, member, cm):
    response = client_as("staff").get("/admin/community/user/", {"q": "maya"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [member]


def test_staff_filter_members_in_the_admin(client_as, member):
    UserFactory(username="gone", is_active=False)

    response = client_as("staff").get("/admin/community/user/", {"is_active__exact": "1"})

    assert response.status_code == 200
    shown = {user.username for user in response.context["cl"].result_list}
    assert "maya" in shown and "gone" not in shown


def test_the_member_page_shows_their_profile_inline(client_as, member):
    Profile.objects.filter(user=member).update(bio="Weekend cyclist.", location="Lyon")

    response = client_as("staff").get(f"/admin/community/user/{member.pk}/change/")

    assert response.status_code == 200
    assert b"Weekend cyclist." in response.content
    # Shown, not edited here: the profile's text goes through the profile service (its own admin
    # page) and sanctions through the moderation pages, which keep the history and the audit log.
    assert b'name="profile-0-bio"' not in response.content
    assert b'name="banned_at_0"' not in response.content and b"Sanctions are given and lifted" in response.content


def test_staff_cannot_set_sanction_fields_from_the_member_page(client_as, member):
    client_as("staff").post(f"/admin/community/user/{member.pk}/change/", {
        "username": member.username, "email": member.email, "banned_at_0": "2026-01-01", "banned_at_1": "10:00",
        "date_joined_0": "2026-01-01", "date_joined_1": "10:00", "trust_level": "1",
        "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "1", "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1"})

    member.refresh_from_db()
    assert member.banned_at is None


def test_staff_edit_a_profile_and_its_bio_is_rendered_for_the_public_page(client_as, client, member):
    profile = Profile.objects.get(user=member)

    response = client_as("staff").post(f"/admin/community/profile/{profile.pk}/change/", {
        "user": str(member.pk), "status": "published", "spam_status": "ham",
        "bio": "Ask **@sam** about it.", "website": "", "location": "Lyon",
    })

    assert response.status_code == 302
    profile.refresh_from_db()
    assert "<strong>" in profile.bio_html and 'href="/members/sam/"' in profile.bio_html
    client.logout()
    assert b"<strong>" in client.get("/members/maya/").content


def test_staff_open_the_profile_and_event_lists(client_as, member):
    Event.objects.create(kind="community.welcome", target_id=member.pk)

    profiles = client_as("staff").get("/admin/community/profile/", {"q": "maya"})
    events = client_as("staff").get("/admin/community/event/", {"status__exact": EventStatus.PENDING})

    assert profiles.status_code == 200
    assert [profile.user.username for profile in profiles.context["cl"].result_list] == ["maya"]
    assert events.status_code == 200
    assert b"community.welcome" in events.content


def test_staff_without_superuser_rights_see_members_and_events_through_their_role(client, db):
    clerk = UserFactory(roles=[Role.STAFF], is_staff=True)
    client.force_login(clerk)

    assert client.get("/admin/community/user/").status_code == 200
    assert client.get("/admin/community/event/").status_code == 200
    assert client.get("/admin/community/profile/").status_code == 200


def add_member_form(bio=""):
    """The admin's add-member form as a browser sends it, profile inline included."""
    return {
        "username": "added", "email": "added@example.com", "usable_password": "true",
        "password1": "plum-orchard-1987", "password2": "plum-orchard-1987",
        "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "0", "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1", "profile-0-bio": bio, "profile-0-website": "",
        "profile-0-location": "", "profile-0-status": "published", "profile-0-spam_status": "pending",
    }


def test_a_member_added_in_the_admin_gets_one_profile_and_the_members_role(client_as):
    response = client_as("staff").post("/admin/community/user/add/", add_member_form())

    assert response.status_code == 302
    added = User.objects.get(username="added")
    assert Profile.objects.get(user=added).bio == ""  # written later on the profile's page
    assert added.groups.filter(name=Role.MEMBER).exists()


@pytest.mark.parametrize("role", ["member", "cm"])
def test_members_and_community_managers_are_sent_to_the_admin_login(client_as, role):
    response = client_as(role).get("/admin/community/user/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/community/user/")
