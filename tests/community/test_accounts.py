"""Accounts through the real django-allauth views: signup, verification, welcome, login,
password reset, rate limits and sanctions (community.adapters, community.middleware)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from community import events
from community.models import Event, EventStatus, Profile, User
from community.permissions import Role
from community.services import WELCOME_EVENT, welcome_member
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mandatory_email_verification")]

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
VERIFICATION_SENT = "/accounts/confirm-email/"
NEW_PASSWORD = "a-brand-new-secret-42"


def signup_form(**changes):
    form = {"username": "newbie", "email": "newbie@example.com",
            "password1": "plum-orchard-1987", "password2": "plum-orchard-1987"}
    form.update(changes)
    return form


def link_in(message, path_prefix):
    """The path of the first link in an email that starts with `path_prefix`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]*)", message.body)
    assert match, f"no {path_prefix} link in:\n{message.body}"
    return match.group(1)


def welcome_emails(mailoutbox):
    return [m for m in mailoutbox if "Welcome to Tribune" in m.subject]


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def form_errors(response):
    form = response.context["form"]
    return [str(error) for errors in form.errors.values() for error in errors]


# --- signup and verification -------------------------------------------------------------------------

def test_signing_up_sends_a_confirmation_email_and_asks_to_check_it(client, mailoutbox):
    response = client.post(SIGNUP, signup_form())

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    assert logged_in_user_id(client) is None  # verification is mandatory
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["newbie@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_a_new_member_gets_a_profile_and_the_members_role(client):
    client.post(SIGNUP, signup_form())

    newbie = User.objects.get(username="newbie")
    assert Profile.objects.filter(user=newbie).exists()
    assert list(newbie.groups.values_list("name", flat=True)) == [Role.MEMBER]


def test_confirming_the_address_logs_in_and_sends_exactly_one_welcome_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(SIGNUP, signup_form())
    confirm_url = link_in(mailoutbox[0], "/accounts/confirm-email/")

    page = client.get(confirm_url)
    assert page.status_code == 200
    assert b"newbie@example.com" in page.content
    assert welcome_emails(mailoutbox) == []  # a GET (e.g. a link scanner) confirms nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url)

    newbie = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert newbie.emailaddress_set.get().verified
    assert logged_in_user_id(client) == str(newbie.pk)
    [welcome] = welcome_emails(mailoutbox)
    assert welcome.to == ["newbie@example.com"]
    assert "/accounts/profile/" in welcome.body
    event = Event.objects.get(kind=WELCOME_EVENT)
    assert (event.status, event.target_id) == (EventStatus.DONE, newbie.pk)


def test_confirming_twice_or_delivering_the_welcome_again_sends_no_second_welcome(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(SIGNUP, signup_form())
    confirm_url = link_in(mailoutbox[0], "/accounts/confirm-email/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url)
        welcome_member(user=User.objects.get(username="newbie"))
    event = Event.objects.get(kind=WELCOME_EVENT)
    assert events.dispatch_event(event.pk) == "already-done"

    assert len(welcome_emails(mailoutbox)) == 1
    assert Event.objects.filter(kind=WELCOME_EVENT).count() == 1


def test_logging_in_before_confirming_the_address_is_not_completed(client, mailoutbox):
    client.post(SIGNUP, signup_form())
    client.logout()

    response = client.post(LOGIN, {"login": "newbie", "password": "plum-orchard-1987"})

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "MAYA"}, "A user with that username already exists."),
        ({"password2": "something-else-99"}, "You must type the same password each time."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"username": "admin"}, "This username is reserved. Please choose another."),
        ({"password1": "123", "password2": "123"}, "This password is too short."),
    ],
)
def test_a_signup_with_bad_input_is_refused_with_a_clear_message(client, member, changes, message):
    users_before = User.objects.count()

    response = client.post(SIGNUP, signup_form(**changes))

    assert response.status_code == 400
    assert any(message in error for error in form_errors(response)), form_errors(response)
    assert message.encode() in response.content.replace(b"&#x27;", b"'")
    assert User.objects.count() == users_before


