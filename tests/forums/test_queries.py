"""The index, a topic list and a topic page each run a fixed number of SQL queries, whatever the
number of forums, topics, posts, reactions and readers: the same pinned number at two sizes, for a
visitor and for a member (DESIGN.md, "every page renders in a fixed number of SQL queries")."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Profile
from forums import services
from forums.models import Access, Forum, Topic
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

SIZES = {
    # forums (incl. 2 sub-forums and a private one), topics, replies, likers, readers
    "small": dict(forums=3, topics=3, replies=2, likers=1, readers=1),
    "large": dict(forums=12, topics=45, replies=40, likers=6, readers=8),
}

# Pinned once, measured on the small community; the large one must give the same numbers.
QUERIES = {
    # One query for the whole tree with each forum's last post. A member adds the user (the session
    # itself is read through the cache; their grants — roles, moderated forums — too:
    # community.permissions.grants, warm here since the member acted while the community was built).
    ("index", "visitor"): 1,
    ("index", "member"): 2,
    # The forum with its parents; its readable sub-forums (the measured forum has one); the page of
    # topics with authors and last posters. A member adds the user; whether they watch the forum and
    # when they marked it read come with the forum, how far they read each topic with the page.
    ("forum", "visitor"): 3,
    ("forum", "member"): 4,
    # The topic with its forum, parents, author and accepted answer; the page of posts with authors
    # and avatars. A member adds the user and moving their read mark forward; whether they watch the
    # topic and how far they had read come with the topic, their likes with the posts.
    ("topic", "visitor"): 2,
    ("topic", "member"): 4,
}


@dataclass
class Community:
    busy_forum: Forum
    busy_topic: Topic


def build(size, member, cm) -> Community:
    """A community of `size`: a category holding forums and sub-forums (one for members only),
    topics spread over them with the busiest forum first, replies by authors with and without
    avatars (one edited, one deleted), likes by several members, other readers' read states and
    subscriptions, and a topic the member has read up to its first post."""
    spec = SIZES[size]
    authors = UserFactory.create_batch(4)
    Profile.objects.filter(user__in=authors[::2]).update(avatar="avatars/face.png")
    category = ForumFactory(is_category=True, name="Everything")
    forums = [ForumFactory(parent=category, name=f"Forum {n}") for n in range(spec["forums"] - 2)]
    ForumFactory(parent=forums[0], name="Sub-forum")
    ForumFactory(parent=category, name="Members only", access=Access.MEMBERS)
    ForumFactory(parent=forums[-1], name="Sub-sub", moderators=[cm])

    busy = forums[0]
    topics = [TopicFactory(forum=busy if n % 2 == 0 else forums[n % len(forums)], author=authors[n % 4])
              for n in range(spec["topics"])]
    busy_topic = topics[0]
    for n in range(spec["replies"]):
        ReplyFactory(topic=busy_topic if n < 25 else topics[n % len(topics)], author=authors[n % 4])
    services.set_pinned(actor=cm, topic=topics[-1], pinned=True)
    services.set_locked(actor=cm, topic=topics[1], locked=True)

    likers = UserFactory.create_batch(spec["likers"])
    for post in busy_topic.posts.order_by("position")[:20]:
        for liker in likers:
            services.toggle_reaction(actor=liker, post=post)
    edited, deleted = busy_topic.posts.filter(position__in=[2, 3]).select_related("topic").order_by("position")
    services.edit_post(actor=edited.author, post=edited, body="Edited: better words.")
    services.delete_post(actor=deleted.author, post=deleted)
    for reader in UserFactory.create_batch(spec["readers"]):
        for topic in topics[:10]:
            services.mark_topic_read(actor=reader, topic=topic, position=2)
        services.set_topic_watch(actor=reader, topic=busy_topic, watching=True)
        services.mark_forum_read(actor=reader, forum=busy)

    services.mark_topic_read(actor=member, topic=busy_topic, position=1)
    services.toggle_reaction(actor=member, post=busy_topic.first_post)
    services.set_forum_watch(actor=member, forum=busy, watching=True)
    busy_topic.refresh_from_db()
    busy.refresh_from_db()
    return Community(busy_forum=busy, busy_topic=busy_topic)


def url_of(page, community):
    return {
        "index": "/forums/",
        "forum": community.busy_forum.get_absolute_url(),
        "topic": community.busy_topic.get_absolute_url(),
    }[page]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("who", ["visitor", "member"])
@pytest.mark.parametrize("page", ["index", "forum", "topic"])
def test_forum_pages_run_a_fixed_number_of_queries_whatever_the_size(client, member, cm,
                                                                     django_assert_num_queries, size, who,
                                                                     page):
    community = build(size, member, cm)
    if who == "member":
        client.force_login(member)
    url = url_of(page, community)

    with django_assert_num_queries(QUERIES[(page, who)]):
        response = client.get(url)

    assert response.status_code == 200
    if page == "topic":
        assert f'id="post-{min(community.busy_topic.last_position, 20)}"' in response.content.decode()
    if page == "forum":
        assert response.content.decode().count('class="topic-title"') == min(community.busy_forum.topic_count, 20)


def test_a_visitor_served_from_the_page_cache_runs_no_query(client, member, cm, django_assert_num_queries):
    community = build("small", member, cm)
    for page in ("index", "forum", "topic"):
        client.get(url_of(page, community))

    for page in ("index", "forum", "topic"):
        with django_assert_num_queries(0):
            response = client.get(url_of(page, community))
        assert response.status_code == 200


def test_reading_a_topic_page_again_writes_nothing(client, member, cm):
    community = build("small", member, cm)
    client.force_login(member)
    url = url_of("topic", community)
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    # no read mark to move, and the member's row from the cache (community.signed_in)
    assert len(queries) == QUERIES[("topic", "member")] - 2
    assert [q["sql"] for q in queries if not q["sql"].startswith("SELECT")] == []


# A post's edit history: the post with its topic, forum and author; the revisions with their editors. A
# member adds the user (their roles and moderated forums — may they see redacted versions? — come
# from the cache: community.permissions.grants).
HISTORY_QUERIES = {"visitor": 2, "member": 3}


@pytest.mark.parametrize("edits", [1, 12])
@pytest.mark.parametrize("who", ["visitor", "member"])
def test_a_posts_edit_history_runs_a_fixed_number_of_queries_whatever_the_number_of_edits(
        client, member, cm, topic, django_assert_num_queries, edits, who):
    post = ReplyFactory(topic=topic, author=member, body="First words.")
    for n in range(edits):  # by the author and by a moderator, in turns
        post = topic.posts.select_related("topic__forum").get(pk=post.pk)
        services.edit_post(actor=member if n % 2 == 0 else cm, post=post, body=f"Words, version {n + 2}.")
    if who == "member":
        client.force_login(member)

    with django_assert_num_queries(HISTORY_QUERIES[who]):
        response = client.get(f"/forums/p/{post.pk}/history/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<article class="card">') == edits + 1  # the current version and each earlier one
    assert "Edited by Maya" in page and ("Edited by Sam" in page) == (edits > 1)
