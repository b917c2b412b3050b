"""Fan-out of notification events: who is told about a forum post or a like, and only once.

Content is created through the forum services (the factories) and the outbox dispatch runs for
real after the commit (`django_capture_on_commit_callbacks(execute=True)`, Celery eager).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import events
from community.models import Event, EventStatus, User, Visibility
from community.notifications import Recipients, services
from community.notifications.models import Channel, Notification
from forums import services as forum_services
from forums.models import Access, Post, TopicSubscription
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- fixtures and helpers ----------------------------------------------------------------------------------

@pytest.fixture
def oliver(db):
    """A member who starts topics (and so watches them)."""
    return UserFactory(username="oliver")


@pytest.fixture
def nina(db):
    """A member who replies."""
    return UserFactory(username="nina")


@pytest.fixture
def forum(db):
    return ForumFactory(name="Introductions", slug="introductions")


@pytest.fixture
def cm_forum(db):
    return ForumFactory(name="CM room", slug="cm-room", access=Access.COMMUNITY_MANAGERS)


@pytest.fixture
def topic(forum, oliver):
    return TopicFactory(forum=forum, author=oliver, title="Hello everyone", body="I am Oliver, hi!")


@pytest.fixture
def posts_held_for_review(db):
    """Posts saying "hi" wait for a moderator (a watched word with the "require approval" action)."""
    from moderation import watched

    watched.create_word(phrase="hi", action="approve")


@pytest.fixture
def reply(django_capture_on_commit_callbacks):
    """reply(topic, author, body) -> the post, its event dispatched after the commit."""

    def post(topic, author, body="Welcome aboard!"):
        with django_capture_on_commit_callbacks(execute=True):
            created = ReplyFactory(topic=topic, author=author, body=body)
        return created

    return post


def watch(*users, topic):
    for user in users:
        forum_services.set_topic_watch(actor=user, topic=topic, watching=True)


def told(user) -> list[str]:
    """The kinds of what `user` was told, oldest first."""
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


def bell(user) -> int:
    return User.objects.values_list("unread_notifications", flat=True).get(pk=user.pk)


def event_of(post, kind="content.created") -> Event:
    return Event.objects.get(kind=kind, target_id=post.pk)


# --- who is told about a reply -------------------------------------------------------------------------------

def test_a_reply_tells_the_topic_author_that_someone_replied(reply, topic, oliver, nina):
    post = reply(topic, nina)

    assert told(oliver) == ["reply"]
    notification = Notification.objects.get(recipient=oliver)
    assert notification.url == f"/forums/p/{post.pk}/"
    assert notification.actor == nina
    assert notification.data["title"] == "Hello everyone"
    assert event_of(post).status == EventStatus.DONE


def test_a_reply_tells_each_watcher_of_the_topic_about_the_new_post(reply, topic, nina):
    maya, leo = UserFactory(username="maya"), UserFactory(username="leo")
    watch(maya, leo, topic=topic)

    reply(topic, nina)

    assert told(maya) == ["watched_topic"]
    assert told(leo) == ["watched_topic"]


def test_a_mentioned_member_is_told_they_were_mentioned(reply, topic, nina):
    maya = UserFactory(username="maya")

    reply(topic, nina, "Ask @maya, she knows.")

    assert told(maya) == ["mention"]


def test_a_member_concerned_for_several_reasons_is_told_once_for_the_most_specific_one(reply, topic, oliver, nina):
    maya = UserFactory(username="maya")
    watch(maya, topic=topic)  # the topic's author watches it since he started it

    reply(topic, nina, "Ask @maya, she knows. Right, @oliver?")

    assert told(maya) == ["mention"]  # a watcher who is mentioned
    assert told(oliver) == ["mention"]  # the topic's author, watching it, and mentioned


def test_the_topic_author_who_watches_the_topic_is_told_of_a_reply_not_of_a_watched_topic(reply, topic, oliver, nina):
    reply(topic, nina)

    assert told(oliver) == ["reply"]


def test_the_poster_is_never_told_about_their_own_post(reply, topic, oliver, nina):
    reply(topic, nina)  # nina now watches the topic
    reply(topic, nina, "And @nina agrees with @nina.")
    reply(topic, oliver, "Thanks!")  # oliver replies to his own topic

    assert told(nina) == ["watched_topic"]  # oliver's reply only
    assert told(oliver) == ["reply", "reply"]  # nina's two replies, not his own


def test_a_new_topic_tells_the_watchers_of_its_forum(django_capture_on_commit_callbacks, forum, oliver):
    maya = UserFactory(username="maya")
    forum_services.set_forum_watch(actor=maya, forum=forum, watching=True)
    forum_services.set_forum_watch(actor=oliver, forum=forum, watching=True)

    with django_capture_on_commit_callbacks(execute=True):
        topic = TopicFactory(forum=forum, author=oliver, title="Spring meetup")

    assert told(maya) == ["watched_forum"]
    assert told(oliver) == []
    assert Notification.objects.get(recipient=maya).url == f"/forums/p/{topic.first_post_id}/"


def test_a_like_tells_the_author_of_the_post(django_capture_on_commit_callbacks, topic, oliver, nina):
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.toggle_reaction(actor=nina, post=topic.first_post)

    assert told(oliver) == ["reaction"]
    assert told(nina) == []
    assert Notification.objects.get(recipient=oliver).actor == nina


# --- who is never told -----------------------------------------------------------------------------------------

def test_a_member_mentioned_in_a_forum_they_cannot_read_is_told_nothing(reply, cm_forum, cm):
    maya = UserFactory(username="maya")
    other_cm = UserFactory(username="alex", roles=["Community managers"])
    plans = TopicFactory(forum=cm_forum, author=cm, title="Secret staff plans")

    reply(plans, other_cm, "What do @maya and @sam think?")

    assert told(maya) == []
    assert told(cm) == ["mention"]


def test_in_a_contributors_forum_contributors_managers_and_staff_are_told_and_members_are_not(
        reply, contributor, cm, staff):
    studio = ForumFactory(name="Studio", slug="studio", access=Access.CONTRIBUTORS)
    plans = TopicFactory(forum=studio, author=contributor, title="Next season")
    maya = UserFactory(username="maya")
    watch(cm, staff, topic=plans)

    reply(plans, cm, "What do @maya and @boss think?")

    assert told(maya) == []
    assert told(staff) == ["mention"]
    assert told(contributor) == ["reply"]
    assert told(cm) == []  # the poster


def test_watchers_who_lost_access_to_the_forum_are_told_nothing(reply, forum, topic, oliver, cm):
    maya = UserFactory(username="maya")
    other_cm = UserFactory(username="alex", roles=["Community managers"])
    watch(maya, other_cm, topic=topic)
    forum.access = Access.COMMUNITY_MANAGERS
    forum_services.save_forum(forum=forum)

    reply(topic, cm)

    assert told(maya) == []
    assert told(oliver) == []  # the topic's author lost access too
    assert told(other_cm) == ["watched_topic"]


def test_a_suspended_member_is_told_nothing_about_a_members_only_forum(reply, oliver, nina):
    lounge = ForumFactory(name="Members lounge", slug="lounge", access=Access.MEMBERS)
    gossip = TopicFactory(forum=lounge, author=oliver, title="Members gossip")
    maya = UserFactory(username="maya")
    watch(maya, topic=gossip)
    User.objects.filter(pk__in=[maya.pk, oliver.pk]).update(suspended_until=timezone.now() + timedelta(days=3))

    reply(gossip, nina, "Hey @maya")

    assert told(maya) == []
    assert told(oliver) == []


def test_banned_and_inactive_members_are_told_nothing(reply, topic, oliver, nina):
    maya, leo = UserFactory(username="maya"), UserFactory(username="leo")
    watch(maya, leo, topic=topic)
    User.objects.filter(pk=maya.pk).update(banned_at=timezone.now())
    User.objects.filter(pk__in=[leo.pk, oliver.pk]).update(is_active=False)

    reply(topic, nina, "Hello @maya and @leo")

    assert told(maya) == []
    assert told(leo) == []
    assert told(oliver) == []
    assert Notification.objects.count() == 0


def test_a_member_who_turned_a_kind_off_is_not_told_of_it(reply, topic, oliver, nina):
    maya = UserFactory(username="maya")
    watch(maya, topic=topic)
    services.set_preferences(actor=maya, channels={"watched_topic": Channel.OFF})
    services.set_preferences(actor=oliver, channels={"reply": Channel.OFF})

    reply(topic, nina)
    reply(topic, nina, "Still there, @maya?")

    assert told(maya) == ["mention"]  # mentions are still on
    assert told(oliver) == []
    assert bell(maya) == 1 and bell(oliver) == 0


def test_a_held_post_tells_nobody_when_it_is_created(reply, topic, oliver, nina, posts_held_for_review):
    maya = UserFactory(username="maya")
    watch(maya, topic=topic)

    post = reply(topic, nina, "Hi @maya")

    assert Post.objects.get(pk=post.pk).status == Visibility.PENDING
    assert Notification.objects.count() == 0
    assert bell(maya) == 0 and bell(oliver) == 0
    assert event_of(post).status == EventStatus.DONE


# --- channels ---------------------------------------------------------------------------------------------

def test_the_channel_follows_the_members_preference_and_otherwise_the_kinds_default(reply, topic, oliver, nina):
    maya, leo = UserFactory(username="maya"), UserFactory(username="leo")
    watch(maya, leo, topic=topic)
    services.set_preferences(actor=maya, channels={"watched_topic": Channel.IMMEDIATE})

    reply(topic, nina)

    assert Notification.objects.get(recipient=maya).channel == Channel.IMMEDIATE  # her choice
    assert Notification.objects.get(recipient=leo).channel == Channel.DAILY  # watched topics' default
    assert Notification.objects.get(recipient=oliver).channel == Channel.IMMEDIATE  # replies' default


def test_a_community_manager_in_quiet_hours_gets_an_alert_in_the_next_digest_not_at_once(cm):
    awake = UserFactory(username="alex", roles=["Community managers"])
    now = timezone.now()
    services.set_quiet_hours(actor=cm, start=(now - timedelta(hours=1)).time(),
                             end=(now + timedelta(hours=1)).time(), time_zone="UTC")
    event = Event.objects.create(kind="test.report")

    services.fan_out(event, Recipients(kinds={cm.pk: "cm_report", awake.pk: "cm_report"}, group_key="report:1",
                                       data={"title": "A report", "url": "/moderation/"}))

    assert Notification.objects.get(recipient=cm).channel == Channel.DAILY
    assert Notification.objects.get(recipient=awake).channel == Channel.IMMEDIATE
    assert bell(cm) == 1 and bell(awake) == 1


# --- the bell, and telling nobody twice ------------------------------------------------------------------

def test_the_bell_rises_by_exactly_one_per_notification(reply, topic, oliver, nina):
    maya = UserFactory(username="maya")
    watch(maya, topic=topic)

    reply(topic, nina)
    reply(topic, nina, "And one more for @maya.")

    assert (told(maya), bell(maya)) == (["watched_topic", "mention"], 2)
    assert (told(oliver), bell(oliver)) == (["reply", "reply"], 2)
    assert bell(nina) == 0


def test_dispatching_the_same_event_again_tells_nobody_twice(reply, topic, oliver, nina):
    maya = UserFactory(username="maya")
    watch(maya, topic=topic)
    post = reply(topic, nina, "Hi @maya")
    event = event_of(post)

    assert events.dispatch_event(event.pk) == "already-done"
    assert events.dispatch_event(event.pk) == "already-done"

    assert (told(maya), bell(maya)) == (["mention"], 1)
    assert (told(oliver), bell(oliver)) == (["reply"], 1)


def test_fanning_out_the_same_event_again_directly_tells_nobody_twice(reply, topic, oliver, nina):
    maya = UserFactory(username="maya")
    watch(maya, topic=topic)
    post = reply(topic, nina, "Hi @maya")
    event = event_of(post)

    services.fan_out_event(event)
    services.fan_out_event(event)

    assert (told(maya), bell(maya)) == (["mention"], 1)
    assert (told(oliver), bell(oliver)) == (["reply"], 1)
    assert Notification.objects.filter(event=event).count() == 2


def test_fanning_out_the_same_event_again_sends_no_second_email(reply, django_capture_on_commit_callbacks, topic,
                                                               oliver, nina, mailoutbox):
    post = reply(topic, nina)
    assert [message.to for message in mailoutbox] == [[oliver.email]]  # a reply: email at once

    with django_capture_on_commit_callbacks(execute=True):
        services.fan_out_event(event_of(post))

    assert len(mailoutbox) == 1


def test_fanning_out_again_tells_only_a_member_who_was_not_told_yet(reply, topic, oliver, nina):
    post = reply(topic, nina)
    event = event_of(post)
    maya = UserFactory(username="maya")
    watch(maya, topic=topic)  # a new watcher, as if she had watched before a redelivery

    services.fan_out_event(event)

    assert (told(maya), bell(maya)) == (["watched_topic"], 1)
    assert (told(oliver), bell(oliver)) == (["reply"], 1)


def test_an_event_delivered_again_after_a_failed_attempt_tells_everyone_once(reply, event_handler, topic, oliver,
                                                                            nina):
    """The first attempt fails after the notifications were written (a later handler raises):
    none of them stays, and the next delivery tells everyone once."""
    maya = UserFactory(username="maya")
    watch(maya, topic=topic)
    attempts = []

    def fails_the_first_time(event):
        attempts.append(event.pk)
        if len(attempts) == 1:
            raise RuntimeError("connection lost")

    event_handler("content.created", fails_the_first_time)
    post = reply(topic, nina)
    event = event_of(post)
    assert (event.status, event.attempts) == (EventStatus.PENDING, 1)
    assert (told(maya), bell(maya), told(oliver), bell(oliver)) == ([], 0, [], 0)

    assert events.dispatch_event(event.pk) == "done"

    assert (told(maya), bell(maya)) == (["watched_topic"], 1)
    assert (told(oliver), bell(oliver)) == (["reply"], 1)


# --- cost ---------------------------------------------------------------------------------------------------

def _watchers(count, topic):
    """`count` members watching `topic`, inserted in bulk (the factories would take minutes)."""
    first = User.objects.count()
    users = User.objects.bulk_create(
        [User(username=f"watcher{first + i}", email=f"watcher{first + i}@example.com") for i in range(count)])
    TopicSubscription.objects.bulk_create([TopicSubscription(user=user, topic=topic) for user in users])
    return users


def _queries_of_a_reply_fan_out(forum, author, replier, watcher_count):
    topic = TopicFactory(forum=forum, author=author)
    watchers = _watchers(watcher_count, topic)
    post = ReplyFactory(topic=topic, author=replier, body=f"Hello @{watchers[0].username}")  # not dispatched
    event = event_of(post)
    with CaptureQueriesContext(connection) as queries:
        assert events.dispatch_event(event.pk) == "done"
    assert Notification.objects.filter(event=event).count() == watcher_count + 1  # and the topic's author
    assert Notification.objects.get(event=event, recipient=watchers[0]).kind == "mention"
    assert User.objects.filter(pk__in=[w.pk for w in watchers], unread_notifications=1).count() == watcher_count
    return len(queries)


def test_the_fan_out_costs_the_same_number_of_queries_for_three_watchers_as_for_2500(forum, oliver, nina):
    few = _queries_of_a_reply_fan_out(forum, oliver, nina, 3)
    many = _queries_of_a_reply_fan_out(forum, oliver, nina, 2500)

    assert few == many

