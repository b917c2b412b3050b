"""The on-site notifications, as a member uses them: the bell in the header, the inbox (grouped,
paginated, each line leading to the exact post), read marks, opening a topic, and the preferences
page with the community managers' alerts and quiet hours.

Notifications are made the way the site makes them: posts and likes through the forum services,
their events dispatched after the commit (`django_capture_on_commit_callbacks(execute=True)`,
Celery eager).
"""

import re
from datetime import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.models import User
from community.notifications.models import AlertSettings, Channel, Notification, NotificationPreference
from community.notifications.selectors import PER_PAGE
from community.permissions.grants import grants_of
from forums import services as forum_services
from tests.factories import PASSWORD, ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


# --- fixtures and helpers ----------------------------------------------------------------------------------

@pytest.fixture
def forum(db):
    return ForumFactory(name="Introductions", slug="introductions")


@pytest.fixture
def nina(db):
    return UserFactory(username="nina", display_name="Nina")


@pytest.fixture
def paul(db):
    return UserFactory(username="paul", display_name="Paul")


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", display_name="Rita")


@pytest.fixture
def my_topic(forum, member):
    """A topic started by maya (the `member`): replies to it notify her."""
    return TopicFactory(forum=forum, author=member, title="Hello everyone", body="I am Maya, hi!")


@pytest.fixture
def reply(django_capture_on_commit_callbacks):
    """reply(topic, author, body=None) -> the post, its notifications delivered."""

    def post(topic, author, body=None):
        with django_capture_on_commit_callbacks(execute=True):
            if body is None:
                return ReplyFactory(topic=topic, author=author)
            return ReplyFactory(topic=topic, author=author, body=body)

    return post


@pytest.fixture
def like(django_capture_on_commit_callbacks):
    def react(post, actor):
        with django_capture_on_commit_callbacks(execute=True):
            forum_services.toggle_reaction(actor=actor, post=post)

    return react


def text(response):
    return response.content.decode()


def bell_of(user):
    return User.objects.get(pk=user.pk).unread_notifications


def lines(response):
    """The inbox lines as a member reads them: (unread?, sentence without tags)."""
    found = []
    for classes, body in re.findall(r'<li class="notification([^"]*)">(.*?)</li>', text(response), re.S):
        link = re.search(r'<a class="notification-link"[^>]*>(.*?)</a>', body, re.S).group(1)
        sentence = re.sub(r"<span class=\"visually-hidden\">.*?</span>", "", link)
        found.append(("unread" in classes, " ".join(re.sub(r"<[^>]+>", "", sentence).split())))
    return found


def link_ids(response):
    return [int(pk) for pk in re.findall(r'class="notification-link" href="/notifications/(\d+)/"', text(response))]


def selected(response, kind):
    select = re.search(rf'<select id="id_channel-{kind}".*?</select>', text(response), re.S).group(0)
    return re.search(r'<option value="(\w+)" selected>', select).group(1)


def member_choices(**overrides):
    choices = {"mention": "immediate", "reply": "immediate", "watched_topic": "daily", "watched_forum": "daily",
               "reaction": "onsite", "moderation": "immediate"}
    choices.update(overrides)
    return {f"channel-{kind}": channel for kind, channel in choices.items()}


def cm_choices(**overrides):
    data = member_choices(cm_report="immediate", cm_watched_word="daily")
    data.update({"quiet_start": "", "quiet_end": "", "time_zone": "UTC"})
    data.update(overrides)
    return data


# --- the bell ------------------------------------------------------------------------------------------------

def test_the_bell_shows_how_many_notifications_are_unread_and_says_it_to_screen_readers(member_client, my_topic,
                                                                                         nina, paul, reply):
    reply(my_topic, nina)
    reply(my_topic, paul)

    html = text(member_client.get("/"))

    assert re.search(r'<span class="bell-count" aria-hidden="true">2</span>', html)
    assert '<span class="visually-hidden">2 unread notifications</span>' in html


def test_a_member_with_nothing_new_sees_a_bell_without_a_number(member_client):
    html = text(member_client.get("/"))

    assert 'id="bell"' in html
    assert "bell-count" not in html
    assert '<span class="visually-hidden">Notifications</span>' in html


