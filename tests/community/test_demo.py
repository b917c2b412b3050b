"""The demo community (manage.py seed_demo, community.demo)."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command

from community.demo import DEMO_PASSWORD
from community.models import Event, Profile, User
from community.permissions import Role, state_for

pytestmark = pytest.mark.django_db

DEMO_LOGINS = ["member", "contributor", "cm", "admin"]


def seed():
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def user(username):
    return User.objects.get(username=username)


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_the_documented_demo_logins_work_with_the_demo_password(client, username):
    seed()

    assert client.login(username=username, password=DEMO_PASSWORD)


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_the_demo_logins_work_through_the_login_page(client, username):
    seed()

    response = client.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user(username).pk)


def test_each_demo_login_has_its_role():
    seed()

    assert state_for(user("cm")).is_community_manager
    assert not state_for(user("cm")).is_staff
    assert state_for(user("contributor")).is_contributor
    assert not state_for(user("contributor")).is_community_manager
    assert state_for(user("member")).roles == {Role.MEMBER}
    admin = user("admin")
    assert admin.is_staff and admin.is_superuser
    assert Group.objects.get(name=Role.STAFF).user_set.filter(pk=admin.pk).exists()


def test_the_demo_community_has_a_dozen_members_with_profiles_and_verified_emails():
    seed()

    members = User.objects.all()
    assert members.count() >= 12
    assert Profile.objects.filter(user__in=members).exclude(bio="").count() == members.count()
    assert Profile.objects.exclude(bio_html="").count() == members.count()
    assert all(Group.objects.get(name=Role.MEMBER).user_set.filter(pk=m.pk).exists() for m in members)
    for member in members:
        address = EmailAddress.objects.get(user=member)
        assert (address.email, address.verified, address.primary) == (member.email, True, True)


def test_a_demo_profile_shows_its_bio_with_a_working_mention(client):
    seed()

    response = client.get("/members/member/")

    assert response.status_code == 200
    assert b"Maya Lindqvist" in response.content
    assert b'href="/members/camille/"' in response.content


def test_seeding_twice_creates_nothing_more():
    assert "created member" in seed()
    counts = (User.objects.count(), Profile.objects.count(), EmailAddress.objects.count(),
              Event.objects.count(), sum(g.user_set.count() for g in Group.objects.all()))

    assert "kept member" in seed()

    assert (User.objects.count(), Profile.objects.count(), EmailAddress.objects.count(),
            Event.objects.count(), sum(g.user_set.count() for g in Group.objects.all())) == counts
