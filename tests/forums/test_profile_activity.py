"""A member's forum activity on their public profile (community.activity, forums/activity.py):
what each viewer may read, paginated, in a fixed number of queries."""

import pytest

from community.activity import PER_PAGE
from community.models import Visibility
from forums import services
from forums.models import Access, Post, Topic
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return UserFactory(username="writer", display_name="Writer")


@pytest.fixture
def places(cm):
    return {
        "public": ForumFactory(name="Open"),
        "members": ForumFactory(name="Members room", access=Access.MEMBERS),
        "cms": ForumFactory(name="Back office", access=Access.COMMUNITY_MANAGERS),
    }


def topics_tab(client, member, **params):
    query = "&".join(f"{key}={value}" for key, value in {"tab": "forums.topics", **params}.items())
    return client.get(f"{member.get_absolute_url()}?{query}")


def posts_tab(client, member, **params):
    query = "&".join(f"{key}={value}" for key, value in {"tab": "forums.posts", **params}.items())
    return client.get(f"{member.get_absolute_url()}?{query}")


def test_topics_show_only_in_forums_the_viewer_may_read(client, author, places, member, cm):
    TopicFactory(forum=places["public"], author=author, title="Topic in the open")
    TopicFactory(forum=places["members"], author=author, title="Topic for members")
    Topic.objects.create(forum=places["cms"], author=author, title="Topic for CMs", slug="t")

    as_visitor = topics_tab(client, author).content.decode()
    client.force_login(member)
    as_member = topics_tab(client, author).content.decode()
    client.force_login(cm)
    as_cm = topics_tab(client, author).content.decode()

    assert "Topic in the open" in as_visitor and "Topic for members" not in as_visitor
    assert "Topic for members" in as_member and "Topic for CMs" not in as_member
    assert "Topic for CMs" in as_cm


def test_the_profile_opens_on_the_topics_tab(client, author, places):
    TopicFactory(forum=places["public"], author=author, title="First words")

    page = client.get(author.get_absolute_url()).content.decode()

    assert "First words" in page
    assert 'aria-current="page" class="current">Topics<' in page


def test_hidden_removed_and_pending_posts_are_left_out_for_others(client, author, places, member, cm):
    topic = TopicFactory(forum=places["public"], author=UserFactory(), title="Somebody's topic")
    shown = ReplyFactory(topic=topic, author=author, body="A reply everyone reads")
    hidden = ReplyFactory(topic=topic, author=author, body="A reply a moderator hid")
    removed = ReplyFactory(topic=topic, author=author, body="A reply a moderator removed")
    pending = ReplyFactory(topic=topic, author=author, body="A reply awaiting review")
    deleted = ReplyFactory(topic=topic, author=author, body="A reply its author withdrew")
    services.hide_post(actor=cm, post=Post.objects.select_related("topic__forum").get(pk=hidden.pk))
    Post.objects.filter(pk=removed.pk).update(status=Visibility.REMOVED)
    Post.objects.filter(pk=pending.pk).update(status=Visibility.PENDING)
    services.delete_post(actor=author, post=Post.objects.select_related("topic").get(pk=deleted.pk))

    as_visitor = posts_tab(client, author).content.decode()
    client.force_login(member)
    as_member = posts_tab(client, author).content.decode()
    client.force_login(author)
    as_author = posts_tab(client, author).content.decode()
    client.force_login(cm)
    as_cm = posts_tab(client, author).content.decode()

    assert shown.body in as_visitor and shown.body in as_member
    for secret in (hidden.body, removed.body, pending.body, deleted.body):
        assert secret not in as_visitor and secret not in as_member
    # The author sees their own post awaiting review (the one rule), not what moderators took down.
    assert pending.body in as_author and hidden.body not in as_author and deleted.body not in as_author
    # Community managers moderate: they see everything, marked.
    for text in (hidden.body, removed.body, pending.body, deleted.body):
        assert text in as_cm
    assert "Awaiting review" in as_cm and "Deleted by its author" in as_cm


def test_a_post_in_a_hidden_topic_is_left_out(client, author, places, cm):
    opener = UserFactory()
    topic = TopicFactory(forum=places["public"], author=opener, title="A topic that was hidden")
    ReplyFactory(topic=topic, author=author, body="My reply in a hidden topic")
    services.hide_post(actor=cm, post=Post.objects.select_related("topic__forum").get(pk=topic.first_post_id))

    assert "My reply in a hidden topic" not in posts_tab(client, author).content.decode()


def test_replies_do_not_count_the_opening_post(client, author, places):
    TopicFactory(forum=places["public"], author=author, title="My topic", body="My opening words")

    page = posts_tab(client, author).content.decode()

    assert "My opening words" not in page
    assert "No forum posts yet." in page


def test_empty_states(client, author):
    assert "No topics yet." in topics_tab(client, author).content.decode()
    assert "No forum posts yet." in posts_tab(client, author).content.decode()


def test_topics_are_paginated_newest_first_and_a_bad_page_is_never_an_error(client, author, places):
    for n in range(PER_PAGE + 3):
        TopicFactory(forum=places["public"], author=author, title=f"Numbered topic {n:02d}")

    first = topics_tab(client, author).content.decode()
    second = topics_tab(client, author, page=2).content.decode()
    too_far = topics_tab(client, author, page=99)
    not_a_number = topics_tab(client, author, page="abc")
    huge = topics_tab(client, author, page=10**30)

    assert f"Numbered topic {PER_PAGE + 2:02d}" in first and "Numbered topic 00" not in first
    assert "Numbered topic 00" in second and f"Numbered topic {PER_PAGE + 2:02d}" not in second
    assert 'href="?tab=forums.topics&amp;page=2#activity"' in first
    assert too_far.status_code == 200 and "Numbered topic 00" in too_far.content.decode()  # the last page
    assert huge.status_code == 200 and "Numbered topic 00" in huge.content.decode()
    assert not_a_number.status_code == 200 and f"Numbered topic {PER_PAGE + 2:02d}" in not_a_number.content.decode()


def test_an_unknown_tab_is_a_404(client, author):
    assert topics_tab(client, author, tab="nothing.here").status_code == 404


# The member with profile, their skills, the tab's count and page (topics: with forums; posts: with
# topics and forums); a logged-in member adds the user and their roles (the read level).
QUERIES = {("forums.topics", "visitor"): 4, ("forums.topics", "member"): 6,
           ("forums.posts", "visitor"): 4, ("forums.posts", "member"): 6}


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize(("tab", "who"), list(QUERIES))
def test_the_profile_runs_a_fixed_number_of_queries_whatever_the_activity(client, author, places, member,
                                                                          django_assert_num_queries, size, tab,
                                                                          who):
    other = UserFactory()
    for n in range(size):
        forum = places["public"] if n % 2 else places["members"]
        topic = TopicFactory(forum=forum, author=author if n % 3 else other, title=f"Topic {n}")
        ReplyFactory(topic=topic, author=author)
    if who == "member":
        client.force_login(member)
    url = f"{author.get_absolute_url()}?tab={tab}"

    with django_assert_num_queries(QUERIES[(tab, who)]):
        response = client.get(url)

    assert response.status_code == 200
