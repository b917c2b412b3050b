"""The health figures on a small community whose answers are known by hand: the median time to a
first reply of three topics, posts per day per area, reports and their time to decision, spam
caught, new and active members, the spaces' followers."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from blogs.services import create_space, set_follow
from community import health
from community.models import User
from forums.models import Post, Topic
from moderation.models import AuditLogEntry, Report, SpamCheck
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory


def at(days_ago: int, hour: int = 10, minute: int = 0):
    """A local time `days_ago` days before today."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def just_now():
    """A moment ago, today (whatever the hour the test runs at: never after now, never yesterday)."""
    now = timezone.now()
    return max(now - timedelta(seconds=1), timezone.make_aware(datetime.combine(timezone.localdate(), time.min)))


def open_topic(forum, author, when, *replies):
    """A topic opened at `when`, with (author, minutes after the opening) replies."""
    topic = TopicFactory(forum=forum, author=author)
    Topic.objects.filter(pk=topic.pk).update(created_at=when)
    Post.objects.filter(topic=topic, position=1).update(created_at=when)
    for replier, minutes in replies:
        reply = ReplyFactory(topic=topic, author=replier)
        Post.objects.filter(pk=reply.pk).update(created_at=when + timedelta(minutes=minutes))
    return topic


def section(name, days):
    return next(s for s in health.collect(health.Period.last(days)) if s.name == name).figures


def numbers(figures):
    return {number.key: number.value for number in figures.numbers}


def daily(figures):
    return {series.key: series for series in figures.daily}


@pytest.fixture
def people(db):
    return {name: UserFactory(username=name) for name in ("ana", "ben", "chloe", "dan")}


def test_the_median_first_reply_of_three_topics_and_the_unanswered_one(people):
    ana, ben, chloe = people["ana"], people["ben"], people["chloe"]
    forum = ForumFactory(name="Bikes")
    open_topic(forum, ana, at(2), (ben, 10), (chloe, 50))  # first reply: 10 min (the second one does not count)
    open_topic(forum, ana, at(3), (ana, 5), (ben, 30))  # the author's own reply is not a first reply: 30 min
    open_topic(forum, ben, at(4), (chloe, 180))  # 3 h
    open_topic(forum, chloe, at(1), (chloe, 3))  # only its author replied: unanswered
    open_topic(forum, ana, at(20), (ben, 5))  # before the last 7 days

    week = numbers(section("forums", 7))
    month = numbers(section("forums", 30))

    assert week["forums.first_reply"] == timedelta(minutes=30)  # 10, 30, 180
    assert week["forums.topics"] == 4
    assert week["forums.unanswered"] == 1
    assert month["forums.first_reply"] == timedelta(minutes=20)  # 5, 10, 30, 180: between 10 and 30
    assert month["forums.topics"] == 5


def test_no_reply_at_all_gives_no_median_rather_than_zero(people):
    open_topic(ForumFactory(), people["ana"], at(1))

    figures = numbers(section("forums", 7))

    assert figures["forums.first_reply"] is None
    assert figures["forums.unanswered"] == 1


def test_posts_per_day_per_area(people):
    ana, ben = people["ana"], people["ben"]
    help_area = ForumFactory(name="Help", is_category=True)
    questions = ForumFactory(name="Questions", parent=help_area)
    repairs = ForumFactory(name="Repairs", parent=help_area)
    cafe_area = ForumFactory(name="Café", is_category=True)
    cafe = ForumFactory(name="Chat", parent=cafe_area)
    open_topic(questions, ana, at(6), (ben, 30), (ben, 60))  # 3 posts 6 days ago
    open_topic(repairs, ben, at(6, 23), (ana, 120))  # 1 six days ago, 1 five days ago (the next morning)
    open_topic(cafe, ana, just_now())  # today
    open_topic(cafe, ana, at(9))  # before the period

    figures = section("forums", 7)
    series = daily(figures)

    help_key, cafe_key = f"forums.posts.area.{help_area.pk}", f"forums.posts.area.{cafe_area.pk}"
    assert series[help_key].label == "Help" and series[help_key].values == [4, 1, 0, 0, 0, 0, 0]
    assert series[cafe_key].label == "Café" and series[cafe_key].values == [0, 0, 0, 0, 0, 0, 1]
    assert series["forums.posts"].values == [4, 1, 0, 0, 0, 0, 1]
    assert numbers(figures)["forums.posts"] == 6


def test_hidden_posts_are_not_counted(people):
    forum = ForumFactory()
    topic = open_topic(forum, people["ana"], at(1), (people["ben"], 10))
    Post.objects.filter(topic=topic, position=2).update(status="hidden")

    figures = numbers(section("forums", 7))

    assert figures["forums.posts"] == 1
    assert figures["forums.first_reply"] is None


def report(reporter, *, opened, resolved=None, object_id=1):
    return Report.objects.create(reporter=reporter, kind="forums.post", object_id=object_id, reason="spam",
                                 created_at=opened, resolved_at=resolved,
                                 status="resolved" if resolved else "open", outcome="hide" if resolved else "")