def test_a_signup_with_a_taken_email_creates_nothing_and_tells_its_owner_instead(
    client, member, mailoutbox
):
    """ACCOUNT_PREVENT_ENUMERATION: the form does not reveal who is registered; the owner of the
    address is told by email that someone tried to sign up with it."""
    response = client.post(SIGNUP, signup_form(email="MAYA@example.com"))

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    assert not User.objects.filter(username="newbie").exists()
    [notice] = mailoutbox
    assert notice.to == ["maya@example.com"]
    assert notice.subject == "[Tribune] Account Already Exists"
    assert "/accounts/password/reset/" in notice.body


# --- login ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("login", ["maya", "maya@example.com", "Maya@Example.com"])
def test_a_member_logs_in_with_their_username_or_email(client, member, login):
    response = client.post(LOGIN, {"login": login, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_user_id(client) == str(member.pk)


def test_a_wrong_password_shows_an_error_and_logs_nobody_in(client, member):
    response = client.post(LOGIN, {"login": "maya", "password": "not-the-password"})

    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in form_errors(response)
    assert b"you specified are not correct" in response.content
    assert logged_in_user_id(client) is None


def test_the_sixth_failed_login_for_a_username_is_blocked_even_with_the_right_password(client, member):
    for _attempt in range(5):
        response = client.post(LOGIN, {"login": "maya", "password": "guess"})
        assert "Too many failed login attempts" not in " ".join(form_errors(response))

    response = client.post(LOGIN, {"login": "maya", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in form_errors(response)
    assert b"Too many failed login attempts" in response.content
    assert logged_in_user_id(client) is None


def test_the_failed_login_limit_counts_per_account(client, member, cm):
    for _attempt in range(5):
        client.post(LOGIN, {"login": "maya", "password": "guess"})

    response = client.post(LOGIN, {"login": "sam", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cm.pk)


# --- password reset --------------------------------------------------------------------------------------

def test_a_password_reset_email_lets_the_member_choose_a_new_password_and_log_in(
    client, member, mailoutbox
):
    response = client.post("/accounts/password/reset/", {"email": "maya@example.com"})
    assert response.status_code == 302
    [email] = mailoutbox
    assert email.to == ["maya@example.com"]

    key_page = client.get(link_in(email, "/accounts/password/reset/key/"), follow=True)
    assert key_page.status_code == 200
    set_password_url = key_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    client.logout()
    old = client.post(LOGIN, {"login": "maya", "password": PASSWORD})
    assert old.status_code == 200
    new = client.post(LOGIN, {"login": "maya", "password": NEW_PASSWORD})
    assert new.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


# --- sanctions ----------------------------------------------------------------------------------------------

SANCTIONS = {
    "banned": ({"banned_at": timezone.now}, "Your account is banned."),
    "suspended": ({"suspended_until": lambda: timezone.now() + timedelta(days=3)},
                  "Your account is suspended until"),
}


def sanction(user, name):
    fields, _message = SANCTIONS[name]
    for field, value in fields.items():
        setattr(user, field, value())
    user.save()


@pytest.mark.parametrize("name", SANCTIONS)
def test_a_sanctioned_member_cannot_log_in_and_is_told_why(client, member, name):
    sanction(member, name)

    response = client.post(LOGIN, {"login": "maya", "password": PASSWORD}, follow=True)

    assert logged_in_user_id(client) is None
    assert response.redirect_chain[-1][0] == LOGIN
    assert SANCTIONS[name][1].encode() in response.content


@pytest.mark.parametrize("name", SANCTIONS)
def test_a_sanctioned_member_with_an_open_session_is_logged_out_on_the_next_request(
    member_client, member, name
):
    assert member_client.get("/").status_code == 200
    sanction(member, name)

    response = member_client.get("/members/", follow=True)

    assert response.redirect_chain[0][0] == reverse("account_login")
    assert logged_in_user_id(member_client) is None
    assert SANCTIONS[name][1].encode() in response.content
    assert member_client.get("/notifications/")["Location"].startswith(LOGIN)


def test_a_member_whose_suspension_is_over_logs_in_again(client, member):
    member.suspended_until = timezone.now() - timedelta(minutes=1)
    member.save()

    client.post(LOGIN, {"login": "maya", "password": PASSWORD})

    assert logged_in_user_id(client) == str(member.pk)


def test_new_members_land_in_the_members_group_created_by_the_migration(client):
    client.post(SIGNUP, signup_form())

    assert Group.objects.get(name=Role.MEMBER).user_set.filter(username="newbie").exists()
