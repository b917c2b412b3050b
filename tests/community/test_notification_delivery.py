"""Notification emails (community.notifications.delivery): at once or in digests, checked again
when they go out, with a one-click unsubscribe that needs no session.

SQLite and eager Celery: a reply's after-commit chain (event -> fan-out -> email courier) runs
inside `django_capture_on_commit_callbacks(execute=True)`, as it would after a real commit."""

import re
import smtplib
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from community.models import Event
from community.notifications import Recipients, delivery, services, tasks
from community.notifications.models import Channel, EmailStatus, Notification, NotificationPreference
from forums import services as forum_services
from forums.models import Access, Post
from moderation.notifications import CM_REPORT, CM_WATCHED_WORD
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def forum(db):
    return ForumFactory(name="Bikes", slug="bikes")


@pytest.fixture
def ana(db):
    """Starts the topic: replies to it concern her."""
    return UserFactory(username="ana", display_name="Ana")


@pytest.fixture
def ben(db):
    """Replies."""
    return UserFactory(username="ben", display_name="Ben")


@pytest.fixture
def cleo(db):
    """Watches the topic: she hears of new posts in a digest."""
    return UserFactory(username="cleo", display_name="Cleo")


@pytest.fixture
def topic(forum, ana, cleo):
    topic = TopicFactory(forum=forum, author=ana, title="Tubeless tyres & rim tape", body="Worth it?")
    forum_services.set_topic_watch(actor=cleo, topic=topic, watching=True)
    return topic


@pytest.fixture
def reply(django_capture_on_commit_callbacks, ben):
    """reply(topic, body): `ben` (or `author`) replies; after commit the event is fanned out and
    the at-once emails are sent, as the workers would."""

    def post(topic, body="Yes, since last spring.", *, author=None):
        with django_capture_on_commit_callbacks(execute=True):
            return ReplyFactory(topic=topic, author=author or ben, body=body)

    return post


