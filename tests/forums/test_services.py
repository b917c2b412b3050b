"""The forum services: counters stay exact, every post leaves its durable event, and each rule
(double submit, reactions, moderation, Q&A, read levels, read tracking) holds."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community import content
from community.models import Event, SpamStatus, Visibility
from forums import selectors, services
from forums.models import (
    Access,
    ForumReadMark,
    ModerationLogEntry,
    Post,
    PostRevision,
    Reaction,
    Topic,
    TopicReadState,
    TopicSubscription,
)
from tests.factories import ForumFactory, ReplyFactory, TopicFactory

pytestmark = pytest.mark.django_db


def fresh(obj):
    obj.refresh_from_db()
    return obj


def created_events(post):
    return Event.objects.filter(kind="content.created", target_id=post.pk,
                                target_type=ContentType.objects.get_for_model(Post))


# --- creating topics and replies ------------------------------------------------------------------------

def test_a_new_topic_counts_one_topic_and_one_post_everywhere(forum, oliver):
    topic = services.create_topic(actor=oliver, forum=forum, title="  Hello   world ", body="First!")

    topic, forum = fresh(topic), fresh(forum)
    opening = Post.objects.get(topic=topic)
    assert topic.title == "Hello world"
    assert opening.position == 1 and opening.body == "First!"
    assert (topic.post_count, topic.last_position) == (1, 1)
    assert topic.first_post == opening and topic.last_post == opening and topic.last_poster == oliver
    assert (forum.topic_count, forum.post_count, forum.last_post) == (1, 1, opening)
    assert opening.status == Visibility.PUBLISHED and opening.spam_status == SpamStatus.PENDING


def test_replies_get_positions_one_to_n_and_keep_every_counter_exact(topic, forum, member, cm):
    authors = [member, cm, member]
    replies = [services.post_reply(actor=author, topic=topic, body=f"Reply {i}") for i, author in
               enumerate(authors)]

    topic, forum = fresh(topic), fresh(forum)
    assert list(Post.objects.filter(topic=topic).order_by("position").values_list("position", flat=True)) == \
        [1, 2, 3, 4]
    assert (topic.post_count, topic.last_position, topic.reply_count) == (4, 4, 3)
    assert topic.last_post == replies[-1] and topic.last_poster == member
    assert topic.last_post_at == replies[-1].created_at
    assert (forum.topic_count, forum.post_count, forum.last_post) == (1, 4, replies[-1])


def test_a_second_topic_adds_to_the_forum_and_becomes_its_latest_post(topic, forum, member):
    ReplyFactory(topic=topic, author=member)
    second = TopicFactory(forum=forum, author=member, title="Another one")

    forum = fresh(forum)
    assert (forum.topic_count, forum.post_count) == (2, 3)
    assert forum.last_post == fresh(second).first_post


def test_each_new_post_writes_one_content_created_event_with_the_mentioned_members(topic, forum, oliver,
                                                                                      member, cm):
    reply = services.post_reply(actor=oliver, topic=topic,
                                body="Thanks @maya and @SAM, and me @oliver, and @nobody-here.")

    events = list(created_events(reply))
    assert len(events) == 1
    assert events[0].actor == oliver
    assert events[0].payload["kind"] == "forums.post"
    assert events[0].payload["topic"] == topic.pk and events[0].payload["forum"] == forum.pk
    assert sorted(events[0].payload["mentions"]) == sorted([member.pk, cm.pk])
    assert oliver.pk not in events[0].payload["mentions"]


def test_a_new_topic_writes_one_content_created_event_for_its_opening_post(forum, member, oliver):
    topic = services.create_topic(actor=member, forum=forum, title="Hi", body="Hello @oliver")

    events = list(created_events(fresh(topic).first_post))
    assert len(events) == 1
    assert events[0].payload["mentions"] == [oliver.pk]


def test_posting_watches_the_topic_and_marks_it_read_for_the_author(topic, member):
    reply = services.post_reply(actor=member, topic=topic, body="Count me in.")

    assert TopicSubscription.objects.filter(user=member, topic=topic).exists()
    assert TopicReadState.objects.get(user=member, topic=topic).last_read_position == reply.position == 2


def test_starting_a_topic_watches_it_and_marks_it_read(forum, member):
    topic = services.create_topic(actor=member, forum=forum, title="Mine", body="My words.")

    assert TopicSubscription.objects.filter(user=member, topic=topic).exists()
    assert TopicReadState.objects.get(user=member, topic=topic).last_read_position == 1


def test_a_double_submit_raises_duplicate_post_and_creates_nothing(topic, member):
    first = services.post_reply(actor=member, topic=topic, body="Same words")

    with pytest.raises(services.DuplicatePost) as caught:
        services.post_reply(actor=member, topic=topic, body="  Same words  ")

    assert caught.value.post == first
    assert Post.objects.filter(topic=topic).count() == 2
    assert (fresh(topic).post_count, fresh(topic).last_position) == (2, 2)
    assert created_events(first).count() == 1


def test_the_same_words_are_a_new_post_after_ten_minutes_or_from_someone_else(topic, member, cm):
    first = services.post_reply(actor=member, topic=topic, body="+1")
    Post.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    again = services.post_reply(actor=member, topic=topic, body="+1")
    other = services.post_reply(actor=cm, topic=topic, body="+1")

    assert (again.position, other.position) == (3, 4)


def test_quoting_a_post_puts_its_text_in_a_blockquote_above_the_reply(topic, member):
    quoted = topic.first_post

    reply = services.post_reply(actor=member, topic=topic, body="Welcome!", quote=quoted)

    assert reply.body.startswith("> **@oliver** wrote:")
    assert reply.body.endswith("Welcome!")
    html = reply.body_html
    assert html.index("<blockquote>") < html.index("<strong>Oliver</strong>, hi!") < html.index("</blockquote>")
    assert html.index("</blockquote>") < html.index("Welcome!")


def test_an_empty_or_oversized_body_and_an_empty_title_are_refused(forum, topic, member):
    with pytest.raises(ValidationError, match="Write something first"):
        services.post_reply(actor=member, topic=topic, body=" \n ")
    with pytest.raises(ValidationError, match="at most 64 KB"):
        services.post_reply(actor=member, topic=topic, body="é" * (32 * 1024 + 1))
    with pytest.raises(ValidationError, match="Give your topic a title"):
        services.create_topic(actor=member, forum=forum, title="   ", body="Body")

    assert Post.objects.count() == 1 and Topic.objects.count() == 1


# --- editing, deleting, liking ------------------------------------------------------------------------

def test_editing_keeps_the_previous_version_marks_the_post_edited_and_renders_again(topic, oliver):
    post = topic.first_post

    services.edit_post(actor=oliver, post=post, body="I am *Oliver*, hello!", reason="typo")

    post = fresh(post)
    assert post.body == "I am *Oliver*, hello!"
    assert "<em>Oliver</em>" in post.body_html
    assert post.edited_at is not None and post.edit_count == 1
    revision = PostRevision.objects.get(post=post)
    assert revision.body == "I am **Oliver**, hi!" and "<strong>Oliver</strong>" in revision.body_html
    assert revision.editor == oliver and revision.reason == "typo"


def test_a_moderator_edit_is_logged_but_a_member_cannot_edit_someone_elses_post(topic, member, cm):
    with pytest.raises(PermissionDenied, match="only edit your own posts"):
        services.edit_post(actor=member, post=topic.first_post, body="Vandalised")

    services.edit_post(actor=cm, post=topic.first_post, body="Cleaned up", reason="rudeness")

    assert fresh(topic.first_post).body == "Cleaned up"
    assert ModerationLogEntry.objects.filter(actor=cm, action="edit_post", post=topic.first_post).exists()


def test_deleting_a_post_leaves_a_tombstone_that_keeps_the_text(topic, member, oliver):
    reply = ReplyFactory(topic=topic, author=member, body="Oops, wrong thread.")

    with pytest.raises(PermissionDenied, match="only delete your own posts"):
        services.delete_post(actor=oliver, post=reply)
    services.delete_post(actor=member, post=reply)

    reply = fresh(reply)
    assert reply.is_deleted is True
    assert reply.body == "Oops, wrong thread."
    assert Post.objects.filter(topic=topic).count() == 2


def test_liking_and_unliking_keep_an_exact_count(topic, member, cm):
    post = topic.first_post

    assert services.toggle_reaction(actor=member, post=post) == (True, 1)
    assert services.toggle_reaction(actor=cm, post=post) == (True, 2)
    assert services.toggle_reaction(actor=member, post=post) == (False, 1)

    assert fresh(post).reaction_count == 1
    assert list(Reaction.objects.filter(post=post).values_list("user", flat=True)) == [cm.pk]


def test_nobody_can_like_their_own_post(topic, oliver):
    with pytest.raises(PermissionDenied, match="cannot like your own post"):
        services.toggle_reaction(actor=oliver, post=topic.first_post)

    assert fresh(topic.first_post).reaction_count == 0


# --- hiding and restoring (the content protocol) ---------------------------------------------------------

@pytest.fixture
def thread(topic, member, cm):
    """`topic` with two replies: member's (position 2) then cm's (position 3)."""
    first = ReplyFactory(topic=topic, author=member, body="Reply by Maya")
    last = ReplyFactory(topic=topic, author=cm, body="Reply by Sam")
    return topic, first, last


def test_hiding_the_last_reply_through_the_content_protocol_fixes_topic_and_forum(thread, forum, member):
    topic, first, last = thread

    assert content.kind_for(last).hide(last) is True

    topic, forum = fresh(topic), fresh(forum)
    assert (topic.post_count, topic.last_post, topic.last_poster) == (2, first, member)
    assert topic.last_position == 3  # positions are never handed out twice
    assert (forum.post_count, forum.topic_count, forum.last_post) == (2, 1, first)


def test_restoring_a_hidden_reply_puts_every_counter_back(thread, forum, cm):
    topic, _first, last = thread
    services.hide_post(actor=cm, post=last, reason="spam")

    assert services.restore_post(actor=cm, post=last) is True

    topic, forum = fresh(topic), fresh(forum)
    assert (topic.post_count, topic.last_post, topic.last_poster) == (3, last, cm)
    assert (forum.post_count, forum.last_post) == (3, last)
    assert list(ModerationLogEntry.objects.filter(post=last).values_list("action", flat=True)) == \
        ["restore", "hide"]


def test_hiding_twice_changes_nothing_the_second_time(thread, forum, cm):
    topic, _first, last = thread
    services.hide_post(actor=cm, post=last)

    assert services.hide_post(actor=cm, post=last) is False

    assert (fresh(topic).post_count, fresh(forum).post_count) == (2, 2)


def test_hiding_the_opening_post_hides_the_topic_and_takes_it_out_of_the_forum(thread, forum, member):
    topic, _first, _last = thread
    other = TopicFactory(forum=forum, author=member, title="Older but still visible")
    Topic.objects.filter(pk=other.pk).update(last_post_at=timezone.now() - timedelta(days=1))

    content.kind_for(topic.first_post).hide(topic.first_post)

    forum = fresh(forum)
    assert fresh(topic).status == Visibility.HIDDEN
    assert (forum.topic_count, forum.post_count) == (1, 1)
    assert forum.last_post == fresh(other).first_post
    assert other.pk in [t.pk for t in selectors.topic_page(member, forum, 1).object_list]
    assert topic.pk not in [t.pk for t in selectors.topic_page(member, forum, 1).object_list]


def test_restoring_the_opening_post_brings_the_topic_back_with_its_replies(thread, forum, cm):
    topic, _first, last = thread
    services.hide_post(actor=cm, post=topic.first_post)

    services.restore_post(actor=cm, post=topic.first_post)

    forum = fresh(forum)
    assert fresh(topic).status == Visibility.PUBLISHED
    assert (forum.topic_count, forum.post_count, forum.last_post) == (1, 3, last)


# --- moving ---------------------------------------------------------------------------------------------

def test_moving_a_topic_moves_its_counts_and_last_post_between_forums(topic, forum, other_forum, cm, member):
    staying = TopicFactory(forum=forum, author=member, title="I stay")
    ReplyFactory(topic=topic, author=member)
    last = ReplyFactory(topic=topic, author=cm)
    assert fresh(forum).last_post == last

    services.move_topic(actor=cm, topic=topic, forum=other_forum)

    forum, other_forum = fresh(forum), fresh(other_forum)
    assert fresh(topic).forum == other_forum
    assert (forum.topic_count, forum.post_count, forum.last_post) == (1, 1, fresh(staying).first_post)
    assert (other_forum.topic_count, other_forum.post_count, other_forum.last_post) == (1, 3, last)


def test_a_topic_cannot_be_moved_into_a_category_nor_by_a_member(topic, category, other_forum, member, cm):
    with pytest.raises(ValidationError, match="not in a category"):
        services.move_topic(actor=cm, topic=topic, forum=category)
    with pytest.raises(PermissionDenied):
        services.move_topic(actor=member, topic=topic, forum=other_forum)

    assert fresh(topic).forum_id == topic.forum_id


# --- Q&A ---------------------------------------------------------------------------------------------------

@pytest.fixture
def question(qa_forum, oliver, member, cm):
    topic = TopicFactory(forum=qa_forum, author=oliver, title="How do I back up?", body="Any routine?")
    answer = ReplyFactory(topic=topic, author=member, body="Use restic, and test the restore.")
    return topic, answer


def test_the_author_of_a_question_accepts_a_reply_and_the_topic_is_solved(question, oliver, member):
    topic, answer = question

    services.accept_answer(actor=oliver, topic=topic, post=answer)

    topic = fresh(topic)
    assert topic.accepted_answer == answer and topic.is_solved is True
    assert Event.objects.filter(kind="forums.answer_accepted", target_id=answer.pk,
                                payload__author=member.pk).count() == 1


def test_a_moderator_can_accept_an_answer_and_clear_it(question, cm):
    topic, answer = question

    services.accept_answer(actor=cm, topic=topic, post=answer)
    services.accept_answer(actor=cm, topic=topic, post=None)

    topic = fresh(topic)
    assert topic.accepted_answer is None and topic.is_solved is False


def test_another_member_cannot_accept_an_answer(question, contributor):
    topic, answer = question

    with pytest.raises(PermissionDenied, match="Only the author of the question or a moderator"):
        services.accept_answer(actor=contributor, topic=topic, post=answer)

    assert fresh(topic).is_solved is False


def test_only_questions_have_accepted_answers(topic, oliver, member):
    reply = ReplyFactory(topic=topic, author=member)

    with pytest.raises(PermissionDenied, match="Only questions have accepted answers"):
        services.accept_answer(actor=oliver, topic=topic, post=reply)


def test_only_a_visible_reply_of_the_question_can_be_accepted(question, oliver, cm, topic):
    question_topic, answer = question
    hidden = ReplyFactory(topic=question_topic, author=cm, body="A reply that gets hidden")
    services.hide_post(actor=cm, post=hidden)
    elsewhere = ReplyFactory(topic=topic, author=cm, body="A reply in another topic")

    for refused in (question_topic.first_post, fresh(hidden), elsewhere):
        with pytest.raises(ValidationError, match="Only a visible reply"):
            services.accept_answer(actor=oliver, topic=question_topic, post=refused)

    assert fresh(question_topic).accepted_answer is None


# --- the tree's read levels -----------------------------------------------------------------------------

def test_children_follow_a_restricted_parent_and_recover_when_it_opens_again(db):
    category = ForumFactory(is_category=True)
    child = ForumFactory(parent=category)
    grandchild = ForumFactory(parent=child, access=Access.MEMBERS)

    category.access = Access.COMMUNITY_MANAGERS
    services.save_forum(forum=category)
    assert (fresh(child).read_level, fresh(grandchild).read_level) == (3, 3)

    category.access = Access.PUBLIC
    services.save_forum(forum=category)
    assert (fresh(child).read_level, fresh(grandchild).read_level) == (0, 1)


def test_a_new_forum_under_a_restricted_category_is_restricted_too(db):
    category = ForumFactory(is_category=True, access=Access.CONTRIBUTORS)

    child = ForumFactory(parent=category, access=Access.PUBLIC)

    assert fresh(child).read_level == Access.CONTRIBUTORS


# --- read tracking --------------------------------------------------------------------------------------

def test_reading_never_moves_the_read_position_backwards(topic, member):
    services.mark_topic_read(actor=member, topic=topic, position=5)
    services.mark_topic_read(actor=member, topic=topic, position=2)

    assert TopicReadState.objects.get(user=member, topic=topic).last_read_position == 5

    services.mark_topic_read(actor=member, topic=topic, position=7)
    assert TopicReadState.objects.get(user=member, topic=topic).last_read_position == 7


def unread_titles(user, forum):
    topics = selectors.topic_page(user, forum, 1).object_list
    selectors.annotate_unread(user, topics, forum=forum)
    return {t.title: t.new_posts for t in topics if t.unread}


def test_a_reply_by_someone_else_makes_a_read_topic_unread_with_its_new_posts(topic, forum, member, cm):
    services.mark_topic_read(actor=member, topic=topic, position=1)
    assert unread_titles(member, forum) == {}

    ReplyFactory(topic=topic, author=cm)
    ReplyFactory(topic=topic, author=cm)

    assert unread_titles(member, forum) == {"Hello everyone": 2}
    assert selectors.first_unread_position(member, fresh(topic)) == 2


def test_marking_a_forum_read_makes_older_topics_read_but_not_later_replies(topic, forum, member, cm):
    TopicFactory(forum=forum, author=cm, title="Never opened")
    assert set(unread_titles(member, forum)) == {"Hello everyone", "Never opened"}

    services.mark_forum_read(actor=member, forum=forum)
    assert unread_titles(member, forum) == {}
    assert ForumReadMark.objects.filter(user=member, forum=forum).count() == 1

    ReplyFactory(topic=topic, author=cm)
    assert set(unread_titles(member, forum)) == {"Hello everyone"}
