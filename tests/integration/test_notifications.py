"""Notifications end to end: a reply through the real view, the event delivered by the real worker,
fanned out, and the email sent by real SMTP to a local sink (see conftest.py: `worker_mail`).

Also the outage the outbox exists for: with Redis down, replies that concern several members are
posted; once Redis is back, the sweepers deliver every notification exactly once and every
at-once email exactly once.
"""

import re
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from community import events
from community.models import Event, EventStatus
from community.notifications import delivery
from community.notifications import tasks as notification_tasks
from community.notifications.models import Channel, EmailStatus, Notification, NotificationPreference
from forums import services as forum_services
from forums.models import Post
from tests.factories import ForumFactory, TopicFactory, UserFactory

from .harness import wait_for

pytestmark = pytest.mark.integration

SITE = "http://127.0.0.1:8000"  # settings.SITE_URL of the worker (the default)
TITLE = "Tubeless tyres & rim tape"
MAX_REQUEST_SECONDS = 5



def reply_through_the_view(user, topic, body):
    client = Client()
    client.force_login(user)
    response = client.post(reverse("forums:reply", kwargs={"topic_id": topic.pk}), {"body": body})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.filter(topic=topic, author=user).latest("position")


def one_email(worker_mail, user, subject_contains="", timeout=30):
    """Wait for the SMTP sink to receive an email for `user`; there must be exactly one."""
    wait_for(lambda: worker_mail.to(user.email, subject_contains), timeout=timeout,
             message=f"an email to {user.email}")
    (message,) = worker_mail.to(user.email, subject_contains)
    return message


