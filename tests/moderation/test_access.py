"""Every /moderation/ URL, found from the URLconf (a new one is covered without editing this file),
and the CM workspace: a visitor is sent to the login page (?next= the page), members and contributors
get 403, by every method the URL serves, and nothing changes; the member-facing pages send visitors
to the login page; actions answer 405 to a GET."""

import pytest
from django.urls import URLPattern, reverse

from community.models import Visibility
from moderation import sanctions, watched
from moderation.models import AuditLogEntry, Sanction, WatchedWord
from moderation.urls import urlpatterns
from tests.factories import ReplyFactory, UserFactory

MEMBER_FACING = {"my_sanctions", "acknowledge_warning", "report"}
CM_ONLY = sorted(p.name for p in urlpatterns if isinstance(p, URLPattern) and p.name not in MEMBER_FACING)


@pytest.fixture
def world(topic, cm, db):
    target = UserFactory(username="target")
    post = ReplyFactory(topic=topic, author=target, body="A reply to moderate")
    sanction = sanctions.sanction_member(actor=cm, member=target, kind="warn", reason="Be kind")
    word = watched.create_word(phrase="casino", action="approve")
    return {"post": post, "target": target, "sanction": sanction, "word": word}


def url_for(name, world):
    kwargs = {}
    pattern = next(p for p in urlpatterns if p.name == name).pattern
    converters = pattern.converters
    for key in converters:
        kwargs[key] = {"username": world["target"].username, "sanction_id": world["sanction"].pk,
                       "word_id": world["word"].pk, "kind": "forums.post", "object_id": world["post"].pk}[key]
    return reverse(f"moderation:{name}", kwargs=kwargs)


def test_the_list_of_cm_urls_is_complete():
    assert {"queue", "decide", "log", "member", "remove_content", "lift_sanction", "watched_words",
            "watched_word_new", "watched_word_edit", "watched_word_delete"} <= set(CM_ONLY)


POST_ONLY = {"decide", "remove_content", "lift_sanction", "watched_word_delete", "acknowledge_warning"}
FORM_PAGES = {"member", "watched_word_new", "watched_word_edit", "report"}  # GET shows, POST sends
# Every CM URL: the moderation ones and the CM workspace (cm:dashboard).
CM_URLS = [f"moderation:{name}" for name in CM_ONLY] + ["cm:dashboard"]


def served_methods(name):
    short = name.split(":")[1]
    return ["post"] if short in POST_ONLY else ["get", "post"] if short in FORM_PAGES else ["get"]


def cm_url(name, world):
    return url_for(name.split(":")[1], world) if name.startswith("moderation:") else reverse(name)


CM_REQUESTS = [(name, method) for name in CM_URLS for method in served_methods(name)]
DATA = {"kind": "forums.post", "decision": "remove", "phrase": "x" * 5, "action": "block", "confirm": "on",
        "reason": "r"}


def assert_nothing_changed(world, audit_before):
    world["post"].refresh_from_db()
    assert world["post"].status == Visibility.PUBLISHED
    assert Sanction.objects.get(pk=world["sanction"].pk).lifted_at is None
    assert WatchedWord.objects.filter(pk=world["word"].pk, phrase="casino").exists()
    assert AuditLogEntry.objects.count() == audit_before


@pytest.mark.parametrize(("name", "method"), CM_REQUESTS)
def test_a_visitor_on_a_cm_page_or_action_is_sent_to_the_login_page(name, method, world, client):
    url = cm_url(name, world)
    audit_before = AuditLogEntry.objects.count()

    response = client.get(url) if method == "get" else client.post(url, {**DATA, "id": world["post"].pk})

    assert response.status_code == 302, (name, method, response.status_code)
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert_nothing_changed(world, audit_before)


@pytest.mark.parametrize("role", ["member", "contributor"])
@pytest.mark.parametrize(("name", "method"), CM_REQUESTS)
def test_a_member_without_the_role_gets_403_on_every_cm_page_and_action(name, method, role, world, client_as):
    client = client_as(role)
    audit_before = AuditLogEntry.objects.count()

    response = getattr(client, method)(cm_url(name, world), {**DATA, "id": world["post"].pk})

    assert response.status_code == 403, (name, method, role, response.status_code)
    assert b"You can't do that here" in response.content
    assert_nothing_changed(world, audit_before)


@pytest.mark.parametrize("role", ["visitor", "member", "cm"])
@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_actions_answer_405_to_a_get_whoever_asks(name, role, world, client_as):
    response = client_as(role).get(url_for(name, world))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("name", sorted(MEMBER_FACING - POST_ONLY))
def test_member_facing_pages_send_visitors_to_log_in(name, world, client):
    response = client.get(url_for(name, world))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", CM_ONLY)
def test_cms_reach_every_page_and_post_only_actions_refuse_a_get(name, world, client_as):
    expected = 405 if name in POST_ONLY else 200
    assert client_as("cm").get(url_for(name, world)).status_code == expected


def test_ids_past_what_a_database_can_hold_are_404_not_500(world, client_as):
    huge = 10**23
    cm = client_as("cm")
    assert cm.post(reverse("moderation:decide"), {"kind": "forums.post", "id": huge, "decision": "approve"}
                   ).status_code == 404
    assert cm.get(reverse("moderation:report", args=["forums.post", huge])).status_code == 404
    assert cm.get(reverse("moderation:report", args=["community.profile", huge])).status_code == 404


def test_an_htmx_decision_on_an_item_gone_meanwhile_replaces_the_row(world, client_as):
    cm = client_as("cm")
    response = cm.post(reverse("moderation:decide"), {"kind": "forums.post", "id": 10**6, "decision": "hide"},
                       HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "no longer exists" in response.content.decode()