def test_reports_opened_closed_and_the_median_time_to_decision(people, cm):
    ana, ben = people["ana"], people["ben"]
    report(ana, opened=at(3), resolved=at(3, 11))  # 1 h
    report(ben, opened=at(2), resolved=at(2, 14))  # 4 h
    report(ana, opened=at(12), resolved=at(1, 10), object_id=2)  # opened before the week, closed in it: 11 days
    report(ben, opened=at(1), object_id=3)  # still open
    report(ana, opened=at(20), resolved=at(19), object_id=4)  # all before the week
    AuditLogEntry.objects.create(actor=cm, action="spam", kind="forums.post", object_id=9)
    AuditLogEntry.objects.create(actor=cm, action="hide", kind="forums.post", object_id=8)
    AuditLogEntry.objects.create(actor=cm, action="sanction_warn", kind="", object_id=None)
    post_type = ContentType.objects.get_for_model(Post)
    for days_ago, verdict in ((0, "spam"), (0, "spam"), (2, "spam"), (2, "ham"), (30, "spam")):
        SpamCheck.objects.create(content_type=post_type, object_id=1, kind="forums.post", score=9, verdict=verdict,
                                 created_at=at(days_ago, 0, 30) if days_ago else just_now())

    figures = section("moderation", 7)
    values, series = numbers(figures), daily(figures)

    assert values["moderation.reports_opened"] == 3
    assert values["moderation.reports_closed"] == 3
    assert values["moderation.reports_open"] == 1
    assert values["moderation.time_to_decision"] == timedelta(hours=4)  # 1 h, 4 h, 11 days
    assert values["moderation.decisions"] == 2  # the sanction is not a queue decision
    assert values["moderation.spam_cms"] == 1
    assert values["moderation.spam_filter"] == 3
    assert series["moderation.spam"].values == [0, 0, 0, 0, 1, 0, 2]
    assert series["moderation.reports"].values == [0, 0, 0, 1, 1, 1, 0]  # 3, 2 and 1 days ago


def test_new_and_active_members(people):
    ana, ben, chloe, dan = people["ana"], people["ben"], people["chloe"], people["dan"]
    User.objects.update(date_joined=at(100), last_login=None)
    User.objects.filter(pk=ana.pk).update(date_joined=at(2))  # new, never logged in, never posted
    User.objects.filter(pk=ben.pk).update(last_login=at(1))  # logged in this week
    open_topic(ForumFactory(), chloe, at(3))  # posted this week
    open_topic(ForumFactory(), dan, at(40))  # posted long ago
    User.objects.filter(pk__in=[chloe.pk, dan.pk]).update(last_login=at(60))

    week = section("community", 7)
    values = numbers(week)

    assert values["members.new"] == 1
    assert values["members.active"] == 2  # ben (logged in), chloe (posted)
    assert values["members.total"] == 4
    assert daily(week)["members.joined"].values == [0, 0, 0, 0, 1, 0, 0]
    assert numbers(section("community", 90))["members.active"] == 3  # dan too, chloe once


def test_banned_and_deactivated_authors_are_neither_members_nor_active(people):
    forum = ForumFactory()
    User.objects.update(date_joined=at(100), last_login=None)
    for name in ("ana", "ben", "chloe"):
        open_topic(forum, people[name], at(2))
    User.objects.filter(pk=people["ben"].pk).update(banned_at=at(1))
    User.objects.filter(pk=people["chloe"].pk).update(is_active=False)

    values = numbers(section("community", 7))

    assert values["members.total"] == 2  # ana, dan
    assert values["members.active"] == 1  # ana: ben is banned, chloe deactivated
    assert values["members.active"] <= values["members.total"]


def test_the_followers_of_featured_spaces(people, cm):
    column = create_space(actor=cm, owner=people["ana"], kind="column", title="=HYPERLINK(\"x\")")
    podcast = create_space(actor=cm, owner=people["ben"], kind="podcast", title="Voices")
    create_space(actor=cm, owner=people["chloe"], kind="photo", title="Nobody yet")
    for name in ("ben", "chloe", "dan"):
        set_follow(actor=people[name], space=column, following=True)
    set_follow(actor=people["dan"], space=podcast, following=True)
    column.follows.filter(user=people["chloe"]).update(created_at=at(40))

    figures = section("spaces", 30)
    rows = figures.ranked[0].rows

    assert [(title, followers) for title, followers, _note in rows] == [
        ('=HYPERLINK("x")', 3), ("Voices", 1), ("Nobody yet", 0)]
    assert rows[0][2] == "+2 during the period"
    assert numbers(figures)["spaces.followers"] == 4
    assert numbers(figures)["spaces.new_followers"] == 3


def test_every_provider_is_registered_and_an_unknown_name_is_an_error(db):
    assert [provider.name for provider in health.providers()] == ["community", "forums", "spaces", "wiki", "moderation"]
    with pytest.raises(LookupError):
        health.get_provider("nope")


@pytest.mark.parametrize(("minutes", "median"), [([], None), ([7], 7), ([1, 9], 5), ([3, 1, 100], 3),
                                                  ([4, 1, 100, 2], 3)])
def test_the_portable_median(minutes, median, people):
    start = at(5)
    for index, value in enumerate(minutes):
        report(people["ana"], opened=start, resolved=start + timedelta(minutes=value), object_id=index + 1)

    result, count = health.median_duration(Report.objects.all(), "resolved_at", "created_at")

    assert result == (None if median is None else timedelta(minutes=median))
    assert count == len(minutes)
