"""Look-alike usernames (community.identity, User.username_skeleton): refused at signup (the real
allauth view), in the admin's add and change forms, and in a race; stored skeletons; the migration
that fills them; mentions still find members."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from community import writing
from community.demo import seed_demo
from community.identity import skeleton
from community.markup import render
from community.models import User, UserManager
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
TAKEN = "looks too much like a member's username"
RESERVED = "This username is reserved."
ONE_ALPHABET = "Write your username in one alphabet"
EXISTS = "A user with that username already exists."
INVISIBLE = "A username cannot contain invisible characters."


def signup_form(username, **changes):
    form = {"username": username, "email": "newcomer@example.com",
            "password1": "plum-orchard-1987", "password2": "plum-orchard-1987"}
    form.update(changes)
    return form


def errors(response, field=None):
    form_errors = response.context["form"].errors
    fields = [field] if field else list(form_errors)
    return " ".join(str(error) for name in fields for error in form_errors.get(name, []))


@pytest.fixture
def admin_and_member(db):
    return (UserFactory(username="admin", is_staff=True, is_superuser=True),
            UserFactory(username="member"))


@pytest.fixture
def cocoa(db):
    return UserFactory(username="cocoa")


@pytest.fixture
def first_check_misses(monkeypatch):
    """The look-alike check finds nothing the first time, as when another signup is saving the
    look-alike at the same instant (its row is not committed yet); later checks see it."""
    real = UserManager.confusable_with
    calls = []

    def racing(self, username, **kwargs):
        calls.append(username)
        return self.none() if len(calls) == 1 else real(self, username, **kwargs)

    monkeypatch.setattr(UserManager, "confusable_with", racing)
    return calls


# --- the skeleton --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "look_alike"), [
    ("admin", "\u0430dmin"),             # Cyrillic а
    ("admin", "\u0430dm\u0456n"),        # Cyrillic а and і
    ("member", "\uff4dember"),           # full-width ｍ
    ("admin", "ADMIN"),
    ("admin", "AdmIn"),                  # capital I looks like l, and so does i's capital
    ("admin", "adm1n"),
    ("member", "rnember"),               # UTS #39: m -> rn
    ("paypal", "PaypaI"),
    ("cocoa", "\u0441\u043e\u0441\u043e\u0430"),  # all Cyrillic
    ("home", "\u041d\u041e\u041c\u0415"),         # all Cyrillic capitals НОМЕ
    ("root", "r00t"),
    ("member", "memb\u0117r"),          # ė: an accent is a look-alike to a reader
    ("admin", "a\u0300dmin"),           # a + combining grave
    ("cm", "\u00e7m"),                  # ç
    ("elodie", "\u00e9lodie"),
])
def test_look_alike_usernames_share_a_skeleton(name, look_alike):
    assert skeleton(look_alike) == skeleton(name)


@pytest.mark.parametrize(("name", "other"), [("maya", "mayo"), ("admin", "admins"), ("jules", "julie")])
def test_different_usernames_keep_different_skeletons(name, other):
    assert skeleton(name) != skeleton(other)


def test_a_skeleton_is_its_own_skeleton():
    samples = [chr(cp) for block in [(0x20, 0x250), (0x370, 0x530), (0xff00, 0xffef), (0x1d400, 0x1d7ff)]
               for cp in range(*block)]

    assert [char for char in samples if skeleton(skeleton(char)) != skeleton(char)] == []


# --- signup through allauth's real view ----------------------------------------------------------

@pytest.mark.parametrize(("username", "message"), [
    ("\u0430dmin", ONE_ALPHABET),
    ("\u0430dm\u0456n", ONE_ALPHABET),
    ("\uff4dember", EXISTS),     # NFKC makes it `member`, which allauth finds
    ("ADMIN", RESERVED),
    ("Member", EXISTS),
    ("rnember", TAKEN),
    ("MEMBER", EXISTS),
    ("\uff2d\uff25\uff2d\uff22\uff25\uff32", EXISTS),  # ＭＥＭＢＥＲ
    ("memb\u0117r", TAKEN),     # accents: found by an outside probe
    ("a\u0300dmin", RESERVED),
])
def test_signup_refuses_a_look_alike_of_admin_or_member(client, admin_and_member, username, message):
    users_before = User.objects.count()

    response = client.post(SIGNUP, signup_form(username))

    assert response.status_code == 400
    assert message in errors(response, "username")
    assert User.objects.count() == users_before


def test_signup_refuses_a_same_script_look_alike_as_taken(client, cocoa):
    response = client.post(SIGNUP, signup_form("\u0441\u043e\u0441\u043e\u0430"))

    assert response.status_code == 400
    assert TAKEN in errors(response, "username")
    assert TAKEN.encode() in response.content.replace(b"&#x27;", b"'")
    assert not User.objects.filter(email="newcomer@example.com").exists()


@pytest.mark.parametrize("username", ["r00t", "Support", "m0derator", "\uff53\uff54\uff41\uff46\uff46"])
def test_signup_refuses_a_reserved_name_and_its_look_alikes_even_when_nobody_has_it(client, db, username):
    response = client.post(SIGNUP, signup_form(username))

    assert response.status_code == 400
    assert RESERVED in errors(response, "username")


def test_a_username_too_short_once_normalized_is_refused(client, db):
    response = client.post(SIGNUP, signup_form("c\u0301m"))  # three code points, two letters: ćm
    assert response.status_code == 400
    assert "too short" in errors(response, "username")


@pytest.mark.parametrize("username", ["maya\u3164", "\u3164\u3164\u3164", "\uffa0ab\uffa0"])
def test_signup_refuses_invisible_letters(client, db, username):
    response = client.post(SIGNUP, signup_form(username))

    assert response.status_code == 400
    assert INVISIBLE in errors(response, "username")


def test_a_new_username_is_stored_in_nfkc_with_its_skeleton(client, db):
    response = client.post(SIGNUP, signup_form("\uff4a\uff55\uff4c\uff49\uff41"))  # ｊｕｌｉａ

    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.com")
    assert user.username == "julia"
    assert user.username_skeleton == skeleton("julia")


@pytest.mark.parametrize("username", ["山田たろう", "Ελένη", "Дмитрий", "maya_2.0"])
def test_names_in_one_writing_system_are_welcome(client, db, username):
    response = client.post(SIGNUP, signup_form(username))

    assert response.status_code == 302
    assert User.objects.filter(username=username).exists()


def test_a_signup_that_loses_the_race_for_a_look_alike_gets_a_form_error(client, cocoa, first_check_misses):
    response = client.post(SIGNUP, signup_form("\u0441\u043e\u0441\u043e\u0430"))

    assert response.status_code == 400
    assert TAKEN in errors(response, "username")
    assert len(first_check_misses) >= 2  # the form was validated again after the refused insert
    assert list(User.objects.filter(username_skeleton=skeleton("cocoa"))) == [cocoa]
    assert not EmailAddress.objects.filter(email="newcomer@example.com").exists()


# --- the admin -----------------------------------------------------------------------------------

def change_form(user, **changes):
    form = {"username": user.username, "email": user.email, "display_name": user.display_name,
            "language": "", "trust_level": "1", "is_active": "on",
            "date_joined_0": "2026-01-01", "date_joined_1": "10:00",
            "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "1", "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1", "profile-0-id": str(user.profile.pk), "profile-0-user": str(user.pk)}
    form.update(changes)
    return form


def change_url(user):
    return f"/admin/community/user/{user.pk}/change/"


def admin_errors(response):
    return " ".join(str(error) for error in response.context["adminform"].form.errors.get("username", []))


@pytest.mark.parametrize("new_name", ["\u0441\u043e\u0441\u043e\u0430", "COCOA", "c0c0a", "\uff43ocoa"])
def test_staff_cannot_rename_a_member_to_a_look_alike(client_as, member, cocoa, new_name):
    response = client_as("staff").post(change_url(member), change_form(member, username=new_name))

    assert response.status_code == 400
    assert TAKEN in admin_errors(response)
    member.refresh_from_db()
    assert member.username == "maya"


def test_staff_cannot_rename_a_member_to_a_name_mixing_alphabets(client_as, member):
    response = client_as("staff").post(change_url(member), change_form(member, username="m\u0430ya2"))

    assert response.status_code == 400
    assert ONE_ALPHABET in admin_errors(response)


def test_a_rename_in_the_admin_moves_the_skeleton_and_may_take_a_reserved_name(client_as, member):
    response = client_as("staff").post(change_url(member), change_form(member, username="support"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.username, member.username_skeleton) == ("support", skeleton("support"))
    assert User.objects.confusable_with("maya").count() == 0  # the old name is free again


def test_staff_saving_a_member_under_the_same_name_is_not_a_look_alike_of_themselves(client_as, member):
    response = client_as("staff").post(change_url(member), change_form(member, display_name="Maya L."))

    assert response.status_code == 302


def test_a_rename_that_loses_the_race_gets_a_form_error_not_a_500(client_as, member, cocoa, first_check_misses):
    response = client_as("staff").post(change_url(member),
                                       change_form(member, username="\u0441\u043e\u0441\u043e\u0430"))

    assert response.status_code == 400
    assert TAKEN in admin_errors(response)
    member.refresh_from_db()
    assert (member.username, member.username_skeleton) == ("maya", skeleton("maya"))


def add_form(username):
    return {"username": username, "email": "added@example.com", "usable_password": "true",
            "password1": "plum-orchard-1987", "password2": "plum-orchard-1987",
            "profile-TOTAL_FORMS": "0", "profile-INITIAL_FORMS": "0", "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1"}


@pytest.mark.parametrize(("username", "message"), [("rnaya", TAKEN), ("\u0430dmin", ONE_ALPHABET),
                                                  ("MAYA", EXISTS), ("\uff4daya", EXISTS)])
def test_staff_cannot_add_a_look_alike_member(client_as, member, username, message):
    response = client_as("staff").post("/admin/community/user/add/", add_form(username))

    assert response.status_code == 400
    assert message in admin_errors(response)
    assert not User.objects.filter(email="added@example.com").exists()


def test_staff_add_a_member_with_a_reserved_name(client_as, db):
    response = client_as("staff").post("/admin/community/user/add/", add_form("moderator"))

    assert response.status_code == 302
    assert User.objects.get(email="added@example.com").username_skeleton == skeleton("moderator")


def test_a_display_name_given_in_the_admin_is_cleaned(client_as, member):
    client_as("staff").post(change_url(member), change_form(member, display_name="Maya\r\n\u202eadmin"))

    member.refresh_from_db()
    assert member.display_name == "Maya admin"


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "kept"), [
    ("Maya\r\nLindqvist", "Maya Lindqvist"),
    ("\u202eMaya\u202c  L.\t", "Maya L."),
    ("Ma\u200bya\u200d\u2060\ufeff", "Maya"),
    ("\x07Maya\x85\x9f", "Maya"),
    ("\u200b\u200c\u200d", ""),
    ("\u3164 \u3164", ""),
    ("Léa Martin", "Léa Martin"),
])
def test_a_name_keeps_only_what_shows_on_one_line(typed, kept):
    assert writing.clean_name(typed) == kept


def test_a_title_of_zero_width_characters_only_is_empty():
    with pytest.raises(ValidationError) as refused:
        writing.clean_title("\u200b\u2060\ufeff\u200d \u202e")

    assert refused.value.code == "empty"


def test_a_title_keeps_emoji_joiners_but_not_controls():
    assert writing.clean_title("Our \U0001F468\u200d\U0001F469\u200d\U0001F467\x07 day\u200b") == \
        "Our \U0001F468\u200d\U0001F469\u200d\U0001F467 day"


# --- stored skeletons, the migration, seeds ------------------------------------------------------

def test_every_way_of_making_a_user_stores_its_skeleton(db):
    made = [User.objects.create_user("created", "created@example.com", "x"),
            User.objects.create_superuser("super", "super@example.com", "x"),
            UserFactory(username="factory")]

    assert [user.username_skeleton for user in made] == [skeleton("created"), skeleton("super"),
                                                        skeleton("factory")]


def test_the_demo_seed_gives_every_member_a_skeleton(db):
    seed_demo()

    assert not User.objects.filter(username_skeleton__isnull=True).exists()


def test_the_migration_keeps_the_oldest_of_two_look_alikes_and_leaves_the_later_without_skeleton(db):
    first = UserFactory(username="admin")
    later = UserFactory(username="member7")
    User.objects.filter(pk=later.pk).update(username="\u0430dmin")  # as signed up before the check
    User.objects.update(username_skeleton=None)
    migration = importlib.import_module("community.migrations.0006_user_username_skeleton")

    migration.fill_skeletons(django_apps, None)

    assert User.objects.get(pk=first.pk).username_skeleton == skeleton("admin")
    later = User.objects.get(pk=later.pk)
    assert later.username_skeleton is None
    later.display_name = "Still editable"
    later.save()  # the name is unchanged: no skeleton to collide with
    later.username = "boris"
    later.save()
    assert User.objects.get(pk=later.pk).username_skeleton == skeleton("boris")


# --- mentions ------------------------------------------------------------------------------------

def test_mentions_still_find_members_by_username_in_any_case(cocoa, member):
    rendered = render("Thanks @Cocoa and @maya, and not @\u0441\u043e\u0441\u043e\u0430.")

    assert sorted(writing.mentioned_ids(rendered.mentions)) == sorted([cocoa.pk, member.pk])
    assert 'href="/members/cocoa/"' in rendered.html


def test_a_member_who_just_signed_up_can_be_mentioned(client, db):
    client.post(SIGNUP, signup_form("newcomer"))

    assert writing.mentioned_ids(render("Welcome @newcomer!").mentions) == [
        User.objects.get(username="newcomer").pk]


# --- display names that pass for someone else (found by an outside probe) ------------------------

@pytest.mark.parametrize("name", ["Admin", "\u0430dmin", "Cocoa", "c\u043ec\u043ea", "Sam Okafor", "SAM 0KAFOR"])
def test_a_display_name_cannot_pass_for_a_username_a_reserved_name_or_a_cm(client, member, cocoa, name):
    UserFactory(username="sam", display_name="Sam Okafor", roles=["Community managers"])
    client.force_login(member)
    before = User.objects.get(pk=member.pk).display_name
    response = client.post(reverse("community:profile_edit"), {"display_name": name, "language": "", "bio": "",
                                                               "website": "", "location": ""})
    assert response.status_code == 400
    assert "choose another one" in errors(response, "display_name")
    assert User.objects.get(pk=member.pk).display_name == before


def test_a_display_name_may_repeat_a_members_display_name_or_spell_ones_own_username(client, member):
    UserFactory(username="ann", display_name="Ann Lee")
    client.force_login(member)
    for name in ("Ann Lee", member.username.upper()):
        response = client.post(reverse("community:profile_edit"), {"display_name": name, "language": "",
                                                                   "bio": "", "website": "", "location": ""})
        assert response.status_code == 302, name