@pytest.fixture
def email_courier_lost(monkeypatch):
    """The email task cannot be handed to the broker: the notifications stay pending for the sweeper."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_notification_emails, "apply_async", refuse)


def to(outbox, user):
    return [message for message in outbox if message.to == [user.email]]


def html_of(message):
    (html,) = [body for body, mime in message.alternatives if mime == "text/html"]
    return html


def notification_of(user, kind=None):
    query = Notification.objects.filter(recipient=user)
    if kind:
        query = query.filter(kind=kind)
    return query.get()


def unsubscribe_path(message):
    """The path of the List-Unsubscribe URL, as a mail client reads it from the headers."""
    header = message.message()["List-Unsubscribe"]
    url = re.fullmatch(r"<(.+)>", header).group(1)
    assert url.startswith(f"{SITE}/")
    return url.removeprefix(SITE)


# --- At once --------------------------------------------------------------------------------------------


def test_a_reply_sends_the_topic_author_one_email_linking_to_the_exact_post(topic, ana, reply, mailoutbox):
    post = reply(topic)

    (message,) = to(mailoutbox, ana)
    assert message.subject == "Ben replied in “Tubeless tyres & rim tape”"
    link = f"{SITE}/forums/p/{post.pk}/"
    assert link in message.body
    assert "Yes, since last spring." in message.body
    assert f'href="{link}"' in html_of(message)
    assert "Tubeless tyres &amp; rim tape" in html_of(message)
    headers = message.message()
    assert headers["List-Unsubscribe"].startswith(f"<{SITE}/notifications/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notification_of(ana).email_status == EmailStatus.SENT


def test_the_email_speaks_the_language_of_a_member_who_chose_french(topic, ana, reply, mailoutbox):
    ana.language = "fr"
    ana.save(update_fields=["language"])

    reply(topic)

    (message,) = to(mailoutbox, ana)
    assert message.subject == "Ben a répondu dans « Tubeless tyres & rim tape »"
    assert message.body.startswith("Bonjour Ana,")
    assert "Le lire sur le site" in html_of(message)
    assert 'lang="fr"' in html_of(message)


def test_watchers_get_nothing_at_once_but_one_daily_digest_with_every_waiting_post(
    topic, ana, cleo, reply, mailoutbox
):
    first = reply(topic, "First answer.")
    second = reply(topic, "Second answer, with pictures.")
    assert to(mailoutbox, cleo) == []

    assert tasks.send_digests("daily") == 1

    (digest,) = to(mailoutbox, cleo)
    assert digest.subject == "Your day on Tribune: 2 updates"
    assert "First answer." in digest.body
    assert "Second answer, with pictures." in digest.body
    for post in (first, second):
        assert f"{SITE}/forums/p/{post.pk}/" in digest.body
        assert f'href="{SITE}/forums/p/{post.pk}/"' in html_of(digest)
    assert digest.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(to(mailoutbox, ana)) == 2  # her replies came at once, and not again in a digest


def test_a_member_who_chose_the_weekly_digest_is_left_out_of_the_daily_one(topic, cleo, reply, mailoutbox):
    services.set_preferences(actor=cleo, channels={"watched_topic": Channel.WEEKLY})
    reply(topic)

    tasks.send_digests("daily")
    assert to(mailoutbox, cleo) == []

    tasks.send_digests("weekly")
    (digest,) = to(mailoutbox, cleo)
    assert digest.subject == "Your week on Tribune: 1 update"


def test_an_unconfirmed_address_gets_no_email(topic, ana, reply, mailoutbox):
    EmailAddress.objects.filter(user=ana).update(verified=False)

    reply(topic)

    assert to(mailoutbox, ana) == []
    assert notification_of(ana).email_status == EmailStatus.SKIPPED


def test_a_member_banned_before_the_email_goes_out_gets_none(topic, ana, reply, email_courier_lost, mailoutbox):
    reply(topic)
    assert notification_of(ana).email_status == EmailStatus.PENDING
    ana.banned_at = timezone.now()
    ana.save(update_fields=["banned_at"])

    tasks.sweep_notification_emails.apply()
    delivery.send_pending_emails()

    assert to(mailoutbox, ana) == []
    assert notification_of(ana).email_status == EmailStatus.SKIPPED


def test_no_email_about_a_post_hidden_before_the_email_went_out(topic, ana, cm, reply, email_courier_lost,
                                                                 mailoutbox):
    post = reply(topic)
    forum_services.hide_post(actor=cm, post=post, reason="spam")

    assert delivery.send_pending_emails() == 0

    assert to(mailoutbox, ana) == []
    assert notification_of(ana).email_status == EmailStatus.SKIPPED


def test_no_email_about_a_forum_the_member_can_no_longer_read(forum, topic, ana, reply, email_courier_lost,
                                                              mailoutbox):
    reply(topic)
    forum.access = Access.COMMUNITY_MANAGERS
    forum_services.save_forum(forum=forum)

    delivery.send_pending_emails()

    assert to(mailoutbox, ana) == []
    assert notification_of(ana).email_status == EmailStatus.SKIPPED


def test_a_pending_email_about_a_notification_read_on_the_site_is_not_sent(topic, ana, reply, email_courier_lost,
                                                                          mailoutbox):
    reply(topic)
    services.mark_all_read(actor=ana)

    delivery.send_pending_emails()

    assert to(mailoutbox, ana) == []
    assert notification_of(ana).email_status == EmailStatus.SKIPPED


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_email_the_server_refused_is_sent_by_the_sweeper_later(topic, ana, reply, settings, mailoutbox):
    locmem = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    reply(topic)
    assert notification_of(ana).email_status == EmailStatus.PENDING

    settings.EMAIL_BACKEND = locmem
    assert delivery.send_pending_emails() == 1

    assert len(to(mailoutbox, ana)) == 1
    assert notification_of(ana).email_status == EmailStatus.SENT


def test_sending_the_pending_emails_twice_sends_each_once(topic, ana, reply, email_courier_lost, mailoutbox):
    post = reply(topic)
    event_id = notification_of(ana).event_id

    assert tasks.send_notification_emails(event_id) == 1
    assert tasks.send_notification_emails(event_id) == 0
    assert delivery.send_pending_emails() == 0

    (message,) = to(mailoutbox, ana)
    assert f"/forums/p/{post.pk}/" in message.body


# --- Digests ---------------------------------------------------------------------------------------------


def test_a_digest_leaves_out_the_posts_the_member_already_read_in_the_topic(topic, cleo, reply, mailoutbox):
    read = reply(topic, "An answer she read on the site.")
    forum_services.mark_topic_read(actor=cleo, topic=topic, position=read.position)
    unread = reply(topic, "An answer she has not seen yet.")

    tasks.send_digests("daily")

    (digest,) = to(mailoutbox, cleo)
    assert digest.subject == "Your day on Tribune: 1 update"
    assert f"/forums/p/{unread.pk}/" in digest.body
    assert f"/forums/p/{read.pk}/" not in digest.body
    statuses = dict(Notification.objects.filter(recipient=cleo).values_list("target_id", "email_status"))
    assert statuses == {read.pk: EmailStatus.SKIPPED, unread.pk: EmailStatus.SENT}


def test_a_member_who_read_the_whole_topic_gets_no_digest(topic, cleo, reply, client, mailoutbox):
    reply(topic, "One.")
    reply(topic, "Two.")
    client.force_login(cleo)
    assert client.get(topic.get_absolute_url()).status_code == 200

    assert tasks.send_digests("daily") == 0

    assert to(mailoutbox, cleo) == []


def test_running_the_daily_digest_twice_sends_it_once(topic, cleo, reply, mailoutbox):
    reply(topic)

    assert tasks.send_digests("daily") == 1
    assert tasks.send_digests("daily") == 0

    assert len(to(mailoutbox, cleo)) == 1


def test_a_digest_run_costs_the_same_queries_for_one_waiting_post_as_for_twenty(topic, cleo, ben, mailoutbox):
    post_type = ContentType.objects.get_for_model(Post)

    def waiting_posts(count):
        """`count` replies waiting for cleo's daily digest (written directly: no fan-out)."""
        Notification.objects.all().delete()
        for n in range(count):
            post = ReplyFactory(topic=topic, author=ben, body=f"Answer {n} of {count}.")
            Notification.objects.create(
                recipient=cleo, kind="watched_topic", event=Event.objects.create(kind="content.created"),
                target_type=post_type, target_id=post.pk, group_key=f"watched_topic:topic:{topic.pk}",
                data={"title": topic.title, "url": f"/forums/p/{post.pk}/"}, channel=Channel.DAILY,
                email_status=EmailStatus.DIGEST)

    def queries_of_a_run():
        with CaptureQueriesContext(connection) as run:
            assert delivery.send_digests(period="daily") == 1
        return len(run)

    waiting_posts(1)
    one = queries_of_a_run()
    waiting_posts(20)
    twenty = queries_of_a_run()

    assert one == twenty
    assert to(mailoutbox, cleo)[-1].subject == "Your day on Tribune: 20 updates"


