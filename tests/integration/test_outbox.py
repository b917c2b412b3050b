"""The outbox end to end: requests record Events, a real Celery worker delivers them.

The welcome email is the example: allauth confirms the address in the web process, the adapter
records a `community.welcome` Event and enqueues `community.deliver_event` after commit; the
worker (a separate process, see conftest.py) sends the email and marks the row done.
"""

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community import events
from community.models import Event, EventStatus, User
from community.services import WELCOME_EVENT
from community.tasks import deliver_event, sweep_events
from tests.factories import PASSWORD, UserFactory

from .harness import wait_for

pytestmark = pytest.mark.integration

WELCOME_SUBJECT = "Welcome to"
# A request must answer quickly even when Redis is down (publishing fails fast, the cache degrades).
MAX_REQUEST_SECONDS = 5


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def sign_up_and_confirm(client, username):
    """Sign up through allauth's views, then follow the link of the confirmation email.

    Returns the user and how long each request took.
    """
    address = f"{username}@example.com"
    response, signup_seconds = timed(client.post, reverse("account_signup"), {
        "username": username, "email": address, "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    # allauth sends the confirmation in the web process (pytest-django's locmem backend).
    confirmations = [message for message in mail.outbox if address in message.to]
    assert len(confirmations) == 1
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", confirmations[0].body)
    assert link, confirmations[0].body
    response, confirm_seconds = timed(client.post, link.group(0))
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username=username)
    assert EmailAddress.objects.get(user=user, email=address).verified
    return user, (signup_seconds, confirm_seconds)


def welcome_event(user):
    return Event.objects.get(kind=WELCOME_EVENT, key=f"welcome:{user.pk}")


def wait_until_done(event, timeout=20):
    def done():
        event.refresh_from_db()
        return event.status == EventStatus.DONE

    wait_for(done, timeout=timeout, message=f"event {event.pk} to be done (it is {event.status})")
    return event


def record_welcome_without_courier(user, **fields):
    """A pending welcome Event written straight to the database: no task was sent for it."""
    return Event.objects.create(
        kind=WELCOME_EVENT, key=f"welcome:{user.pk}", actor=user,
        target_type=ContentType.objects.get_for_model(User), target_id=user.pk, **fields,
    )


def test_a_task_sent_from_a_request_is_run_by_the_worker(client, celery_worker, worker_mail):
    user, _ = sign_up_and_confirm(client, "ada")

    event = wait_until_done(welcome_event(user))

    assert event.attempts == 1
    assert event.last_error == ""
    assert event.processed_at is not None
    welcome = worker_mail.to("ada@example.com", WELCOME_SUBJECT)
    assert len(welcome) == 1
    assert "ada" in welcome[0].get_body(("plain",)).get_content()
    # The web process only sent the confirmation: the worker sent the welcome.
    assert [m for m in mail.outbox if WELCOME_SUBJECT in m.subject] == []


def test_a_duplicate_delivery_sends_one_welcome_email(celery_worker, worker_mail, pg_monitor):
    user = UserFactory(username="grace")
    event = record_welcome_without_courier(user)

    # While a delivery holds the event's row lock (as one in progress does), copies of the task that
    # arrive meanwhile leave the event to it: they answer "busy" at once instead of tying up a pool
    # process, and send nothing.
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        first = deliver_event.apply_async(args=[event.pk])
        second = deliver_event.apply_async(args=[event.pk])
        runs = celery_worker.wait_for_tasks(first.id, second.id)
        assert sorted(run.result for run in runs) == ["'busy'", "'busy'"]
    assert worker_mail.to("grace@example.com", WELCOME_SUBJECT) == []
    # The sweeper's next delivery (or the original one's, once it finishes) is the one that counts.
    (run,) = celery_worker.wait_for_tasks(deliver_event.apply_async(args=[event.pk]).id)
    assert run.result == "'done'"

    # A late redelivery (e.g. the sweeper racing the original courier) is a no-op too.
    late = deliver_event.apply_async(args=[event.pk])
    (late_run,) = celery_worker.wait_for_tasks(late.id)
    assert late_run.result == "'already-done'"

    event.refresh_from_db()
    assert event.status == EventStatus.DONE
    assert event.attempts == 1
    assert len(worker_mail.to("grace@example.com", WELCOME_SUBJECT)) == 1


def test_signup_works_while_redis_is_down_and_the_welcome_goes_out_once_it_is_back(
    client, celery_worker, redis_server, worker_mail
):
    redis_server.stop()
    try:
        user, seconds = sign_up_and_confirm(client, "linus")
        assert max(seconds) < MAX_REQUEST_SECONDS, f"requests took {seconds}s with Redis down"
        event = welcome_event(user)
        # The intent is in the database; the courier could not be handed to the broker.
        assert event.status == EventStatus.PENDING
        assert event.attempts == 0
    finally:
        redis_server.start()
    # The restarted Redis is empty: the worker reconnects by itself and declares its queue again.
    # (Watched from outside: this process's broker connections must heal on their own below.)
    celery_worker.wait_until_queue_declared(redis_server, timeout=45)
    assert worker_mail.to("linus@example.com", WELCOME_SUBJECT) == []

    # What beat's sweeper does, from this (web-like) process whose broker connections broke:
    # the publish succeeds at once (the sweeper counts only what the broker accepted).
    assert events.resend_stale_events(older_than=timedelta(0)) == 1

    event = wait_until_done(event)
    assert event.attempts == 1
    assert len(worker_mail.to("linus@example.com", WELCOME_SUBJECT)) == 1


def test_the_sweeper_task_resends_stale_events(celery_worker, worker_mail):
    stale_user, fresh_user = UserFactory(username="hedy"), UserFactory(username="alan")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    stale = record_welcome_without_courier(stale_user, created_at=an_hour_ago, sent_at=an_hour_ago)
    fresh = record_welcome_without_courier(fresh_user)  # its courier may still be on the way

    (sweep,) = celery_worker.wait_for_tasks(sweep_events.delay().id)
    assert sweep.result == "1"

    stale = wait_until_done(stale)
    assert stale.attempts == 1
    assert len(worker_mail.to("hedy@example.com", WELCOME_SUBJECT)) == 1
    fresh.refresh_from_db()
    assert fresh.status == EventStatus.PENDING
    assert fresh.attempts == 0
    assert worker_mail.to("alan@example.com", WELCOME_SUBJECT) == []

