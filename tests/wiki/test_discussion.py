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
    composer = client.get(url).content.decode()
    assert "Start the discussion" in composer and "Wiki: Guide" in composer
    assert "I would like to talk about the wiki page “Guide”." in composer  # a suggestion, in the textarea
    response = client.post(url, {"body": "Is the second step still right?"})
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.forum.slug == "wiki-talk" and topic.title == "Wiki: Guide" and topic.author == member
    assert Page.objects.get(pk=guide.pk).discussion_topic_id == topic.pk
    # Afterwards a GET leads there, and a second POST makes no second topic.
    assert client.get(url)["Location"] == topic.get_absolute_url()
    client.force_login(UserFactory(username="second"))
    assert client.post(url, {"body": "Me too"})["Location"] == topic.get_absolute_url()
    assert Topic.objects.count() == 1 and Forum.objects.filter(slug="wiki-talk").count() == 1


def test_a_page_closed_to_the_forums_readers_is_discussed_in_a_forum_of_its_level(client, guide, wiki_cm):
    public = save_forum(forum=Forum(name="Wiki", slug="wiki"))
    protect(actor=wiki_cm, page=guide, read_level=3, edit_level=3, reason="")
    client.force_login(wiki_cm)
    url = reverse("wiki:discuss", args=[guide.path])
    assert "Start the discussion" in client.get(url).content.decode()
    response = client.post(url, {"body": "Between us."})
    topic = Topic.objects.get()
    assert response.status_code == 302 and topic.forum != public and topic.forum.read_level == 3


def test_a_cm_forum_may_discuss_cm_pages(guide, wiki_cm, settings):
    settings.WIKI_DISCUSSION_FORUM = "cm-wiki"
    save_forum(forum=Forum(name="CM wiki", slug="cm-wiki", access=3))
    protect(actor=wiki_cm, page=guide, read_level=3, edit_level=3, reason="")
    topic = start_discussion(actor=wiki_cm, page=Page.objects.get(pk=guide.pk))
    assert topic.forum.slug == "cm-wiki"


def test_visitors_are_asked_to_log_in_on_post(client, guide):
    response = client.post(reverse("wiki:discuss", args=[guide.path]))
    assert response.status_code == 302 and "/login/" in response["Location"] and not Topic.objects.exists()


def test_the_first_post_is_the_members_own_text_with_a_relative_link(client, guide):
    member = UserFactory(username="writer")
    client.force_login(member)
    url = reverse("wiki:discuss", args=[guide.path])
    client.post(url, {"body": "My *own* question."})
    post = Topic.objects.get().first_post
    assert post.body.startswith("My *own* question.") and post.author == member
    assert '<a href="/wiki/guide/"' in post.body_html and "http" not in post.body.split("](")[1]
    page = client.get(Topic.objects.get().get_absolute_url()).content.decode()
    assert "My <em>own</em> question." in page and 'href="/wiki/guide/"' in page


def test_an_empty_message_is_refused_with_the_form_again(client, guide):
    client.force_login(UserFactory(username="blank"))
    response = client.post(reverse("wiki:discuss", args=[guide.path]), {"body": "   "})
    assert response.status_code == 400 and not Topic.objects.exists()
    assert "Start the discussion" in response.content.decode()


def _topic_for(guide, client):
    client.force_login(UserFactory(username="opener"))
    client.post(reverse("wiki:discuss", args=[guide.path]), {"body": "Talk."})
    client.logout()
    return Topic.objects.get()


@pytest.mark.parametrize("level", [1, 3])
def test_the_topic_follows_the_pages_protection_up_and_back(client, guide, wiki_cm, level,
                                                             django_capture_on_commit_callbacks):
    topic = _topic_for(guide, client)
    public_forum = topic.forum
    assert client.get(topic.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the forums' caches move on commit
        protect(actor=wiki_cm, page=Page.objects.get(pk=guide.pk), read_level=level, edit_level=max(level, 1),
                reason="")
    topic.refresh_from_db()
    assert topic.forum.read_level == level and topic.forum.name.startswith("Wiki discussions")
    # A visitor cannot read it, nor see it listed.
    assert client.get(topic.get_absolute_url()).status_code in (403, 404)
    assert "Wiki: Guide" not in client.get(reverse("forums:index")).content.decode()
    assert "Wiki: Guide" not in client.get(public_forum.get_absolute_url()).content.decode()
    client.force_login(wiki_cm)
    assert client.get(topic.get_absolute_url()).status_code == 200
    client.logout()
    # Opened again: back to the public forum.
    with django_capture_on_commit_callbacks(execute=True):
        protect(actor=wiki_cm, page=Page.objects.get(pk=guide.pk), read_level=0, edit_level=1, reason="")
    topic.refresh_from_db()
    assert topic.forum == public_forum and client.get(topic.get_absolute_url()).status_code == 200


def test_a_deleted_pages_topic_is_for_cms_and_comes_back_on_restore(client, guide, wiki_cm,
                                                                    django_capture_on_commit_callbacks):
    from wiki.services.deleting import delete, undelete

    topic = _topic_for(guide, client)
    public_forum = topic.forum
    with django_capture_on_commit_callbacks(execute=True):
        delete(actor=wiki_cm, page=Page.objects.get(pk=guide.pk), reason="spam")
    topic.refresh_from_db()
    assert topic.forum.read_level == 3
    assert client.get(topic.get_absolute_url()).status_code in (403, 404)
    with django_capture_on_commit_callbacks(execute=True):
        undelete(actor=wiki_cm, page=Page.objects.get(pk=guide.pk))
    topic.refresh_from_db()
    assert topic.forum == public_forum and client.get(topic.get_absolute_url()).status_code == 200


def test_a_members_page_is_discussed_in_a_members_forum(client, guide, wiki_cm):
    protect(actor=wiki_cm, page=guide, read_level=1, edit_level=1, reason="")
    client.force_login(UserFactory(username="member"))
    response = client.post(reverse("wiki:discuss", args=[guide.path]), {"body": "Members only."})
    topic = Topic.objects.get()
    assert response.status_code == 302 and topic.forum.read_level == 1
    client.logout()
    assert client.get(topic.get_absolute_url()).status_code in (403, 404)
