"""Member profiles: the public page (community.views.profile_detail) and editing one's own
(community.views.profile_edit -> community.services.update_profile)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community import services
from community.events import CONTENT_CHANGED as CONTENT_CHANGED_EVENT
from community.models import Event, Profile, SpamStatus, Visibility
from tests.factories import UserFactory, png_upload

pytestmark = pytest.mark.django_db

EDIT = "/accounts/profile/"


def write_bio(user, bio, **fields):
    """Give `user` a profile text through the real service, as if they had typed it."""
    values = {"display_name": user.display_name, "language": "", "bio": bio, "website": "",
              "location": ""}
    values.update(fields)
    return services.update_profile(actor=user, member=user, **values)


def edit_form(**changes):
    form = {"display_name": "Maya L.", "language": "", "bio": "I ride bikes.",
            "website": "", "location": "Lyon"}
    form.update(changes)
    return form


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


# --- the public page ------------------------------------------------------------------------------

def test_a_members_profile_shows_their_name_rendered_bio_and_role(client, contributor):
    write_bio(contributor, "I write the *Saturday workshop* column.", location="Bordeaux",
              website="https://jules.example")

    response = client.get("/members/jules/")

    assert response.status_code == 200
    assert b"<h1 id=\"profile-name\">Jules</h1>" in response.content
    assert b"<em>Saturday workshop</em>" in response.content
    assert b'<span class="badge role role-contributor">Featured contributor</span>' in response.content
    assert b"Bordeaux" in response.content
    assert b'href="https://jules.example"' in response.content


@pytest.mark.parametrize(("role", "badge"), [
    ("member", '<span class="badge">Member</span>'),
    ("cm", '<span class="badge role role-community-manager">Community manager</span>'),
    ("staff", '<span class="badge role role-staff">Staff</span>')])
def test_the_role_badge_names_the_members_role(client, as_role, role, badge):
    user = as_role(role)

    response = client.get(user.get_absolute_url())

    assert badge.encode() in response.content


def test_an_unknown_member_is_a_404(client, db):
    assert client.get("/members/nobody/").status_code == 404


def test_a_username_typed_in_another_case_redirects_permanently_to_the_real_one(client, member):
    response = client.get("/members/MAYA/")

    assert response.status_code == 301
    assert response["Location"] == "/members/maya/"


def test_a_banned_members_profile_is_hidden_from_visitors_and_members(client, member, cm):
    cm.banned_at = timezone.now()
    cm.save()

    assert client.get("/members/sam/").status_code == 404
    client.force_login(member)
    assert client.get("/members/sam/").status_code == 404


def test_a_community_manager_still_sees_a_banned_members_profile(client, member, cm):
    member.banned_at = timezone.now()
    member.save()
    client.force_login(cm)

    response = client.get("/members/maya/")

    assert response.status_code == 200
    assert b"This member is banned." in response.content


def test_a_hidden_profile_text_is_not_shown_to_visitors(client, member):
    write_bio(member, "Secret plans for world domination.")
    Profile.objects.filter(user=member).update(status=Visibility.HIDDEN)

    response = client.get("/members/maya/")

    assert response.status_code == 200
    assert b"world domination" not in response.content
    assert b"profile text is not shown" in response.content


def test_a_hidden_profiles_website_and_location_are_not_shown_to_visitors_either(client, member):
    """They are the profile's text as much as the bio (a spam profile's payload is its link)."""
    write_bio(member, "Hello.", website="https://cheap-pills.example", location="Pill Town")
    Profile.objects.filter(user=member).update(status=Visibility.HIDDEN)

    response = client.get("/members/maya/")

    assert b"cheap-pills.example" not in response.content
    assert b"Pill Town" not in response.content


def test_a_hidden_profile_text_is_shown_to_community_managers(client_as, member, cm):
    write_bio(member, "Secret plans for world domination.")
    Profile.objects.filter(user=member).update(status=Visibility.HIDDEN)

    response = client_as("cm").get("/members/maya/")

    assert b"world domination" in response.content
    assert b"awaits a moderator" in response.content


def test_a_hidden_profile_text_is_not_shown_to_its_owner_who_is_told_why(client_as, member):
    """The one visibility rule: published, or mine and pending, or I moderate it — hidden is none."""
    write_bio(member, "Secret plans for world domination.")
    Profile.objects.filter(user=member).update(status=Visibility.HIDDEN)

    response = client_as("member").get("/members/maya/")

    assert b"world domination" not in response.content
    assert b"A moderator hid your profile text" in response.content


def test_a_pending_profile_text_is_shown_to_its_owner(client_as, member):
    write_bio(member, "Secret plans for world domination.")
    Profile.objects.filter(user=member).update(status=Visibility.PENDING)

    response = client_as("member").get("/members/maya/")

    assert b"world domination" in response.content
    assert b"awaits a moderator" in response.content


# --- editing ---------------------------------------------------------------------------------------

def test_editing_a_profile_requires_logging_in(client, db):
    response = client.get(EDIT)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_the_edit_form_is_filled_with_the_current_profile(member_client, member):
    write_bio(member, "Weekend cyclist.", website="https://maya.example", location="Lyon")

    response = member_client.get(EDIT)

    assert response.status_code == 200
    assert b"Weekend cyclist." in response.content
    assert b'value="https://maya.example"' in response.content
    assert b'value="Lyon"' in response.content


# Their profile, their skills; the session, the member's row and roles come from the cache
# (community.signed_in, community.permissions.grants, warmed by a first page).
PROFILE_FORM_QUERIES = 2


@pytest.mark.parametrize("filled", [False, True])
def test_the_edit_form_runs_a_fixed_number_of_queries(member_client, member, django_assert_num_queries, filled):
    if filled:  # a text mentioning several members, a website, a place and an avatar
        for n in range(5):
            UserFactory(username=f"friend{n}")
        write_bio(member, " ".join(f"@friend{n}" for n in range(5)), website="https://maya.example",
                  location="Lyon", avatar=png_upload())
    member_client.get("/")  # the member's grants are read once, then come from the cache

    with django_assert_num_queries(PROFILE_FORM_QUERIES):
        response = member_client.get(EDIT)

    assert response.status_code == 200
    assert ('<img class="avatar large"' in response.content.decode()) == filled


def test_a_member_saves_their_profile(member_client, member, cm):
    response = member_client.post(EDIT, edit_form(
        display_name="  Maya Lindqvist ", language="fr", bio="Say hi to **@sam**!",
        website="https://maya.example", location=" Lyon ",
    ))

    assert response.status_code == 302
    assert response["Location"] == EDIT
    member.refresh_from_db()
    profile = member.profile
    assert (member.display_name, member.language) == ("Maya Lindqvist", "fr")
    assert profile.bio == "Say hi to **@sam**!"
    assert '<a href="/members/sam/" class="mention"' in profile.bio_html
    assert "<strong>" in profile.bio_html
    assert (profile.website, profile.location) == ("https://maya.example", "Lyon")
    assert response.cookies["django_language"].value == "fr"


def test_a_display_name_and_location_are_stored_without_line_breaks_or_direction_controls(member_client, member):
    response = member_client.post(EDIT, edit_form(display_name="Maya\r\nLindqvist \u202enimda",
                                                  location="Ly\u200bon\r\n\u2066"))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Maya Lindqvist nimda"
    assert Profile.objects.get(user=member).location == "Lyon"


def test_a_display_name_of_invisible_characters_only_is_no_display_name(member_client, member):
    member_client.post(EDIT, edit_form(display_name="\u200b\u200d\ufeff\u3164"))

    member.refresh_from_db()
    assert member.display_name == ""
    assert member.name == "maya"  # the username shows instead


def test_a_bio_of_invisible_characters_only_is_no_bio(member_client, member):
    member_client.post(EDIT, edit_form(bio="\u200b\u200b\u2060\n\ufeff"))

    profile = Profile.objects.get(user=member)
    assert (profile.bio, profile.bio_html) == ("", "")


def test_the_profile_service_cleans_a_display_name_given_to_it_directly(member):
    write_bio(member, "", display_name="Maya\r\n\u202eL.")

    member.refresh_from_db()
    assert member.display_name == "Maya L."


def test_the_saved_profile_shows_on_the_public_page(member_client, member):
    member_client.post(EDIT, edit_form(display_name="Maya Lindqvist", bio="Say hi to @sam!"))

    response = member_client.get("/members/maya/")

    assert b"Maya Lindqvist" in response.content
    assert b'href="/members/sam/"' in response.content


def test_a_script_in_the_bio_is_stored_harmless(member_client, member):
    member_client.post(EDIT, edit_form(bio='<script>alert("pwned")</script> [x](javascript:alert(1))'))

    profile = Profile.objects.get(user=member)
    assert "<script" not in profile.bio_html
    assert 'href="javascript' not in profile.bio_html
    page = member_client.get("/members/maya/")
    assert b"<script>alert" not in page.content


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://x", "not a url"])
def test_a_bad_website_is_refused_with_a_message_and_the_typed_text_is_kept(
    member_client, member, website
):
    response = member_client.post(EDIT, edit_form(website=website, bio="Typed with care."))

    assert response.status_code == 400
    assert field_errors(response, "website")
    assert b'class="errors"' in response.content
    assert b"Typed with care." in response.content
    assert Profile.objects.get(user=member).bio == ""


def test_a_bio_over_4000_characters_is_refused_and_kept_in_the_form(member_client, member):
    bio = "word " * 800 + "x"  # 4001 characters

    response = member_client.post(EDIT, edit_form(bio=bio))

    assert response.status_code == 400
    assert field_errors(response, "bio") == [
        "Ensure this value has at most 4000 characters (it has 4001)."
    ]
    assert bio.encode() in response.content
    assert Profile.objects.get(user=member).bio == ""


def test_an_avatar_upload_is_saved_and_shown_on_the_profile(member_client, member):
    response = member_client.post(EDIT, edit_form(avatar=png_upload()))

    assert response.status_code == 302
    avatar = Profile.objects.get(user=member).avatar
    assert avatar.name.startswith(f"avatars/{member.pk}/")
    assert avatar.storage.exists(avatar.name)
    page = member_client.get("/members/maya/")
    assert f'src="{avatar.url}"'.encode() in page.content


def test_a_file_that_is_not_an_image_is_refused_even_when_named_png(member_client, member):
    fake = SimpleUploadedFile("avatar.png", b"#!/bin/sh\necho this is no picture\n", content_type="image/png")

    response = member_client.post(EDIT, edit_form(avatar=fake, bio="Kept."))

    assert response.status_code == 400
    assert field_errors(response, "avatar") == ["Upload a PNG, JPEG, GIF or WebP image."]
    assert b"Kept." in response.content
    assert not Profile.objects.get(user=member).avatar


def test_an_image_over_2_mb_is_refused(member_client, member):
    big = png_upload(size=(900, 900), noise=True)
    assert big.size > 2 * 1024 * 1024

    response = member_client.post(EDIT, edit_form(avatar=big))

    assert response.status_code == 400
    [error] = field_errors(response, "avatar")
    assert "the limit is 2.0\xa0MB" in error
    assert not Profile.objects.get(user=member).avatar


def test_removing_the_avatar_clears_it(member_client, member, django_capture_on_commit_callbacks):
    member_client.post(EDIT, edit_form(avatar=png_upload()))
    old = Profile.objects.get(user=member).avatar
    old_name, storage = old.name, old.storage

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the change is committed
        response = member_client.post(EDIT, edit_form(remove_avatar="on"))

    assert response.status_code == 302
    assert not Profile.objects.get(user=member).avatar
    assert not storage.exists(old_name)
    assert b'<img class="avatar' not in member_client.get("/members/maya/").content


def test_changing_the_bio_sends_the_profile_back_to_the_spam_check(
    member_client, member, django_capture_on_commit_callbacks
):
    Profile.objects.filter(user=member).update(spam_status=SpamStatus.HAM)

    # Not delivered here: the check itself (which then decides ham or spam) is tested in tests/moderation.
    with django_capture_on_commit_callbacks():
        member_client.post(EDIT, edit_form(bio="Buy cheap watches at https://spam.example"))

    profile = Profile.objects.get(user=member)
    assert profile.spam_status == SpamStatus.PENDING
    event = Event.objects.get(kind=CONTENT_CHANGED_EVENT)
    assert (event.target_id, event.actor_id) == (profile.pk, member.pk)
    assert event.payload == {"kind": "community.profile"}


def test_changing_only_the_display_name_keeps_the_spam_verdict(member_client, member):
    member_client.post(EDIT, edit_form(bio="Hello."))
    Profile.objects.filter(user=member).update(spam_status=SpamStatus.HAM)
    Event.objects.all().delete()

    member_client.post(EDIT, edit_form(bio="Hello.", display_name="Someone Else"))

    assert Profile.objects.get(user=member).spam_status == SpamStatus.HAM
    assert not Event.objects.filter(kind=CONTENT_CHANGED_EVENT).exists()


def test_the_bio_is_rendered_and_the_avatar_re_encoded_before_the_transaction_opens(member, staff, monkeypatch):
    """Slow work on hostile input holds no row lock: it runs before update_profile's and
    edit_profile_text's transactions (one level deeper than the test's own)."""
    from django.db import connection

    from community import avatars, markup

    depths = []

    def spy(real):
        return lambda *args, **kwargs: depths.append(len(connection.atomic_blocks)) or real(*args, **kwargs)

    monkeypatch.setattr(markup, "render", spy(markup.render))
    monkeypatch.setattr(avatars, "_encode", spy(avatars._encode))
    outside = len(connection.atomic_blocks)

    write_bio(member, "*Hello*", avatar=png_upload())
    services.edit_profile_text(actor=staff, profile=Profile.objects.get(user=member), bio="**Bye**",
                               website="", location="")

    assert depths == [outside, outside, outside]  # encode, render, render
