"""The anonymous page cache: served from the cache until a write, then fresh at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return TopicFactory(title="Cached topic", body="Opening words.")


def anonymous_get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(client, topic):
    first, _ = anonymous_get(client, topic.get_absolute_url())
    second, queries = anonymous_get(client, topic.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert queries == 0
    assert second.content == first.content


def test_a_new_reply_is_visible_to_visitors_at_once(client, topic, django_capture_on_commit_callbacks):
    anonymous_get(client, topic.get_absolute_url())
    anonymous_get(client, "/forums/")
    anonymous_get(client, topic.forum.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        ReplyFactory(topic=topic, body="A brand new reply nobody has seen.")
    page, _ = anonymous_get(client, topic.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert b"A brand new reply nobody has seen." in page.content
    index, _ = anonymous_get(client, "/forums/")
    assert index["X-Page-Cache"] == "miss"
    listing, _ = anonymous_get(client, topic.forum.get_absolute_url())
    assert listing["X-Page-Cache"] == "miss"


def test_a_reply_posted_through_the_site_is_visible_to_visitors_at_once(
    client, topic, django_capture_on_commit_callbacks
):
    anonymous_get(client, topic.get_absolute_url())
    writer = UserFactory()
    from django.test import Client

    member = Client()
    member.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(f"/forums/t/{topic.pk}/reply/", {"body": "Posted through the real view."})
    assert response.status_code == 302
    page, _ = anonymous_get(client, topic.get_absolute_url())
    assert b"Posted through the real view." in page.content


def test_members_are_never_served_a_cached_page(client, topic):
    anonymous_get(client, topic.get_absolute_url())
    client.force_login(UserFactory(username="reader"))
    response = client.get(topic.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert b"Log out" in response.content


def test_the_page_number_is_part_of_the_key_and_other_parameters_are_not(client, topic):
    for _ in range(21):
        ReplyFactory(topic=topic)
    page_one, _ = anonymous_get(client, topic.get_absolute_url())
    page_two, _ = anonymous_get(client, topic.get_absolute_url() + "?page=2")
    assert page_two["X-Page-Cache"] == "miss"
    assert page_one.content != page_two.content
    noise, _ = anonymous_get(client, topic.get_absolute_url() + "?page=2&utm_source=x")
    assert noise["X-Page-Cache"] == "hit"


def test_french_visitors_get_their_own_cached_page(client, topic):
    english, _ = anonymous_get(client, topic.get_absolute_url())
    french = client.get(topic.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert french["X-Page-Cache"] == "miss"
    assert b'lang="fr"' in french.content
    assert b'lang="en"' in english.content


def test_an_unknown_page_is_not_cached(client, topic):
    first = client.get(topic.get_absolute_url() + "?page=9")
    assert first.status_code == 404
    assert "X-Page-Cache" not in first
