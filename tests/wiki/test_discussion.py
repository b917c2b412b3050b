"""A page's discussion: a forum topic created on first use, once, never leaking a closed page."""

import pytest
from django.urls import reverse

from forums.models import Forum, Topic
from forums.services.tree import save_forum
from tests.factories import UserFactory
from wiki.models import Page
from wiki.services.discussion import start_discussion
from wiki.services.editing import create_page
from wiki.services.protection import protect

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(wiki_root, wiki_cm):
    return create_page(actor=wiki_cm, parent=wiki_root, title="Guide", body="Read me.").page


def test_get_offers_the_button_and_post_starts_the_topic_once(client, guide, settings):
    settings.WIKI_DISCUSSION_FORUM = "wiki-talk"
    url = reverse("wiki:discuss", args=[guide.path])
    body = client.get(url).content.decode()
    assert "Discuss this page in the forums" in body and "Log in to start the discussion" in body
    member = UserFactory(username="talker")
    client.force_login(member)
    assert "Start the discussion" in client.get(url).content.decode()
    response = client.post(url)
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.forum.slug == "wiki-talk" and topic.title == "Wiki: Guide" and topic.author == member
    assert Page.objects.get(pk=guide.pk).discussion_topic_id == topic.pk
    # Afterwards a GET leads there, and a second POST makes no second topic.
    assert client.get(url)["Location"] == topic.get_absolute_url()
    client.force_login(UserFactory(username="second"))
    assert client.post(url)["Location"] == topic.get_absolute_url()
    assert Topic.objects.count() == 1 and Forum.objects.filter(slug="wiki-talk").count() == 1


def test_a_page_closed_to_the_forums_readers_is_not_discussed_there(client, guide, wiki_cm):
    save_forum(forum=Forum(name="Wiki", slug="wiki"))
    protect(actor=wiki_cm, page=guide, read_level=3, edit_level=3, reason="")
    client.force_login(wiki_cm)
    url = reverse("wiki:discuss", args=[guide.path])
    assert "cannot be discussed there" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 403 and not Topic.objects.exists()


def test_a_cm_forum_may_discuss_cm_pages(guide, wiki_cm, settings):
    settings.WIKI_DISCUSSION_FORUM = "cm-wiki"
    save_forum(forum=Forum(name="CM wiki", slug="cm-wiki", access=3))
    protect(actor=wiki_cm, page=guide, read_level=3, edit_level=3, reason="")
    topic = start_discussion(actor=wiki_cm, page=Page.objects.get(pk=guide.pk))
    assert topic.forum.slug == "cm-wiki"


def test_visitors_are_asked_to_log_in_on_post(client, guide):
    response = client.post(reverse("wiki:discuss", args=[guide.path]))
    assert response.status_code == 302 and "/login/" in response["Location"] and not Topic.objects.exists()