def test_likes_on_my_own_post_reach_my_daily_digest(topic, ana, ben, django_capture_on_commit_callbacks,
                                                    mailoutbox):
    services.set_preferences(actor=ana, channels={"reaction": Channel.DAILY})
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.toggle_reaction(actor=ben, post=topic.first_post)

    assert tasks.send_digests("daily") == 1

    (digest,) = to(mailoutbox, ana)
    assert "Likes on my posts: Tubeless tyres & rim tape" in digest.body


def test_a_digest_in_french_for_a_member_who_chose_french(topic, cleo, reply, mailoutbox):
    cleo.language = "fr"
    cleo.save(update_fields=["language"])
    reply(topic, "First.")
    reply(topic, "Second.")

    tasks.send_digests("daily")

    (digest,) = to(mailoutbox, cleo)
    assert digest.subject == "Votre journée sur Tribune : 2 nouveautés"
    assert "Un nouveau message dans un sujet que je suis : Tubeless tyres & rim tape" in digest.body
    assert "Arrêter les e-mails récapitulatifs" in html_of(digest)


def test_a_long_digest_lists_the_latest_items_and_counts_the_rest(topic, cleo, reply, monkeypatch, mailoutbox):
    monkeypatch.setattr(delivery, "DIGEST_MAX_ITEMS", 2)
    oldest, middle, latest = (reply(topic, f"Answer {n}.") for n in (1, 2, 3))

    assert tasks.send_digests("daily") == 1

    (digest,) = to(mailoutbox, cleo)
    assert digest.subject == "Your day on Tribune: 3 updates"
    assert f"/forums/p/{latest.pk}/" in digest.body and f"/forums/p/{middle.pk}/" in digest.body
    assert f"/forums/p/{oldest.pk}/" not in digest.body
    assert f"And 1 more on the site: {SITE}/notifications/" in digest.body
    assert set(Notification.objects.filter(recipient=cleo).values_list("email_status", flat=True)) == {
        EmailStatus.SENT}


def test_an_unknown_digest_period_is_refused(cleo):
    with pytest.raises(ValueError, match="hourly"):
        tasks.send_digests("hourly")


# --- Unsubscribe -----------------------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_for_confirmation_without_a_session(topic, ana, reply, mailoutbox):
    reply(topic)
    path = unsubscribe_path(to(mailoutbox, ana)[0])

    response = Client().get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop the emails for “A reply to my topic or post”?" in page
    assert '<form method="post"' in page
    assert not NotificationPreference.objects.filter(user=ana).exists()


