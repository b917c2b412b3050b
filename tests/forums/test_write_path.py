"""The reply's write path (docs/perf_write.md): a fixed, small number of statements per reply, and
every guarantee kept — exact counters, gapless positions, no double post, the outbox event in the
same transaction as the post, the author's read mark and subscription right after posting."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Event, Visibility
from forums import services
from forums.models import Post, Topic, TopicReadState, TopicSubscription
from forums.services import posting

pytestmark = pytest.mark.django_db

# One reply through the view, as the peers' write benchmark posts it (a member already logged in):
# the topic with its forum (the member's row and roles come from the cache: community.signed_in,
# permissions.grants, warmed by the first reply); then, in the transaction, the row lock and
# the position, the post (with its double-submit check), the outbox event, the author's
# subscription and read mark and the topic's and forum's counters: on PostgreSQL all of it in one
# round trip (statements.reply_at_once), on SQLite four statements (the last one four upserts).
REPLY_QUERIES = {"postgresql": 2, "sqlite": 8}
# Not counted above: BEGIN and COMMIT (pytest's transaction makes them a savepoint).
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")
# The first statement under the lock takes it: an UPDATE of the topic (SQLite, one statement at a
# time) or a SELECT … FOR NO KEY UPDATE followed by the rest in the same string (PostgreSQL).
LOCK = ('UPDATE "forums_topic"', 'SELECT "id" FROM "forums_topic"')


def fresh(obj):
    obj.refresh_from_db()
    return obj


def reply_url(topic):
    return reverse("forums:reply", args=[topic.pk])


def statements_sent(queries):
    return [q["sql"] for q in queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


def test_a_reply_runs_a_fixed_small_number_of_queries(client, member, topic):
    client.force_login(member)
    client.post(reply_url(topic), {"body": "A first reply warms the per-process caches."})

    with CaptureQueriesContext(connection) as queries:
        response = client.post(reply_url(topic), {"body": "Counted words."})

    assert response.status_code == 302
    sent = statements_sent(queries)
    assert len(sent) == REPLY_QUERIES[connection.vendor], "\n".join(sent)
    # One read, before the transaction (the topic); then the lock, and nothing read again under it.
    assert sent[0].startswith("SELECT") and sent[1].startswith(LOCK)
    assert not any(sql.startswith("SELECT") for sql in sent[2:])


def test_a_reply_with_a_mention_costs_one_query_more_and_none_under_the_lock(client, member, topic, oliver):
    client.force_login(member)
    client.post(reply_url(topic), {"body": "Warm."})

    with CaptureQueriesContext(connection) as queries:
        client.post(reply_url(topic), {"body": "Thanks @oliver!"})

    sent = statements_sent(queries)
    assert len(sent) == REPLY_QUERIES[connection.vendor] + 1
    lock = next(i for i, sql in enumerate(sent) if sql.startswith(LOCK))
    assert 'FROM "community_user"' in sent[lock - 1]  # the mentioned members, read before the lock


def test_right_after_posting_the_author_has_read_the_reply_and_watches_the_topic(client, member, topic):
    client.force_login(member)

    response = client.post(reply_url(topic), {"body": "Count me in."})

    assert response.status_code == 302
    assert TopicSubscription.objects.filter(user=member, topic=topic).exists()
    assert TopicReadState.objects.get(user=member, topic=topic).last_read_position == 2


def test_posting_never_moves_the_authors_read_mark_backwards(member, topic):
    TopicReadState.objects.create(user=member, topic=topic, last_read_position=50)

    services.post_reply(actor=member, topic=topic, body="From an old tab.")

    assert TopicReadState.objects.get(user=member, topic=topic).last_read_position == 50


def test_replies_keep_positions_gapless_and_counters_exact_across_a_double_submit(topic, forum, member, cm):
    services.post_reply(actor=member, topic=topic, body="Once")
    with pytest.raises(services.DuplicatePost):
        services.post_reply(actor=member, topic=topic, body="Once")
    last = services.post_reply(actor=cm, topic=topic, body="Next")

    topic, forum = fresh(topic), fresh(forum)
    assert list(Post.objects.filter(topic=topic).order_by("position").values_list("position", flat=True)) == \
        [1, 2, 3]
    assert (topic.post_count, topic.last_position, topic.last_post, topic.last_poster) == (3, 3, last, cm)
    assert topic.last_post_at == fresh(last).created_at
    assert (forum.post_count, forum.last_post, forum.last_post_at) == (3, last, fresh(last).created_at)


def test_a_reply_held_for_review_takes_a_position_but_counts_nowhere_yet(topic, forum, member, monkeypatch):
    from community import content

    monkeypatch.setattr(content, "initial_status", lambda *args, **kwargs: Visibility.PENDING)
    before = fresh(forum).last_post

    held = services.post_reply(actor=member, topic=topic, body="Buy cheap watches")

    topic, forum = fresh(topic), fresh(forum)
    assert fresh(held).status == Visibility.PENDING
    assert (topic.post_count, topic.last_position) == (1, 2)
    assert topic.last_post != held and forum.last_post == before and forum.post_count == 1


def test_a_reply_in_a_topic_awaiting_review_counts_in_the_topic_not_in_the_forum(topic, forum, member):
    Topic.objects.filter(pk=topic.pk).update(status=Visibility.PENDING)

    reply = services.post_reply(actor=member, topic=topic, body="Me too")

    topic, forum = fresh(topic), fresh(forum)
    assert (topic.post_count, topic.last_position, topic.last_post) == (2, 2, reply)
    assert forum.post_count == 1 and forum.last_post != reply


def test_the_event_is_written_in_the_posts_transaction_all_or_nothing(topic, forum, member, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away mid-reply")

    # After the post's and the event's statements, before the commit (both paths).
    monkeypatch.setattr(posting.content, "created_saved", broken)

    with pytest.raises(RuntimeError):
        services.post_reply(actor=member, topic=topic, body="Lost words")

    assert not Post.objects.filter(topic=topic, position=2).exists()
    assert not Event.objects.filter(kind="content.created", target_type=ContentType.objects.get_for_model(Post))\
        .exclude(target_id=topic.first_post_id).exists()
    topic = fresh(topic)
    assert (topic.post_count, topic.last_position) == (1, 1)  # the position was not used up


def test_the_event_and_the_post_arrive_together_with_the_events_payload(topic, forum, member):
    reply = services.post_reply(actor=member, topic=topic, body="Hello")

    event = Event.objects.get(kind="content.created", target_id=reply.pk,
                              target_type=ContentType.objects.get_for_model(Post))
    assert event.actor == member and event.status == "pending"
    assert event.payload == {"topic": topic.pk, "forum": forum.pk, "position": 2, "mentions": [],
                             "kind": "forums.post"}


def test_the_returned_post_is_the_saved_one(topic, member):
    reply = services.post_reply(actor=member, topic=topic, body="Saved *as is*")

    saved = Post.objects.get(pk=reply.pk)
    for field in ("topic_id", "author_id", "position", "body", "body_html", "created_at", "status",
                  "spam_status", "fingerprint", "is_deleted", "edit_count", "reaction_count"):
        assert getattr(reply, field) == getattr(saved, field), field
    assert reply.get_absolute_url() == saved.get_absolute_url()


@pytest.mark.parametrize("topic_id", [2**63, 10**23])
def test_a_reply_to_an_id_beyond_any_row_is_not_found(client, member, topic_id):
    client.force_login(member)

    assert client.get(f"/forums/t/{topic_id}/reply/").status_code == 404
    assert client.post(f"/forums/t/{topic_id}/reply/", {"body": "Hello?"}).status_code == 404


def test_a_forged_quote_says_what_is_wrong_and_keeps_the_text(client, member, topic):
    client.force_login(member)

    response = client.post(reply_url(topic), {"body": "My words stay.", "quote": "abc"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "My words stay." in page and 'class="form-errors"' in page
