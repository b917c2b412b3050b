"""Watched words on every field of a profile (community.services.update_profile): a "block" word is
refused in any field; a "require approval" word holds the profile's text (bio, website, location)
until a CM approves it, and is refused in the display name, which has no pending copy to show."""

import pytest
from django.urls import reverse

from community.models import Profile, User, Visibility
from moderation import reports, watched

EDIT = reverse("community:profile_edit")
QUEUE = reverse("moderation:queue")
FIELDS = {"display_name": "Maya L.", "bio": "I ride bikes.", "website": "https://maya.example",
          "location": "Lyon"}
# Each field, written with the watched word "casino" (the website in its address).
WITH_WORD = {"display_name": "Casino Maya", "bio": "I run a casino.", "website": "https://casino.example",
             "location": "Casino Street"}


def word(phrase, action):
    return watched.create_word(phrase=phrase, action=action, enabled=True, watchers=())


def form(**changes):
    return {"language": "", **FIELDS, **changes}


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


@pytest.fixture
def saved(member, client):
    """Maya's profile as she first saved it, published."""
    client.force_login(member)
    assert client.post(EDIT, form()).status_code == 302
    Profile.objects.filter(user=member).update(status=Visibility.PUBLISHED)
    return member


@pytest.mark.parametrize("field", list(WITH_WORD))
def test_a_blocked_word_is_refused_in_every_field_on_that_field_and_the_text_is_kept(saved, client, field):
    word("casino", "block")

    response = client.post(EDIT, form(**{field: WITH_WORD[field]}))

    assert response.status_code == 400
    [error] = field_errors(response, field)
    assert "“casino”, which is not allowed here" in error
    assert WITH_WORD[field] in response.content.decode()
    profile = Profile.objects.select_related("user").get(user=saved)
    assert (profile.user.display_name, profile.bio, profile.website, profile.location) == tuple(FIELDS.values())


@pytest.mark.parametrize("field", list(WITH_WORD))
def test_a_look_alike_spelling_is_blocked_in_every_field(saved, client, field):
    word("casino", "block")
    disguised = WITH_WORD[field].replace("asino", "\u0430sin\u043e")  # Cyrillic а and о

    response = client.post(EDIT, form(**{field: disguised}))

    assert response.status_code == 400
    assert field_errors(response, field)


def test_blocked_words_in_several_fields_are_all_pointed_out(saved, client):
    word("casino", "block")

    response = client.post(EDIT, form(bio=WITH_WORD["bio"], location=WITH_WORD["location"]))

    assert response.status_code == 400
    assert field_errors(response, "bio") and field_errors(response, "location")


def test_an_approval_word_in_the_display_name_is_refused_with_a_clear_message(saved, client):
    word("casino", "approve")

    response = client.post(EDIT, form(display_name="Casino Maya"))

    assert response.status_code == 400
    assert field_errors(response, "display_name") == [
        "This name needs a moderator's approval: choose another one."]
    assert "Casino Maya" in response.content.decode()
    assert User.objects.get(pk=saved.pk).display_name == "Maya L."
    assert Profile.objects.get(user=saved).status == Visibility.PUBLISHED


@pytest.mark.parametrize("field", ["bio", "website", "location"])
def test_an_approval_word_in_the_profile_text_holds_it_until_a_cm_approves(
        saved, cm, client, field, django_capture_on_commit_callbacks):
    word("casino", "approve")
    new = WITH_WORD[field]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EDIT, form(**{field: new}))

    assert response.status_code == 302
    profile = Profile.objects.get(user=saved)
    assert profile.status == Visibility.PENDING
    # Its author sees it, told it waits; visitors see none of the profile's text meanwhile.
    own = client.get(saved.get_absolute_url()).content.decode()
    assert new in own and "awaits a moderator" in own
    client.logout()
    public = client.get(saved.get_absolute_url()).content.decode()
    assert "Maya L." in public  # the name, checked on its own, is not held
    for value in (new, "I ride bikes.", "maya.example", "Lyon"):
        assert value not in public
    # The CM sees what waits in the queue, and approves it.
    client.force_login(cm)
    assert new in client.get(QUEUE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="community.profile", object_id=profile.pk, decision="approve")
    client.logout()
    assert new in client.get(saved.get_absolute_url()).content.decode()


def test_an_approved_text_is_not_held_again_when_another_field_changes(
        saved, cm, client, django_capture_on_commit_callbacks):
    word("casino", "approve")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EDIT, form(website=WITH_WORD["website"]))
    profile = Profile.objects.get(user=saved)
    with django_capture_on_commit_callbacks(execute=True):
        reports.decide(actor=cm, kind_name="community.profile", object_id=profile.pk, decision="approve")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EDIT, form(website=WITH_WORD["website"], location="Paris"))

    assert response.status_code == 302
    assert Profile.objects.get(user=saved).status == Visibility.PUBLISHED


def test_a_russian_display_name_and_location_are_not_mistaken_for_a_latin_word(saved, client):
    word("pot", "block")
    word("mama", "block")

    response = client.post(EDIT, form(display_name="Мама Рот", location="Рот, Москва"))

    assert response.status_code == 302
    assert User.objects.get(pk=saved.pk).display_name == "Мама Рот"
