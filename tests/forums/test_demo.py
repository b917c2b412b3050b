"""`manage.py seed_demo` gives the forums a living demo (a Q&A forum with an accepted answer, a
private CM forum, likes), can run twice, and every forum page it creates opens for every demo login
(or is not found for those who may not read it): never a 500."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Q

from community.demo import DEMO_PASSWORD
from community.models import User
from forums.models import Access, Forum, Post, Reaction, Topic

pytestmark = pytest.mark.django_db

LOGINS = ["visitor", "member", "contributor", "cm", "admin"]
NOBODY = 99  # a read level no login has
READS_UP_TO = {"visitor": Access.PUBLIC, "member": Access.MEMBERS, "contributor": Access.CONTRIBUTORS,
               "cm": Access.COMMUNITY_MANAGERS, "admin": Access.COMMUNITY_MANAGERS}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_categories_a_questions_forum_with_an_accepted_answer_and_a_cm_forum(demo):
    assert Forum.objects.filter(is_category=True).count() >= 2
    question = Topic.objects.get(forum__is_questions=True)
    assert question.is_solved and question.accepted_answer.topic == question
    assert question.accepted_answer.position > 1
    cm_forum = Forum.objects.get(access=Access.COMMUNITY_MANAGERS)
    assert cm_forum.read_level == Access.COMMUNITY_MANAGERS
    assert Topic.objects.filter(forum=cm_forum).exists()
    assert Topic.objects.filter(is_pinned=True).exists()


def test_the_demo_likes_are_counted_exactly_and_nobody_likes_their_own_post(demo):
    assert Reaction.objects.count() > 0
    for post in Post.objects.annotate(likes=Count("reactions")):
        assert post.reaction_count == post.likes, post
    assert not Reaction.objects.filter(user=F("post__author")).exists()


def test_the_demo_counters_match_the_rows(demo):
    for topic in Topic.objects.annotate(n=Count("posts", filter=Q(posts__status="published")),
                                        top=Max("posts__position")):
        positions = list(topic.posts.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, topic.top + 1)), topic
        assert (topic.post_count, topic.last_position) == (topic.n, topic.top), topic
        assert topic.last_post == topic.posts.order_by("-position").first(), topic
    for forum in Forum.objects.filter(is_category=False):
        topics = Topic.objects.filter(forum=forum, status="published")
        assert forum.topic_count == topics.count(), forum
        assert forum.post_count == sum(t.post_count for t in topics), forum
        latest = topics.order_by("-last_post_at").first()
        assert forum.last_post_id == (latest.last_post_id if latest else None), forum


def test_seeding_twice_changes_nothing(demo):
    before = [model.objects.count() for model in (User, Forum, Topic, Post, Reaction)]

    call_command("seed_demo", stdout=StringIO())

    assert [model.objects.count() for model in (User, Forum, Topic, Post, Reaction)] == before


def forum_pages():
    """(url, read level) of every forum page of the demo."""
    pages = [("/", 0), ("/forums/", 0), ("/forums/feed/", 0)]
    for forum in Forum.objects.filter(is_category=False):
        # Feeds are public documents: a private forum has none, whoever asks.
        feed_level = Access.PUBLIC if forum.read_level == Access.PUBLIC else NOBODY
        pages += [(forum.get_absolute_url(), forum.read_level), (f"{forum.get_absolute_url()}feed/", feed_level)]
    for topic in Topic.objects.select_related("forum"):
        pages += [(topic.get_absolute_url(), topic.forum.read_level),
                  (f"/forums/t/{topic.pk}/unread/", topic.forum.read_level)]
    for post in Post.objects.select_related("topic__forum"):
        pages += [(f"/forums/p/{post.pk}/history/", post.topic.forum.read_level)]
    return pages


@pytest.mark.parametrize("login", LOGINS)
def test_every_demo_forum_page_opens_for_each_demo_login_or_is_not_found(demo, client, login):
    if login != "visitor":
        assert client.login(username=login, password=DEMO_PASSWORD)

    for url, level in forum_pages():
        response = client.get(url)
        if "/unread/" in url and level <= READS_UP_TO[login]:
            assert response.status_code == 302, (login, url)
            response = client.get(response["Location"])
        expected = 200 if level <= READS_UP_TO[login] else 404
        assert response.status_code == expected, (login, url, response.status_code)


@pytest.mark.parametrize("login", ["visitor", "member"])
def test_the_cm_forum_of_the_demo_is_not_found_for_members_and_visitors(demo, client, login):
    if login != "visitor":
        client.login(username=login, password=DEMO_PASSWORD)
    cm_forum = Forum.objects.get(access=Access.COMMUNITY_MANAGERS)
    cm_topic = Topic.objects.filter(forum=cm_forum).first()

    assert client.get(cm_forum.get_absolute_url()).status_code == 404
    assert client.get(cm_topic.get_absolute_url()).status_code == 404
    assert cm_forum.name not in client.get("/forums/").content.decode()
    assert cm_topic.title not in client.get("/").content.decode()
