"""Languages: the browser's choice, the header switch (community.views.set_language) and a
member's stored preference (community.middleware.MemberStateMiddleware)."""

import pytest

from community.models import User

pytestmark = pytest.mark.django_db

SETLANG = "/i18n/setlang/"


def page_language(response):
    return response.wsgi_request.LANGUAGE_CODE, response["Content-Language"]


def test_a_visitor_whose_browser_prefers_french_gets_the_french_layout(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")

    assert b'<html lang="fr">' in response.content
    assert page_language(response) == ("fr", "fr")
    assert b'<option value="fr" lang="fr" selected>' in response.content


def test_a_visitor_without_a_preference_gets_english(client):
    response = client.get("/")

    assert b'<html lang="en">' in response.content
    assert page_language(response) == ("en", "en")


def test_a_browser_language_tribune_does_not_speak_falls_back_to_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    assert page_language(response) == ("en", "en")


def test_the_language_switch_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post(SETLANG, {"language": "fr", "next": "/members/?page=1"})

    assert response.status_code == 302
    assert response["Location"] == "/members/?page=1"
    assert response.cookies["django_language"].value == "fr"
    assert b'<html lang="fr">' in client.get("/members/").content


@pytest.mark.parametrize("next_url", ["https://evil.example/phish", "//evil.example/", ""])
def test_the_language_switch_never_sends_anyone_to_another_site(client, next_url):
    response = client.post(SETLANG, {"language": "fr", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("language", ["xx", "", "de"])
def test_an_unknown_language_is_refused(client, language):
    response = client.post(SETLANG, {"language": language, "next": "/"})

    assert response.status_code == 400
    assert "django_language" not in response.cookies


def test_the_language_switch_only_accepts_post(client):
    assert client.get(SETLANG, {"language": "fr"}).status_code == 405


def test_a_member_switching_language_has_it_stored_on_their_account(member_client, member):
    member_client.post(SETLANG, {"language": "fr", "next": "/"})

    assert User.objects.get(pk=member.pk).language == "fr"


def test_a_members_stored_language_wins_over_the_browser(client, member):
    member.language = "fr"
    member.save()
    client.force_login(member)

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert b'<html lang="fr">' in response.content
    assert page_language(response) == ("fr", "fr")


def test_a_member_who_picked_english_keeps_it_on_a_french_browser(client, member):
    member.language = "en"
    member.save()
    client.force_login(member)

    response = client.get("/members/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert b'<html lang="en">' in response.content
    assert page_language(response) == ("en", "en")


def test_a_member_without_a_preference_follows_the_browser(member_client):
    response = member_client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert page_language(response) == ("fr", "fr")


def test_a_member_going_back_to_follow_my_browser_gets_the_browsers_language_again(member_client, member):
    member_client.post("/accounts/profile/", {"display_name": "Maya", "language": "fr"})
    assert page_language(member_client.get("/", HTTP_ACCEPT_LANGUAGE="en"))[0] == "fr"

    member_client.post("/accounts/profile/", {"display_name": "Maya", "language": ""})

    assert User.objects.get(pk=member.pk).language == ""
    assert page_language(member_client.get("/", HTTP_ACCEPT_LANGUAGE="en"))[0] == "en"
    assert page_language(member_client.get("/", HTTP_ACCEPT_LANGUAGE="fr"))[0] == "fr"
