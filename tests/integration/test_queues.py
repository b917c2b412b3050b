"""Heavy work leaves the default queue: a burst of new posts is spam-checked on the `spam` queue,
and a welcome email (the `email` queue) goes out at once meanwhile, with the real worker; a
password-reset email, which allauth sends in the request itself (its adapter's send_mail, through
the web process's email backend: no task, no queue), is not delayed by the burst either."""

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from community import events, writing
from community.models import Event, EventStatus, SpamStatus, Visibility
from forums.models import Post
from moderation.models import SpamCheck
from tests.factories import TopicFactory, UserFactory

from .harness import wait_for
from .test_outbox import MAX_REQUEST_SECONDS, WELCOME_SUBJECT, sign_up_and_confirm, timed

pytestmark = pytest.mark.integration

BURST = 2000


def burst_of_new_posts(count):
    """`count` new replies with their "content.created" events, written in bulk (as `count` members
    posting at once would leave them), then handed to the broker as the outbox does after commit."""
    author = UserFactory(username="burst", trust_level=1)
    topic = TopicFactory(author=author, title="A busy evening", body="Everyone is posting tonight.")
    now = timezone.now()
    posts = Post.objects.bulk_create([
        Post(topic=topic, author=author, position=2 + i, body=f"Reply {i} of the evening, about tyres.",
             body_html=f"<p>Reply {i} of the evening, about tyres.</p>", created_at=now,
             status=Visibility.PUBLISHED, spam_status=SpamStatus.PENDING,
             fingerprint=writing.fingerprint(author.pk, f"Reply {i}"))
        for i in range(count)])
    post_type = ContentType.objects.get_for_model(Post)
    rows = Event.objects.bulk_create([
        Event(kind=events.CONTENT_CREATED, actor=author, target_type=post_type, target_id=post.pk,
              payload={"kind": "forums.post", "topic": topic.pk, "forum": topic.forum_id,
                       "position": post.position, "mentions": []})
        for post in posts])
    for row in rows:
        events.enqueue(row.pk, row.kind)
    return rows


def test_a_burst_of_new_posts_is_checked_on_the_spam_queue_and_does_not_delay_a_welcome_email(
        client, celery_worker, worker_mail, redis_server):
    burst = burst_of_new_posts(BURST)
    broker = redis_server.client()
    # Where the couriers went: the content checks on "spam", nothing on "default".
    assert broker.llen("spam") > BURST // 2
    assert broker.llen("default") == 0

    started = time.monotonic()
    user, _ = sign_up_and_confirm(client, "bea")
    wait_for(lambda: worker_mail.to("bea@example.com", WELCOME_SUBJECT), timeout=20,
             message="the welcome email, during the burst")
    waited = time.monotonic() - started

    still_pending = Event.objects.filter(pk__in=[row.pk for row in burst], status=EventStatus.PENDING).count()
    assert still_pending > BURST // 2, f"the burst was nearly done ({still_pending} left): the test proves nothing"
    assert waited < 10, f"the welcome email waited {waited:.1f}s behind the burst"
    # The burst is being checked, by the same worker, from its own queue.
    wait_for(lambda: SpamCheck.objects.filter(object_id__in=[row.target_id for row in burst]).exists(),
             timeout=30, message="the burst's spam checks")

    broker.delete("spam")  # drop the rest of the burst: the test's point is made


def test_a_burst_of_queued_spam_checks_does_not_delay_a_password_reset_email(
        client, celery_worker, redis_server, mailoutbox):
    UserFactory(username="rosa")
    burst = burst_of_new_posts(BURST)
    broker = redis_server.client()
    assert broker.llen("spam") > BURST // 2

    response, seconds = timed(client.post, reverse("account_reset_password"), {"email": "rosa@example.com"})
    assert response.status_code == 302, response.content.decode()[:2000]
    # Sent by the request itself (pytest-django's locmem backend stands for the web process's SMTP):
    # it is there when the response is, whatever waits on the broker.
    [email] = [message for message in mailoutbox if message.to == ["rosa@example.com"]]
    assert seconds < MAX_REQUEST_SECONDS, f"the password reset took {seconds:.1f}s during the burst"
    assert broker.llen("default") == 0  # nothing of it (nor of the burst) was queued on "default"
    still_pending = Event.objects.filter(pk__in=[row.pk for row in burst], status=EventStatus.PENDING).count()
    assert still_pending > BURST // 2, f"the burst was nearly done ({still_pending} left): the test proves nothing"
    # And the link works at once.
    link = next(word for word in email.body.split() if "/accounts/password/reset/key/" in word)
    key_page = client.get(link[link.index("/accounts/"):], follow=True)
    assert key_page.status_code == 200 and b'name="password1"' in key_page.content

    broker.delete("spam")  # drop the rest of the burst: the test's point is made
