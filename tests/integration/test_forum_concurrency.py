"""Forum counters stay exact under concurrent posting, on PostgreSQL with real commits.

Parallel writers (threads, each on its own database connection) reply to one topic, to two topics
of one forum, and start topics in that forum at the same time. Afterwards positions run 1..n with
no gap and no duplicate, and every denormalized figure (topic post_count, last_position, last post,
last poster; forum topic_count, post_count, last post) equals what COUNT(*) and MAX() say.

Only PostgreSQL is needed: run it with `make test-integration`, or alone with
`env -u REDIS_URL DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_fc \
 .venv/bin/pytest tests/integration/test_forum_concurrency.py -q`.
"""

import threading

import pytest
from django.db import connection
from django.db.models import Count, Max

from community.models import Event, Visibility
from forums import services
from forums.models import Forum, Post, Topic
from tests.factories import ForumFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.integration

WRITERS = 8
REPLIES_EACH = 10
JOIN_TIMEOUT = 120


@pytest.fixture(autouse=True)
def _integration(request, transactional_db, settings):
    """Overrides the layer's fixture: these tests need committed writes on PostgreSQL only. Under
    `make test-integration` (REDIS_URL set) the session's Redis and worker are up as well, so the
    events the replies record are really delivered, as in production."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if settings.REDIS_URL:
        request.getfixturevalue("redis_server")
        request.getfixturevalue("celery_worker")


@pytest.fixture
def forum(transactional_db):
    return ForumFactory(name="Busy forum")


@pytest.fixture
def writers(roles):
    return UserFactory.create_batch(WRITERS)


def run_in_parallel(work, count=WRITERS):
    """Run work(i) in `count` threads released together; each thread closes its own connection.
    Returns the exceptions the threads raised."""
    barrier = threading.Barrier(count)
    errors = []

    def target(i):
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,), name=f"writer-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck (deadlock?)"
    return errors


def assert_topic_is_exact(topic_id):
    topic = Topic.objects.get(pk=topic_id)
    positions = list(Post.objects.filter(topic_id=topic_id).order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1)), "gap or duplicate in positions"
    visible = Post.objects.filter(topic_id=topic_id, status=Visibility.PUBLISHED)
    figures = visible.aggregate(count=Count("id"), top=Max("position"))
    last = visible.order_by("-position").first()
    assert topic.post_count == figures["count"]
    assert topic.last_position == figures["top"] == len(positions)
    assert (topic.last_post_id, topic.last_poster_id, topic.last_post_at) == \
        (last.pk, last.author_id, last.created_at)
    return topic


def assert_forum_is_exact(forum_id):
    forum = Forum.objects.select_related("last_post").get(pk=forum_id)
    topics = Topic.objects.filter(forum_id=forum_id, status=Visibility.PUBLISHED)
    posts = Post.objects.filter(topic__in=topics, status=Visibility.PUBLISHED)
    newest = posts.aggregate(at=Max("created_at"))["at"]
    assert forum.topic_count == topics.count()
    assert forum.post_count == posts.count()
    assert forum.last_post_at == newest
    assert forum.last_post.created_at == newest and forum.last_post.topic.forum_id == forum_id
    return forum


def test_parallel_replies_to_one_topic_take_every_position_once_and_keep_counters_exact(forum, writers):
    topic = TopicFactory(forum=forum, author=writers[0], title="Everyone at once")

    def reply_ten_times(i):
        mine = Topic.objects.get(pk=topic.pk)
        for n in range(REPLIES_EACH):
            services.post_reply(actor=writers[i], topic=mine, body=f"Writer {i}, reply {n}")

    errors = run_in_parallel(reply_ten_times)

    assert errors == []
    topic = assert_topic_is_exact(topic.pk)
    assert topic.post_count == 1 + WRITERS * REPLIES_EACH
    forum = assert_forum_is_exact(forum.pk)
    assert (forum.topic_count, forum.post_count) == (1, 1 + WRITERS * REPLIES_EACH)
    assert forum.last_post_id == topic.last_post_id
    assert Event.objects.filter(kind="content.created").count() == Post.objects.count()


def test_parallel_replies_to_two_topics_and_new_topics_keep_the_forum_counters_exact(forum, writers):
    first = TopicFactory(forum=forum, author=writers[0], title="First")
    second = TopicFactory(forum=forum, author=writers[1], title="Second")

    def reply_and_start_a_topic(i):
        topics = [Topic.objects.get(pk=first.pk), Topic.objects.get(pk=second.pk)]
        for n in range(REPLIES_EACH):
            services.post_reply(actor=writers[i], topic=topics[(i + n) % 2], body=f"Writer {i}, reply {n}")
            if n == REPLIES_EACH // 2:
                services.create_topic(actor=writers[i], forum=forum, title=f"New from {i}", body="Hi!")

    errors = run_in_parallel(reply_and_start_a_topic)

    assert errors == []
    for topic_id in Topic.objects.filter(forum=forum).values_list("pk", flat=True):
        assert_topic_is_exact(topic_id)
    assert Topic.objects.get(pk=first.pk).post_count + Topic.objects.get(pk=second.pk).post_count == \
        2 + WRITERS * REPLIES_EACH
    forum = assert_forum_is_exact(forum.pk)
    assert (forum.topic_count, forum.post_count) == (2 + WRITERS, 2 + WRITERS + WRITERS * REPLIES_EACH)
    assert Event.objects.filter(kind="content.created").count() == Post.objects.count()