def test_a_one_click_post_unsubscribes_and_cancels_the_pending_emails_of_that_kind(
    topic, ana, reply, email_courier_lost, mailoutbox
):
    reply(topic, "First.")
    path = reverse("community:unsubscribe", kwargs={"token": delivery.unsubscribe_token(ana.pk, "reply")})

    response = Client().post(path, "List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert "Done: you will no longer get emails for “A reply to my topic or post”." in response.content.decode()
    assert NotificationPreference.objects.get(user=ana, kind="reply").channel == Channel.ONSITE
    assert delivery.send_pending_emails() == 0
    assert notification_of(ana).email_status == EmailStatus.SKIPPED
    assert to(mailoutbox, ana) == []


def test_after_unsubscribing_the_next_reply_is_only_on_the_site(topic, ana, reply, mailoutbox):
    reply(topic, "First.")
    Client().post(unsubscribe_path(to(mailoutbox, ana)[0]))

    reply(topic, "Second.")

    assert len(to(mailoutbox, ana)) == 1
    latest = Notification.objects.filter(recipient=ana).order_by("-pk").first()
    assert (latest.channel, latest.email_status) == (Channel.ONSITE, EmailStatus.NONE)


def test_a_tampered_unsubscribe_link_is_refused_with_a_clear_page(ana):
    token = delivery.unsubscribe_token(ana.pk, "reply")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    path = reverse("community:unsubscribe", kwargs={"token": tampered})

    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=ana).exists()


def test_the_digest_unsubscribe_link_stops_the_digests(topic, cleo, reply, mailoutbox):
    reply(topic, "First.")
    tasks.send_digests("daily")
    (digest,) = to(mailoutbox, cleo)
    reply(topic, "Second.")

    response = Client().post(unsubscribe_path(digest), "List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert "Done: you will no longer get digest emails." in response.content.decode()
    assert NotificationPreference.objects.get(user=cleo, kind="watched_topic").channel == Channel.ONSITE
    assert tasks.send_digests("daily") == 0
    assert len(to(mailoutbox, cleo)) == 1


# --- Quiet hours for community managers -----------------------------------------------------------------


def alert_for(cm, kind):
    event = Event.objects.create(kind="moderation.alert", payload={})
    to_email = services.fan_out(event, Recipients(
        kinds={cm.pk: kind.name}, group_key=f"alert:{event.pk}",
        data={"title": "Watched word in Bikes", "url": "/moderation/", "excerpt": "Buy cheap pills now."}))
    return event, to_email


@pytest.mark.parametrize("kind", [CM_WATCHED_WORD, CM_REPORT], ids=lambda kind: kind.name)
def test_an_alert_during_a_cms_quiet_hours_waits_for_the_daily_digest(cm, kind, mailoutbox):
    now = timezone.now()
    services.set_quiet_hours(actor=cm, start=(now - timedelta(hours=1)).time(),
                             end=(now + timedelta(hours=1)).time(), time_zone="UTC")

    event, to_email = alert_for(cm, kind)
    assert to_email == []
    assert delivery.send_pending_emails() == 0
    assert to(mailoutbox, cm) == []

    assert tasks.send_digests("daily") == 1
    (digest,) = to(mailoutbox, cm)
    assert "Watched word in Bikes" in digest.body
    assert f"{SITE}/moderation/" in digest.body


def test_an_alert_outside_quiet_hours_is_emailed_at_once(cm, mailoutbox):
    now = timezone.now()
    services.set_quiet_hours(actor=cm, start=(now + timedelta(hours=1)).time(),
                             end=(now + timedelta(hours=2)).time(), time_zone="UTC")

    event, to_email = alert_for(cm, CM_WATCHED_WORD)
    assert len(to_email) == 1
    assert tasks.send_notification_emails(event.pk) == 1

    (message,) = to(mailoutbox, cm)
    assert message.subject == "News in “Watched word in Bikes”"
    assert tasks.send_digests("daily") == 0


def test_the_digest_unsubscribe_link_also_stops_alerts_held_by_quiet_hours(cm, mailoutbox):
    now = timezone.now()
    services.set_quiet_hours(actor=cm, start=(now - timedelta(hours=1)).time(),
                             end=(now + timedelta(hours=1)).time(), time_zone="UTC")
    alert_for(cm, CM_REPORT)
    token = delivery.unsubscribe_token(cm.pk, "digest")

    response = Client().post(reverse("community:unsubscribe", kwargs={"token": token}))

    assert response.status_code == 200
    assert tasks.send_digests("daily") == 0
    assert to(mailoutbox, cm) == []