def test_a_reply_is_emailed_by_smtp_with_both_parts_and_a_one_click_unsubscribe(worker_mail):
    ana, ben = UserFactory(username="ana", display_name="Ana"), UserFactory(username="ben", display_name="Ben")
    topic = TopicFactory(forum=ForumFactory(name="Bikes"), author=ana, title=TITLE)

    post = reply_through_the_view(ben, topic, "Yes, since last spring.")

    message = one_email(worker_mail, ana)
    assert str(message["Subject"]).strip() == f"Ben replied in “{TITLE}”"
    assert message["To"] == "ana@example.com"
    assert message.get_content_type() == "multipart/alternative"
    link = f"{SITE}/forums/p/{post.pk}/"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert link in text and "Yes, since last spring." in text
    assert f'href="{link}"' in html and "Tubeless tyres &amp; rim tape" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Folded onto its own line (the URL is long): unfolding leaves leading whitespace.
    unsubscribe = re.fullmatch(r"<(.+)>", str(message["List-Unsubscribe"]).strip()).group(1)
    assert unsubscribe.startswith(f"{SITE}/notifications/unsubscribe/")
    assert unsubscribe in text

    # What a mail client does (RFC 8058): POST the URL from the header, with no cookie at all.
    mail_client = Client()
    response = mail_client.post(unsubscribe.removeprefix(SITE), "List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "sessionid" not in mail_client.cookies
    assert NotificationPreference.objects.get(user=ana, kind="reply").channel == Channel.ONSITE

    # The next reply is on the site only.
    reply_through_the_view(ben, topic, "And the rim tape matters more than the tyre.")
    wait_for(lambda: Notification.objects.filter(recipient=ana).count() == 2, timeout=30,
             message="the second notification")
    assert Notification.objects.filter(recipient=ana).order_by("-pk").first().email_status == EmailStatus.NONE
    assert len(worker_mail.to(ana.email)) == 1


def test_the_worker_sends_the_daily_digest_by_smtp(worker_mail):
    ana, ben, cleo = (UserFactory(username=name, display_name=name.title()) for name in ("ana2", "ben2", "cleo2"))
    topic = TopicFactory(forum=ForumFactory(name="Bikes"), author=ana, title=TITLE)
    forum_services.set_topic_watch(actor=cleo, topic=topic, watching=True)
    posts = [reply_through_the_view(ben, topic, body) for body in ("First answer.", "Second answer.")]
    wait_for(lambda: Notification.objects.filter(recipient=cleo, email_status=EmailStatus.DIGEST).count() == 2,
             timeout=30, message="both notifications waiting for the digest")
    assert worker_mail.to(cleo.email) == []

    notification_tasks.send_digests.delay("daily")

    digest = one_email(worker_mail, cleo, "Your day on")
    assert str(digest["Subject"]).strip() == "Your day on Tribune: 2 updates"
    text = digest.get_body(("plain",)).get_content()
    for post in posts:
        assert f"{SITE}/forums/p/{post.pk}/" in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_second_courier_of_the_same_email_sends_nothing_and_does_not_wait(celery_worker, worker_mail):
    ana = UserFactory(username="ana4")
    event = Event.objects.create(kind="moderation.decision", status=EventStatus.DONE)
    notification = Notification.objects.create(
        recipient=ana, kind="moderation", event=event, group_key="moderation:1", channel=Channel.IMMEDIATE,
        email_status=EmailStatus.PENDING, data={"title": "Your post was restored", "url": "/forums/"})

    # A first courier is claiming the row (it holds its lock): a second one skips it at once.
    with transaction.atomic():
        Notification.objects.select_for_update().get(pk=notification.pk)
        second = notification_tasks.send_notification_emails.apply_async(args=[event.pk])
        (run,) = celery_worker.wait_for_tasks(second.id)
        assert run.result == "0"
    # Once the claim is released the row is still pending: the next courier sends it, once.
    runs = [celery_worker.wait_for_tasks(notification_tasks.send_notification_emails.delay(event.pk).id)[0]
            for _ in range(2)]
    assert [run.result for run in runs] == ["1", "0"]
    message = one_email(worker_mail, ana)
    assert str(message["Subject"]).strip() == "A moderation decision about “Your post was restored”"
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT


def test_replies_posted_while_redis_is_down_notify_everyone_exactly_once(
    settings, celery_worker, redis_server, worker_mail
):
    ana, ben, cleo, dan, eve = (UserFactory(username=name, display_name=name.title())
                                for name in ("ana3", "ben3", "cleo3", "dan3", "eve3"))
    topic = TopicFactory(forum=ForumFactory(name="Bikes"), author=ana, title=TITLE)
    forum_services.set_topic_watch(actor=cleo, topic=topic, watching=True)
    clients = {}
    for user in (ben, dan):
        clients[user] = Client()
        clients[user].force_login(user)
    wait_for(lambda: not Event.objects.filter(status=EventStatus.PENDING).exists(), timeout=30,
             message="the topic's event to be delivered")

    redis_server.stop()
    try:
        started = time.monotonic()
        first = clients[ben].post(reverse("forums:reply", kwargs={"topic_id": topic.pk}),
                                  {"body": "Agreed with @dan3 and @eve3."})
        second = clients[dan].post(reverse("forums:reply", kwargs={"topic_id": topic.pk}),
                                   {"body": "Thanks @ben3, that settles it."})
        seconds = time.monotonic() - started
        assert (first.status_code, second.status_code) == (302, 302)
        assert seconds < 2 * MAX_REQUEST_SECONDS, f"two replies took {seconds:.1f}s with Redis down"
        pending = list(Event.objects.filter(status=EventStatus.PENDING, kind="content.created"))
        assert len(pending) == 2  # recorded with the replies; no courier could be sent
    finally:
        redis_server.start()
    celery_worker.wait_until_queue_declared(redis_server, timeout=45)
    assert Notification.objects.count() == 0

    # Beat's sweepers, run from this (web-like) process: twice, as an impatient beat would.
    assert events.resend_stale_events(older_than=timedelta(0)) == 2
    events.resend_stale_events(older_than=timedelta(0))
    wait_for(lambda: not Event.objects.filter(status=EventStatus.PENDING).exists(), timeout=30,
             message="both replies' events to be delivered")
    # The email sweeper sends what is still pending (the worker's own courier may be racing it),
    # through the same SMTP sink.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = worker_mail.host, worker_mail.port
    delivery.send_pending_emails()
    delivery.send_pending_emails()
    wait_for(lambda: not Notification.objects.filter(
        email_status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).exists(),
        timeout=30, message="every at-once email to be sent")

    reply_by_ben, reply_by_dan = Post.objects.filter(topic=topic, position__gt=1).order_by("position")
    told = sorted((n.recipient.username, n.target_id, n.kind) for n in Notification.objects.select_related("recipient"))
    assert told == sorted([
        ("ana3", reply_by_ben.pk, "reply"), ("dan3", reply_by_ben.pk, "mention"),
        ("eve3", reply_by_ben.pk, "mention"), ("cleo3", reply_by_ben.pk, "watched_topic"),
        ("ana3", reply_by_dan.pk, "reply"), ("ben3", reply_by_dan.pk, "mention"),
        ("cleo3", reply_by_dan.pk, "watched_topic"),
    ])
    addresses = {user.email for user in (ana, ben, cleo, dan, eve)}
    emailed = sorted((str(m["To"]), re.search(r"/forums/p/(\d+)/", m.get_body(("plain",)).get_content()).group(1))
                     for m in worker_mail.messages() if str(m["To"]) in addresses)
    assert emailed == sorted([
        ("ana3@example.com", str(reply_by_ben.pk)), ("eve3@example.com", str(reply_by_ben.pk)),
        ("ana3@example.com", str(reply_by_dan.pk)), ("ben3@example.com", str(reply_by_dan.pk)),
    ])
    status = {(n.recipient.username, n.target_id): n.email_status
              for n in Notification.objects.select_related("recipient")}
    # Dan replied after Ben's mention of him: by the time the email could go out he had read the
    # topic past it (replying marks it read), so he is not emailed about it.
    assert status[("dan3", reply_by_ben.pk)] == EmailStatus.SKIPPED
    assert status[("cleo3", reply_by_ben.pk)] == status[("cleo3", reply_by_dan.pk)] == EmailStatus.DIGEST
