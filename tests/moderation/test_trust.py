"""New members (trust level 0): limits on links and posting speed, first posts checked before they
show, and the limits lifting with age and good activity."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from community.models import User, Visibility
from forums.models import Post
from moderation import trust
from tests.factories import ReplyFactory, UserFactory

from .conftest import OBVIOUS_SPAM


@pytest.fixture
def rookie(db):
    """Signed up an hour ago: restricted."""
    user = UserFactory(username="rookie", trust_level=0)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(hours=1))
    user.refresh_from_db()
    return user


def reply_url(topic):
    return reverse("forums:reply", args=[topic.pk])


def test_a_new_members_post_waits_for_its_check_and_shows_once_clean(
        topic, rookie, member, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = ReplyFactory(topic=topic, author=rookie, body="Hello! Tubeless works well for me.")
    post.refresh_from_db()
    assert post.status == Visibility.PENDING  # not shown before the check
    client.force_login(member)
    assert "Tubeless works well for me" not in client.get(topic.get_absolute_url()).content.decode()
    topic.refresh_from_db()
    assert topic.post_count == 1
    client.force_login(rookie)
    own = client.get(topic.get_absolute_url()).content.decode()
    assert "Tubeless works well for me" in own and "awaiting review" in own.lower()
    for callback in callbacks:  # the outbox delivers the event: the spam check runs
        callback()
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.status == Visibility.PUBLISHED and post.spam_status == "ham"
    assert topic.post_count == 2
    client.force_login(member)
    assert "Tubeless works well for me" in client.get(topic.get_absolute_url()).content.decode()


def test_a_new_members_spam_stays_held(topic, rookie, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=rookie, body=OBVIOUS_SPAM)
    post.refresh_from_db()
    assert post.status == Visibility.PENDING and post.spam_status == "spam"


def test_too_many_links_get_a_429_with_the_message_and_the_text_kept(topic, rookie, client):
    client.force_login(rookie)
    body = "My three favourite shops: [a](https://a.example), <https://b.example> and [c](https://c.example)."
    response = client.post(reply_url(topic), {"body": body})
    assert response.status_code == 429
    page = response.content.decode()
    assert "at most 2 links" in page and "(this one has 3)" in page
    assert "My three favourite shops" in page  # what was typed is still in the form
    assert not Post.objects.filter(author=rookie).exists()
    assert client.post(reply_url(topic), {"body": "Only [a](https://a.example)"}).status_code == 302


def test_posting_too_fast_gets_a_429_and_the_text_is_kept(topic, rookie, client):
    client.force_login(rookie)
    for number in range(3):
        assert client.post(reply_url(topic), {"body": f"Reply number {number}"}).status_code == 302
    response = client.post(reply_url(topic), {"body": "A fourth one, typed with care"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "3 times a minute" in page and "A fourth one, typed with care" in page
    Post.objects.filter(author=rookie).update(created_at=timezone.now() - timedelta(minutes=2))
    from community.models import Event

    Event.objects.filter(actor=rookie).update(created_at=timezone.now() - timedelta(minutes=2))
    cache.clear()  # a minute later, as far as the attempts counter is concerned
    assert client.post(reply_url(topic), {"body": "A fourth one, typed with care"}).status_code == 302


@pytest.mark.parametrize("body", [
    "Write to us: [sales](mailto:sales@shop.example), [support](mailto:help@shop.example), "
    "[jobs](mailto:jobs@shop.example).",
    "Write to us: <sales@shop.example>, <help@shop.example>, <jobs@shop.example>.",
])
def test_three_email_links_are_over_the_limit_of_two(topic, rookie, client, body):
    client.force_login(rookie)
    response = client.post(reply_url(topic), {"body": body})
    assert response.status_code == 429
    page = response.content.decode()
    assert "at most 2 links" in page and "(this one has 3)" in page
    assert "Write to us:" in page and "jobs@shop.example" in page  # the text is kept
    assert not Post.objects.filter(author=rookie).exists()


def test_a_new_topic_over_the_link_limit_is_a_429_too(forum, rookie, client):
    client.force_login(rookie)
    response = client.post(reverse("forums:topic_create", args=[forum.pk, forum.slug]), {
        "title": "Links", "body": "[a](https://a.example) [b](https://b.example) [c](https://c.example)"})
    assert response.status_code == 429
    assert "https://c.example" in response.content.decode()


def test_an_edit_over_the_link_limit_is_refused(topic, rookie, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = ReplyFactory(topic=topic, author=rookie, body="First version")
    client.force_login(rookie)
    response = client.post(reverse("forums:post_edit", args=[post.pk]),
                           {"body": "[a](https://a.example) [b](https://b.example) [c](https://c.example)",
                            "reason": ""})
    assert response.status_code == 429
    post.refresh_from_db()
    assert post.body == "First version"


def test_the_limits_lift_after_a_day_and_three_clean_posts(topic, rookie, django_capture_on_commit_callbacks):
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            ReplyFactory(topic=topic, author=rookie, body=f"A helpful answer about tyres, part {number}.")
    rookie.refresh_from_db()
    assert rookie.trust_level == trust.NEW  # clean posts, but only an hour old
    User.objects.filter(pk=rookie.pk).update(date_joined=timezone.now() - timedelta(days=2))
    rookie.refresh_from_db()
    assert trust.is_restricted(rookie) is False
    assert User.objects.get(pk=rookie.pk).trust_level == trust.BASIC
    with django_capture_on_commit_callbacks(execute=False):
        post = ReplyFactory(topic=topic, author=rookie,
                            body="Now trusted: [a](https://a.example) [b](https://b.example) [c](https://c.e)")
    post.refresh_from_db()
    assert post.status == Visibility.PUBLISHED  # shown at once, links and all


def test_a_member_with_spam_on_record_stays_restricted(topic, rookie, django_capture_on_commit_callbacks):
    from community.models import Event

    for body in ("Good answer one about tyres.", "Good answer two about tyres.", "Good answer three.",
                 OBVIOUS_SPAM):
        Event.objects.filter(actor=rookie).update(created_at=timezone.now() - timedelta(minutes=5))
        cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            ReplyFactory(topic=topic, author=rookie, body=body)
    User.objects.filter(pk=rookie.pk).update(date_joined=timezone.now() - timedelta(days=30))
    rookie.refresh_from_db()
    assert trust.is_restricted(rookie) is True


@pytest.mark.parametrize("roles", [["Community managers"], ["Contributors"]])
def test_cms_and_contributors_are_never_restricted(topic, roles, django_capture_on_commit_callbacks):
    user = UserFactory(username="fresh", trust_level=0, roles=roles)
    assert trust.is_restricted(user) is False


@pytest.mark.parametrize(("text", "links"), [
    ("no links here", 0),
    ("see https://a.example and http://b.example/x", 0),  # shown as plain text, not links
    ("[a](https://x.example) [b](/relative)", 1),
    ("<https://x.example> and [y](http://y.example)", 2),
    ('<a href="https://x.example">x</a>', 0),  # raw HTML is shown as text
    ("[me](/members/maya/) and @maya", 0),
    ("[write](mailto:a@x.example) or <b@y.example> or <mailto:c@z.example>", 3),  # e-mail links are links
    ("or write to a@x.example", 0),  # a bare address is plain text
])
def test_links_are_counted_as_a_reader_sees_them(text, links):
    assert trust.count_links(text) == links


def test_established_members_cost_no_query_for_the_check(member, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # their roles (once per request, shared with every other rule)
        assert trust.publish_check("forums.post", author=member, parts=["[a](https://a) [b](https://b) [c](https://c)"]
                                   ) is None


@pytest.mark.parametrize("body", [
    "[a](h&#116;tps://a.example) [b](https:&#47;&#47;b.example) [c](HTTPS://C.example)",
    "[a][x] [b][y] [c][z]\n\n[x]: https://a.example\n[y]: https://b.example\n[z]: https://c.example",
])
def test_disguised_links_are_counted_as_rendered(topic, rookie, client, body):
    client.force_login(rookie)
    assert client.post(reply_url(topic), {"body": body}).status_code == 429


def test_images_from_other_sites_count_as_links(topic, rookie, client):
    client.force_login(rookie)
    body = "![a](https://img.example/a.png) ![b](https://img.example/b.png) ![c](https://img.example/c.png)"
    assert client.post(reply_url(topic), {"body": body}).status_code == 429