def test_the_bell_asks_again_every_minute_and_when_the_member_comes_back_to_the_tab(member_client):
    html = text(member_client.get("/"))

    bell = re.search(r'<a class="bell[^>]*>', html).group(0)
    assert 'hx-get="/notifications/bell/"' in bell
    # static/js/tribune.js sends the event every minute while the tab is visible and when the member
    # comes back to it (an htmx trigger filter would need eval, which the Content-Security-Policy forbids).
    assert 'hx-trigger="tribune:bell from:body"' in bell
    assert 'hx-swap="outerHTML"' in bell
    assert '<script src="/static/js/tribune.js" defer></script>' in html


def test_the_bell_fragment_carries_the_new_count(member_client, my_topic, nina, reply):
    member_client.get("/")
    reply(my_topic, nina)

    response = member_client.get("/notifications/bell/", **HTMX)

    assert response.status_code == 200
    assert text(response).startswith('<a class="bell has-unread" id="bell"')
    assert "1 unread notification<" in text(response)
    assert "<html" not in text(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("unread", [0, 7])
def test_the_bell_adds_no_query_to_a_page(client, member, django_assert_num_queries, unread):
    from tests.community.test_pages import QUERIES

    User.objects.filter(pk=member.pk).update(unread_notifications=unread)
    client.force_login(member)
    grants_of(member.pk)  # warm, as QUERIES counts: a member's grants come from the cache

    with django_assert_num_queries(QUERIES[("/", "member")]):
        response = client.get("/")

    assert ("bell-count" in text(response)) == bool(unread)


@pytest.mark.parametrize("unread", [1, 50])
def test_asking_for_the_bell_costs_one_query_whatever_the_count(client, member, django_assert_num_queries, unread):
    User.objects.filter(pk=member.pk).update(unread_notifications=unread)
    client.force_login(member)

    with django_assert_num_queries(1):  # the user (the session comes from the cache)
        response = client.get("/notifications/bell/", **HTMX)

    assert f'<span class="visually-hidden">{unread} unread notification' in text(response)


# --- visitors -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "url"), [
    ("get", "/notifications/"), ("get", "/notifications/?page=2"), ("get", "/notifications/bell/"),
    ("get", "/notifications/preferences/"), ("post", "/notifications/preferences/"),
    ("get", "/notifications/1/"), ("post", "/notifications/1/read/"), ("post", "/notifications/read-all/"),
])
def test_visitors_are_asked_to_log_in_on_every_notifications_page(client, db, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/notifications/")


@pytest.mark.parametrize("url", ["/notifications/1/read/", "/notifications/read-all/"])
@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_read_actions_take_a_post_only(client_as, url, who):
    response = client_as(who).get(url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_tab_left_open_after_logging_out_loses_its_bell_instead_of_showing_the_login_page(client, db):
    response = client.get("/notifications/bell/", **HTMX)

    assert response.status_code == 286  # htmx: swap (nothing) and stop polling
    assert response.content == b""


def test_marking_read_from_a_tab_whose_session_ended_goes_to_the_login_page(client, db):
    response = client.post("/notifications/read-all/", HTTP_HX_CURRENT_URL="http://testserver/forums/", **HTMX)

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/forums/"


# --- the inbox ---------------------------------------------------------------------------------------------

def test_several_members_replying_to_the_same_topic_make_one_line(member_client, my_topic, nina, paul, rita, reply):
    reply(my_topic, nina)
    reply(my_topic, paul)
    reply(my_topic, rita)
    reply(my_topic, rita)

    response = member_client.get("/notifications/")

    assert lines(response) == [(True, "Rita and 2 others replied to “Hello everyone”")]
    assert ">4 new</span>" in text(response)


def test_one_reply_is_told_without_others(member_client, my_topic, nina, reply):
    reply(my_topic, nina, "Welcome, Maya. Glad to see you here.")

    response = member_client.get("/notifications/")

    assert lines(response) == [(True, "Nina replied to “Hello everyone”")]
    assert "Welcome, Maya. Glad to see you here." in text(response)
    assert "Introductions" in text(response)


def test_different_kinds_and_things_make_different_lines_newest_first(member_client, member, forum, my_topic, nina,
                                                                      paul, reply, like):
    other = TopicFactory(forum=forum, author=paul, title="Trail running")
    reply(other, nina, "What do you think, @maya?")
    reply(my_topic, paul)
    forum_services.set_topic_watch(actor=member, topic=other, watching=True)
    like(my_topic.first_post, nina)
    reply(other, paul)

    assert lines(member_client.get("/notifications/")) == [
        (True, "Paul posted in “Trail running”"),
        (True, "Nina liked your post in “Hello everyone”"),
        (True, "Paul replied to “Hello everyone”"),
        (True, "Nina mentioned you in “Trail running”"),
    ]


def test_a_line_that_was_read_comes_back_unread_on_top_with_only_what_is_new(member_client, member, forum, my_topic,
                                                                            nina, paul, rita, reply):
    other = TopicFactory(forum=forum, author=member, title="Second topic")
    reply(my_topic, nina)
    reply(my_topic, paul)
    reply(other, nina)
    member_client.post("/notifications/read-all/")

    reply(my_topic, rita)

    assert lines(member_client.get("/notifications/")) == [
        (True, "Rita replied to “Hello everyone”"),
        (False, "Nina replied to “Second topic”"),
    ]
    assert bell_of(member) == 1


def test_a_read_line_tells_the_whole_story(member_client, my_topic, nina, paul, reply):
    reply(my_topic, nina)
    reply(my_topic, paul)
    member_client.post("/notifications/read-all/")

    assert lines(member_client.get("/notifications/")) == [(False, "Paul and 1 other replied to “Hello everyone”")]


def test_a_line_leads_to_the_first_new_post_and_marks_the_line_read(member_client, member, forum, my_topic, nina,
                                                                   paul, reply):
    other = TopicFactory(forum=forum, author=member, title="Second topic")
    first = reply(my_topic, nina)
    reply(my_topic, paul)
    reply(other, paul)
    inbox = member_client.get("/notifications/")
    hello_line = link_ids(inbox)[1]

    response = member_client.get(f"/notifications/{hello_line}/")

    assert response.status_code == 302
    assert response["Location"] == f"/forums/p/{first.pk}/"
    assert member_client.get(response["Location"], follow=True).status_code == 200
    assert lines(member_client.get("/notifications/")) == [
        (True, "Paul replied to “Second topic”"),
        (False, "Paul and 1 other replied to “Hello everyone”"),
    ]
    assert bell_of(member) == 1


def test_someone_elses_notification_does_not_exist(client, my_topic, nina, paul, reply):
    reply(my_topic, nina)
    notification = Notification.objects.get()
    client.force_login(paul)

    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    assert Notification.objects.get().read_at is None


def test_opening_a_notification_marks_it_read_once_and_only_by_its_own_link(member_client, member, my_topic,
                                                                            nina, reply):
    """GET /notifications/<id>/ changes state (docs/ARCHITECTURE.md, "Requests that change state"):
    only the opener's own notification, the same however often it is opened, and the session cookie
    is SameSite=Lax, so no image, frame or script of another site opens it in a member's name."""
    reply(my_topic, nina)
    notification = Notification.objects.get()

    member_client.get(f"/notifications/{notification.pk}/")
    read_at = Notification.objects.get().read_at
    member_client.get(f"/notifications/{notification.pk}/")

    assert read_at is not None and Notification.objects.get().read_at == read_at
    assert bell_of(member) == 0
    assert member_client.head(f"/notifications/{notification.pk}/").status_code == 302
    login = Client().post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert login.cookies["sessionid"]["samesite"] == "Lax"


@pytest.mark.parametrize("url", ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example/phish",
                                 "javascript:alert(1)", "http://testserver.evil.example/", ""])
def test_an_outside_address_in_a_notification_never_becomes_a_redirect(member_client, member, url):
    notification = Notification.objects.create(recipient=member, kind="mention", group_key="mention:thing:1",
                                               data={"title": "Odd", "url": url})

    response = member_client.get(f"/notifications/{notification.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"


def test_a_post_hidden_since_is_no_longer_shown_in_the_inbox(member_client, member, cm, my_topic, nina, reply):
    post = reply(my_topic, nina, "Something a moderator will hide.")
    forum_services.hide_post(actor=cm, post=post)

    inbox = member_client.get("/notifications/")
    response = member_client.get(f"/notifications/{link_ids(inbox)[0]}/", follow=True)

    assert "Something a moderator will hide." not in text(inbox)
    assert "This content is no longer available." in text(inbox)
    assert response.redirect_chain == [("/notifications/", 302)]
    assert "That content is no longer available." in text(response)
    assert bell_of(member) == 0


def test_titles_and_excerpts_are_shown_as_text_not_html(member_client, forum, member, nina, reply):
    topic = TopicFactory(forum=forum, author=member, title="<script>alert('title')</script>")
    reply(topic, nina, "<img src=x onerror=alert(1)> hello")

    html = text(member_client.get("/notifications/"))

    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_an_empty_inbox_says_what_will_show_there(member_client):
    response = member_client.get("/notifications/")

    assert response.status_code == 200
    assert "Nothing here yet. Replies, mentions and news about your content will show here." in text(response)
    assert "Mark all as read" not in text(response)


def many_groups(member, count):
    """`count` lines in maya's inbox, one per topic (made at once: pagination is not about fan-out)."""
    Notification.objects.bulk_create(
        Notification(recipient=member, kind="reply", group_key=f"reply:topic:{n}",
                     data={"title": f"Topic {n}", "url": f"/forums/p/{n}/"})
        for n in range(count)
    )


def test_the_inbox_shows_thirty_lines_a_page(member_client, member):
    many_groups(member, PER_PAGE + 1)

    first = member_client.get("/notifications/")
    second = member_client.get("/notifications/?page=2")

    assert len(lines(first)) == PER_PAGE
    assert 'rel="next" href="?page=2"' in text(first)
    assert len(lines(second)) == 1
    assert 'rel="prev" href="?page=1"' in text(second)


@pytest.mark.parametrize("page", ["abc", "3", "0", "-1", "1.5"])
def test_an_inbox_page_that_does_not_exist_is_a_404(member_client, member, page):
    many_groups(member, PER_PAGE + 1)

    assert member_client.get(f"/notifications/?page={page}").status_code == 404


def fill_inbox(member, count, reply, like):
    """`count` notifications for maya from five members: replies to her topics (one line per topic),
    mentions every third post and likes of her posts."""
    forum = ForumFactory()
    actors = UserFactory.create_batch(5)
    topics = [TopicFactory(forum=forum, author=member) for _ in range(max(1, count // 3))]
    made = 0
    while made < count:
        topic = topics[made % len(topics)]
        actor = actors[made % len(actors)]
        if made % 7 == 6:
            like(topic.first_post, actor)
        else:
            reply(topic, actor, f"Post {made}" + (" for @maya" if made % 3 == 2 else ""))
        made += 1
    assert Notification.objects.filter(recipient=member).count() in (count, count - 1)  # a like may repeat


@pytest.mark.parametrize("count", [1, 50])
def test_the_inbox_runs_a_fixed_number_of_queries_whatever_the_lines_and_members(client, member, reply, like,
                                                                                django_assert_num_queries, count):
    fill_inbox(member, count, reply, like)
    client.force_login(member)

    # user, count of lines, the page of lines, their newest notifications with actors and avatars,
    # the posts behind them (one query per content kind); the roles come from the cache
    # (community.permissions.grants, warm: the member was notified while the test was set up)
    with django_assert_num_queries(5):
        response = client.get("/notifications/")

    assert response.status_code == 200
    assert len(lines(response)) == min(Notification.objects.values("group_key").distinct().count(), PER_PAGE)


# --- read marks ---------------------------------------------------------------------------------------------

def test_marking_one_line_read_lowers_the_bell_and_keeps_the_others_unread(member_client, member, forum, my_topic,
                                                                          nina, paul, reply):
    other = TopicFactory(forum=forum, author=member, title="Second topic")
    reply(my_topic, nina)
    reply(my_topic, paul)
    reply(other, paul)
    hello_line = link_ids(member_client.get("/notifications/"))[1]

    response = member_client.post(f"/notifications/{hello_line}/read/")

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert [unread for unread, _sentence in lines(member_client.get("/notifications/"))] == [True, False]
    assert bell_of(member) == 1


def test_marking_a_line_read_with_htmx_gives_the_line_and_the_bell(member_client, member, my_topic, nina, reply):
    reply(my_topic, nina)
    line = link_ids(member_client.get("/notifications/"))[0]

    response = member_client.post(f"/notifications/{line}/read/", **HTMX)

    assert response.status_code == 200
    assert lines(response) == [(False, "Nina replied to “Hello everyone”")]
    assert "Mark as read" not in text(response)
    bell = re.search(r'<a class="bell[^>]*>', text(response)).group(0)
    assert 'hx-swap-oob="true"' in bell and "bell-count" not in text(response)
    assert bell_of(member) == 0


def test_marking_a_line_read_from_page_two_comes_back_to_page_two(member_client, member):
    many_groups(member, PER_PAGE + 1)
    notification = Notification.objects.order_by("pk").first()

    response = member_client.post(f"/notifications/{notification.pk}/read/", {"page": "2"})

    assert response["Location"] == "/notifications/?page=2"


def test_mark_all_read_empties_the_bell_and_says_so(member_client, member, my_topic, nina, paul, reply):
    reply(my_topic, nina)
    reply(my_topic, paul, "Hey @maya")

    response = member_client.post("/notifications/read-all/", follow=True)

    assert "All notifications are marked as read." in text(response)
    assert [unread for unread, _sentence in lines(response)] == [False, False]
    assert bell_of(member) == 0
    assert "bell-count" not in text(response)


def test_mark_all_read_with_htmx_answers_with_the_bell(member_client, member, my_topic, nina, reply):
    reply(my_topic, nina)

    response = member_client.post("/notifications/read-all/", **HTMX)

    assert text(response).startswith('<a class="bell" id="bell"')
    assert bell_of(member) == 0


def test_read_marks_are_only_ever_posted(member_client, member, my_topic, nina, reply):
    reply(my_topic, nina)
    notification = Notification.objects.get()

    assert member_client.get("/notifications/read-all/").status_code == 405
    assert member_client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    assert bell_of(member) == 1


def test_the_bell_never_goes_below_zero_when_its_counter_drifted(member_client, member, my_topic, nina, paul, reply):
    reply(my_topic, nina)
    reply(my_topic, paul)
    User.objects.filter(pk=member.pk).update(unread_notifications=1)

    member_client.get(f"/notifications/{Notification.objects.filter(recipient=member).first().pk}/")

    assert bell_of(member) == 0


# --- opening a topic ------------------------------------------------------------------------------------------

def test_opening_a_topic_reads_what_the_bell_said_about_it(member_client, member, forum, my_topic, nina, paul,
                                                            reply):
    other = TopicFactory(forum=forum, author=member, title="Second topic")
    reply(my_topic, nina)
    reply(my_topic, paul, "And @maya, welcome!")
    reply(other, paul)
    assert bell_of(member) == 3

    response = member_client.get(my_topic.get_absolute_url())

    assert '<span class="bell-count" aria-hidden="true">1</span>' in text(response)
    assert bell_of(member) == 1
    assert lines(member_client.get("/notifications/")) == [
        (True, "Paul replied to “Second topic”"),
        (False, "Paul mentioned you in “Hello everyone”"),
        (False, "Nina replied to “Hello everyone”"),
    ]


def test_opening_a_topic_with_the_bell_at_zero_does_not_touch_notifications(member_client, member, my_topic, nina,
                                                                             reply):
    reply(my_topic, nina)
    member_client.post("/notifications/read-all/")

    with CaptureQueriesContext(connection) as queries:
        response = member_client.get(my_topic.get_absolute_url())

    assert response.status_code == 200
    assert not [q["sql"] for q in queries if "community_notification" in q["sql"]]


# --- preferences --------------------------------------------------------------------------------------------

def test_preferences_start_from_the_defaults_of_each_kind(member_client):
    response = member_client.get("/notifications/preferences/")

    assert response.status_code == 200
    assert selected(response, "mention") == Channel.IMMEDIATE
    assert selected(response, "reply") == Channel.IMMEDIATE
    assert selected(response, "watched_topic") == Channel.DAILY
    assert selected(response, "reaction") == Channel.ONSITE
    assert "Email at once (default)" in text(response)


def test_likes_are_never_offered_one_email_each(member_client):
    html = text(member_client.get("/notifications/preferences/"))

    likes = re.search(r'<select id="id_channel-reaction".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\w+)"', likes) == ["onsite", "daily", "weekly", "off"]


def test_a_member_chooses_a_channel_per_kind(member_client, member):
    response = member_client.post("/notifications/preferences/",
                                  member_choices(watched_topic="weekly", reaction="off"), follow=True)

    assert "Your notification preferences are saved." in text(response)
    assert selected(response, "watched_topic") == Channel.WEEKLY
    assert selected(response, "reaction") == Channel.OFF
    assert NotificationPreference.objects.get(user=member, kind="reaction").channel == Channel.OFF


def test_a_channel_that_is_not_offered_is_refused_with_a_message_and_the_other_choices_kept(member_client, member):
    response = member_client.post("/notifications/preferences/",
                                  member_choices(reaction="immediate", watched_topic="weekly"))

    assert response.status_code == 400
    assert "Choose one of the offered channels." in text(response)
    assert 'id="id_channel-reaction" name="channel-reaction" aria-invalid="true"' in text(response)
    assert selected(response, "watched_topic") == Channel.WEEKLY
    assert selected(response, "reaction") == Channel.ONSITE
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_members_never_see_the_alerts_of_community_managers(member_client):
    html = text(member_client.get("/notifications/preferences/"))

    assert "cm_report" not in html and "cm_watched_word" not in html
    assert "Quiet hours" not in html


def test_members_cannot_set_alerts_or_quiet_hours_by_forging_the_form(member_client, member):
    forged = member_choices(**{"cm_report": "off"})
    forged.update({"channel-cm_report": "off", "quiet_start": "22:00", "quiet_end": "07:00", "time_zone": "UTC"})

    response = member_client.post("/notifications/preferences/", forged)

    assert response.status_code == 302
    assert not NotificationPreference.objects.filter(user=member, kind="cm_report").exists()
    assert not AlertSettings.objects.filter(user=member).exists()


def test_a_community_manager_chooses_alerts_and_quiet_hours(client, cm):
    client.force_login(cm)

    response = client.post("/notifications/preferences/", cm_choices(
        **{"channel-cm_report": "daily", "quiet_start": "22:00", "quiet_end": "07:30", "time_zone": "europe/paris"}),
        follow=True)

    assert "Your notification preferences are saved." in text(response)
    assert selected(response, "cm_report") == Channel.DAILY
    assert 'name="quiet_start" value="22:00"' in text(response)
    assert 'name="time_zone" value="Europe/Paris"' in text(response)
    settings_row = AlertSettings.objects.get(user=cm)
    assert (settings_row.quiet_start, settings_row.quiet_end, settings_row.time_zone) == (
        time(22, 0), time(7, 30), "Europe/Paris")


def test_a_community_manager_may_clear_quiet_hours(client, cm):
    AlertSettings.objects.create(user=cm, quiet_start=time(22), quiet_end=time(7))
    client.force_login(cm)

    client.post("/notifications/preferences/", cm_choices())

    assert AlertSettings.objects.get(user=cm).quiet_start is None


@pytest.mark.parametrize(("start", "end", "zone", "message"), [
    ("25:00", "07:00", "UTC", "Enter a time like 22:00."),
    ("22:00+01:00", "07:00", "UTC", "Enter a time like 22:00."),
    ("22:00", "", "UTC", "Give both times, or leave both empty."),
    ("22:00", "22:00", "UTC", "Quiet hours must end at another time than they start."),
    ("22:00", "07:00", "Mars/Olympus_Mons", "Unknown time zone: choose one from the list, like Europe/Paris."),
    ("22:00", "07:00", "../../etc/passwd", "Unknown time zone: choose one from the list, like Europe/Paris."),
])
def test_bad_quiet_hours_are_refused_with_a_message_and_what_was_typed_kept(client, cm, start, end, zone, message):
    client.force_login(cm)

    response = client.post("/notifications/preferences/", cm_choices(
        **{"channel-cm_report": "weekly", "quiet_start": start, "quiet_end": end, "time_zone": zone}))

    assert response.status_code == 400
    assert message in text(response)
    assert f'name="quiet_start" value="{start}"' in text(response)
    assert f'name="time_zone" value="{zone}"' in text(response)
    assert selected(response, "cm_report") == Channel.WEEKLY
    assert not AlertSettings.objects.filter(user=cm).exists()
    assert not NotificationPreference.objects.filter(user=cm).exists()


@pytest.mark.parametrize("who", ["member", "cm"])
@pytest.mark.parametrize("chosen", [1, 8])
def test_the_preferences_page_runs_a_fixed_number_of_queries(client, as_role, django_assert_num_queries, who, chosen):
    user = as_role(who)
    kinds = ["mention", "reply", "watched_topic", "watched_forum", "reaction", "moderation", "cm_report",
             "cm_watched_word"][:chosen]
    NotificationPreference.objects.bulk_create(NotificationPreference(user=user, kind=k, channel="off") for k in kinds)
    client.force_login(user)

    # user, roles, the member's choices (+ a community manager's quiet hours)
    with django_assert_num_queries({"member": 3, "cm": 4}[who]):
        response = client.get("/notifications/preferences/")

    assert response.status_code == 200
    assert selected(response, "mention") == Channel.OFF


def test_a_kind_missing_from_the_form_keeps_its_channel(member_client, member):
    """A kind registered while the page was open (a deploy) is not in the POST: the rest is saved."""
    NotificationPreference.objects.create(user=member, kind="reply", channel="daily")
    choices = member_choices(reaction="off")
    del choices["channel-reply"]

    response = member_client.post("/notifications/preferences/", choices, follow=True)

    assert "Your notification preferences are saved." in text(response)
    saved = dict(NotificationPreference.objects.filter(user=member).values_list("kind", "channel"))
    assert saved["reply"] == "daily" and saved["reaction"] == "off"
