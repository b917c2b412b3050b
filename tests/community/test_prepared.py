"""community.prepared: a hot query compiled once per shape gives what the ORM gives — for every
reader (visitor, author of held posts, moderator), with new values on every call, and falls back to
the ORM for what it cannot place."""

import datetime

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import prepared
from community.models import Visibility
from community.permissions import forum_content_visibility
from community.rows import MAX_ID
from forums import selectors
from forums.models import Reaction, Topic
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_shapes():
    prepared.clear()
    yield
    prepared.clear()


def _topics(forum_id, visibility, reader_id, start):
    topics = Topic.objects.filter(visibility, forum_id=forum_id)
    if reader_id is not None:
        topics = topics.annotate(mine=Exists(Topic.objects.filter(pk=OuterRef("pk"), author_id=reader_id)))
    return topics.select_related("author", "forum").order_by("pk")[start:start + 2]


def _seen(objects):
    """What a page shows of each row: its fields, its annotation, its joined rows."""
    return [(t.pk, t.title, t.status, t.author.username, t.forum.name, getattr(t, "mine", None)) for t in objects]


@pytest.fixture
def community():
    author, other = UserFactory(), UserFactory()
    forums = [ForumFactory(), ForumFactory()]
    for forum in forums:
        for index in range(3):
            TopicFactory(forum=forum, author=author if index % 2 else other, title=f"{forum.name} {index}")
        for held_by in (author, other):  # held for review: its author and moderators see it
            held = TopicFactory(forum=forum, author=held_by, title=f"{forum.name} held by {held_by.username}")
            Topic.objects.filter(pk=held.pk).update(status=Visibility.PENDING)
    return author, other, forums


@pytest.mark.parametrize("who", ["visitor", "author", "moderator"])
def test_same_rows_as_the_orm_for_every_reader_and_every_value(community, who, visitor, cm):
    author, _other, forums = community
    reader = {"visitor": visitor, "author": author, "moderator": cm}[who]
    for forum in forums * 2:  # the second pass runs the compiled shape with other values
        for start in (0, 2, 4):
            values = dict(forum_id=forum.pk, visibility=forum_content_visibility(reader, forum),
                          reader_id=reader.pk if reader.is_authenticated else None)
            expected = _seen(_topics(start=start, **values))
            got = _seen(prepared.run("test_topics", _topics, start=prepared.Fixed(start), **values))
            assert got == expected
    held = [t for t in Topic.objects.filter(forum=forums[0]) if t.status == Visibility.PENDING]
    shown = {t.pk for start in (0, 2, 4) for t in prepared.run(
        "test_topics", _topics, forum_id=forums[0].pk, visibility=forum_content_visibility(reader, forums[0]),
        reader_id=reader.pk if reader.is_authenticated else None, start=prepared.Fixed(start))}
    assert {t.pk for t in held} & shown == {
        "visitor": set(), "author": {t.pk for t in held if t.author_id == author.pk}, "moderator": {t.pk for t in held},
    }[who]


def test_one_shape_per_reader_kind_and_one_query_per_call(community, visitor, cm):
    author, other, forums = community
    for reader in (author, other):  # two members: one shape
        selectors.topic_page(reader, forums[0], 1)
    selectors.topic_page(visitor, forums[0], 1)
    selectors.topic_page(cm, forums[0], 1)
    assert len([key for key in prepared._shapes if key[0] == "topic_page"]) == 3
    with CaptureQueriesContext(connection) as ctx:
        prepared.run("test_topics", _topics, forum_id=forums[1].pk, visibility=Q(status=Visibility.PUBLISHED),
                     reader_id=None, start=prepared.Fixed(0))
    assert len(ctx) == 1


def test_what_it_cannot_place_runs_through_the_orm(community):
    author, _other, forums = community
    since = timezone.now() - datetime.timedelta(days=1)
    by_date = Q(created_at__gte=since)  # a date: no stand-in for it
    got = prepared.run("test_topics", _topics, forum_id=forums[0].pk, visibility=by_date, reader_id=None,
                       start=prepared.Fixed(0))
    assert _seen(got) == _seen(_topics(forums[0].pk, by_date, None, 0))
    assert not prepared._shapes
    like = Q(title__icontains=forums[0].name)  # the ORM turns the value into a LIKE pattern
    for _ in range(2):
        got = prepared.run("test_like", _topics, forum_id=forums[0].pk, visibility=like, reader_id=None,
                           start=prepared.Fixed(0))
        assert _seen(got) == _seen(_topics(forums[0].pk, like, None, 0))
    assert [shape for key, shape in prepared._shapes.items() if key[0] == "test_like"] == [None]


def test_an_id_beyond_any_row_is_no_row_not_an_error(community, member):
    _author, _other, forums = community
    for forum_id in (MAX_ID, -1, 0):
        assert prepared.run("test_topics", _topics, forum_id=forum_id, visibility=Q(), reader_id=member.pk,
                            start=prepared.Fixed(0)) == []
    for too_large in (MAX_ID, MAX_ID + 1, 10**30):  # the ORM's way (no stand-in beyond bigint): no row
        with pytest.raises(Http404):
            selectors.forum_for(member, too_large, reader_state=True)
        with pytest.raises(Http404):
            selectors.topic_for(member, too_large, reader_state=True)


def test_the_pages_selectors_keep_annotations_and_joins(community, member):
    author, _other, forums = community
    topic = Topic.objects.filter(forum=forums[0], status=Visibility.PUBLISHED).first()
    post = ReplyFactory(topic=topic, author=author)
    Reaction.objects.create(user=member, post=post)
    for _ in range(2):
        shown = selectors.topic_for(member, topic.pk, reader_state=True)
        assert (shown.pk, shown.forum.pk, shown.watching, shown.read_position) == (topic.pk, forums[0].pk, False, None)
        posts = selectors.posts_page(member, shown, 1).object_list
        assert [(p.pk, p.author.username, p.liked_by_me) for p in posts if p.pk == post.pk] == [
            (post.pk, author.username, True)]
        assert selectors.topic_for(member, topic.pk).author.pk == topic.author_id


def _with_author(topic_id):
    return Topic.objects.filter(pk=topic_id).select_related("author").only("pk", "title", "author__username")


def test_instances_built_directly_behave_as_the_orms(community):
    topic = Topic.objects.order_by("pk").first()

    [fast] = prepared.run("one_topic", _with_author, topic_id=topic.pk)
    [orm] = list(_with_author(topic.pk))

    assert (fast._state.adding, fast._state.db) == (orm._state.adding, orm._state.db) == (False, "default")
    assert fast == orm and fast.author == orm.author and fast.title == orm.title
    assert fast.get_deferred_fields() == orm.get_deferred_fields() and "slug" in fast.get_deferred_fields()
    with CaptureQueriesContext(connection) as loaded:
        assert fast.slug == topic.slug  # a deferred field loads on access, as after only()
    assert len(loaded) == 1
    # What the user model's from_db adds (after_load) is there too: renaming is noticed.
    assert fast.author._stored_username == fast.author.username
    assert not fast.author._username_changed()
    fast.author.username = "someone-else"
    assert fast.author._username_changed()
