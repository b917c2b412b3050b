"""The spam check in the outbox, end to end: a reply through the real view, its `content.created`
event delivered by a real Celery worker process, which decides the post's spam_status under the
event's row lock (moderation.handlers.check_spam_on_event), before the notification fan-out of the
same delivery.

1. Spam is held ("awaiting review") by the worker, out of other members' view, counted nowhere and
   announced to nobody: from a new member (held from the start until its check) and from an
   established member (published at once, taken back by the check).
2. A worker killed (SIGKILL, its whole process group) in the middle of a check leaves no trace: a new
   member's post stays `pending` and out of view, its event pending with no attempt counted, and
   nothing holds the row lock. A new worker and the sweeper (`community.sweep_events`) then decide
   it exactly once: ham, published, counted, its topic's author notified once.

For (2) the check must be "in progress" when the worker dies: that worker is started by a small
launcher (LAUNCHER below) that appends a test-only checker, `BlockingChecker`, to
settings.SPAM_CHECKERS before running `celery worker` with the harness's arguments. The checker
sleeps when the text carries a marker, after writing its pid to a file the test watches. Nothing in
the production code knows about it; the replacement worker is the plain one of the harness. The
session's worker is stopped meanwhile (it would take the deliveries) and started again afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.models import Event, EventStatus, SpamStatus, User, Visibility
from community.notifications.models import Notification
from community.tasks import deliver_event, sweep_events
from forums.models import Post, Topic
from moderation.models import SpamCheck
from tests.factories import ForumFactory, TopicFactory, UserFactory

from .harness import Worker, tail, wait_for

pytestmark = pytest.mark.integration

OBVIOUS_SPAM = ("Make $500 a day from home, no experience needed!!! Sign up now: bit.ly/cash-4-u "
                "tinyurl.com/easy-money-now cutt.ly/win-big")
BLOCK_MARKER = "[slow-check-7f3a]"
# The replacement worker's sweeper resends events pending for longer than this (production: 180 s).
RESEND_AFTER_SECONDS = 2

# Runs `celery` (same arguments) with one more checker: the test-only BlockingChecker, last in line,
# so that every real checker has run (and queried) when it blocks, inside the event's transaction.
LAUNCHER = r'''
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
import django
django.setup()
from django.conf import settings
from moderation import spam


class BlockingChecker:
    """Test only: a check that does not return for a text carrying the marker."""

    name = "test-blocking"

    def check(self, sample):
        if os.environ["SPAM_TEST_BLOCK_MARKER"] in sample.text:
            with open(os.environ["SPAM_TEST_BLOCK_FILE"], "a") as started:
                started.write(f"{os.getpid()}\n")
            time.sleep(3600)  # until SIGKILL (the task's soft time limit is 50 s)
        return spam.ABSTAIN


settings.SPAM_CHECKERS = [*getattr(settings, "SPAM_CHECKERS", spam.DEFAULT_CHECKERS), "__main__.BlockingChecker"]
from celery.__main__ import main
sys.argv[0] = "celery"
main()
'''



def established(username):
    """A member of long standing (the spam pipeline is stricter with young accounts)."""
    user = UserFactory(username=username)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=400))
    user.refresh_from_db()
    return user


def reply_through_the_view(user, topic, body):
    client = Client()
    client.force_login(user)
    response = client.post(reverse("forums:reply", kwargs={"topic_id": topic.pk}), {"body": body})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.filter(topic=topic, author=user).latest("position")


def topic_page(topic, user=None) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def created_event(post) -> Event:
    return Event.objects.get(kind="content.created", target_id=post.pk, payload__kind="forums.post")


def wait_until_done(event, timeout=30):
    def done():
        event.refresh_from_db()
        return event.status == EventStatus.DONE

    wait_for(done, timeout=timeout, message=f"event {event.pk} to be done (it is {event.status})")
    return event


def row_is_locked(pg_monitor, event) -> bool:
    """True while some transaction holds the event's row lock (the dispatch in progress)."""
    rows = pg_monitor.conn.execute("SELECT id FROM community_event WHERE id = %s FOR UPDATE SKIP LOCKED",
                                   (event.pk,)).fetchall()
    return not rows


def worker_like(celery_worker, name, *, launcher=None, extra_env=None, log_path) -> Worker:
    """A worker with the session worker's command and environment (test database, private Redis,
    SMTP sink, queues), its own hostname and log; with `launcher`, run through that script."""
    command = list(celery_worker.command)
    command[command.index("--hostname") + 1] = f"{name}-{os.getpid()}@%h"
    if launcher is not None:
        assert command[1:3] == ["-m", "celery"], command
        command[1:3] = ["-c", launcher]
    return Worker(command, env={**celery_worker.env, **(extra_env or {})}, cwd=celery_worker.cwd,
                  log_path=log_path, queues=celery_worker.queues)


def kill_process_group(worker: Worker) -> None:
    """SIGKILL the worker and its pool processes (its own session, see Worker.start)."""
    os.killpg(worker.process.pid, signal.SIGKILL)
    try:
        worker.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("the killed worker did not exit")

    def group_gone():
        try:
            os.killpg(worker.process.pid, 0)
        except ProcessLookupError:
            return True
        return False

    wait_for(group_gone, timeout=10, message="every process of the killed worker to be gone")


# --- 1. spam held by the worker --------------------------------------------------------------------


@pytest.mark.parametrize("trust_level", [0, 1], ids=["new-member", "established-member"])
def test_spam_posted_through_the_view_is_held_by_the_worker_out_of_other_members_view(celery_worker, trust_level):
    """A new member's post starts held until its check; an established member's starts published
    and the worker takes it back out of view. Either way: held, uncounted, nobody notified."""
    author, reader = established("ana"), established("ben")
    spammer = UserFactory(username="spammer", trust_level=trust_level)
    topic = TopicFactory(forum=ForumFactory(name="Bikes"), author=author, title="Tubeless tyres: worth it?",
                         body="I am thinking of going tubeless on my gravel bike. Any advice?")
    wait_until_done(created_event(topic.first_post))

    post = reply_through_the_view(spammer, topic, OBVIOUS_SPAM)
    event = wait_until_done(created_event(post))

    post.refresh_from_db()
    assert (post.spam_status, post.status) == (SpamStatus.SPAM, Visibility.PENDING)  # held: awaiting review
    (check,) = SpamCheck.objects.filter(kind="forums.post", object_id=post.pk)
    assert check.verdict == "spam" and check.score >= 5 and check.event_id == event.pk
    assert "url:shortener" in check.reasons
    assert event.attempts == 1 and event.last_error == ""
    # Counters are exact (the held reply is not counted) and the topic's author was not told of it
    # (the check runs before the notification fan-out, in the same delivery).
    assert Topic.objects.get(pk=topic.pk).post_count == 1
    assert not Notification.objects.filter(recipient=author).exists()

    assert "cash-4-u" not in topic_page(topic, reader)
    assert "cash-4-u" not in topic_page(topic)  # a visitor (the anonymous page cache answers)
    own_view = topic_page(topic, spammer)
    assert "cash-4-u" in own_view and "Awaiting review" in own_view


# --- 2. a worker killed mid-check -----------------------------------------------------------------------


@pytest.fixture
def session_worker_paused(celery_worker):
    """The session's worker stopped for the test (it would take the deliveries), started again after."""
    celery_worker.stop()
    try:
        yield celery_worker
    finally:
        celery_worker.start()


def test_a_worker_killed_mid_check_leaves_the_post_pending_and_it_is_checked_again_once(
        session_worker_paused, redis_server, pg_monitor, tmp_path):
    celery_worker = session_worker_paused
    logs = celery_worker.log_path.parent
    stem = celery_worker.log_path.stem  # worker-<test database>
    started_file = tmp_path / "check-started"
    blocking = worker_like(celery_worker, "spam-it-blocking", launcher=LAUNCHER,
                           log_path=logs / f"{stem}-blocking.log",
                           extra_env={"SPAM_TEST_BLOCK_MARKER": BLOCK_MARKER,
                                      "SPAM_TEST_BLOCK_FILE": str(started_file)})
    replacement = worker_like(celery_worker, "spam-it-replacement", log_path=logs / f"{stem}-replacement.log",
                              extra_env={"OUTBOX_RESEND_AFTER_SECONDS": str(RESEND_AFTER_SECONDS)})
    try:
        _killed_mid_check_then_checked_again(blocking, replacement, redis_server, pg_monitor, started_file)
    except BaseException:
        sys.stderr.write(f"--- blocking worker log (tail)\n{tail(blocking.log_path, 40)}\n"
                         f"--- replacement worker log (tail)\n{tail(replacement.log_path, 40)}\n")
        raise
    finally:
        for worker in (blocking, replacement):
            if worker.alive:
                worker.stop()


def _killed_mid_check_then_checked_again(blocking, replacement, redis_server, pg_monitor, started_file):
    # A new member's post is held out of view until its spam check publishes it (moderation.trust).
    author, reader, newcomer = established("cleo"), established("dan"), UserFactory(username="eve", trust_level=0)
    body = f"Went tubeless last spring, no flat since. Sealant every 3 months. {BLOCK_MARKER}"
    blocking.start()
    assert SpamCheck.objects.count() == 0
    topic = TopicFactory(forum=ForumFactory(name="Bikes"), author=author, title="Tubeless tyres: worth it?",
                         body="I am thinking of going tubeless on my gravel bike. Any advice?")
    wait_until_done(created_event(topic.first_post))  # this worker checks other texts as usual

    post = reply_through_the_view(newcomer, topic, body)
    assert post.status == Visibility.PENDING
    event = created_event(post)
    wait_for(started_file.exists, timeout=30, message="the worker to start checking the reply")
    # In progress: the dispatch holds the event's row lock, nothing is decided yet.
    assert row_is_locked(pg_monitor, event)
    post.refresh_from_db()
    assert post.spam_status == SpamStatus.PENDING

    kill_process_group(blocking)

    # PostgreSQL sees the connection die and rolls the dispatch back: the lock goes with it.
    wait_for(lambda: not row_is_locked(pg_monitor, event), timeout=20,
             message="the killed worker's transaction to be rolled back")
    post.refresh_from_db()
    event.refresh_from_db()
    assert post.spam_status == SpamStatus.PENDING
    assert not SpamCheck.objects.filter(kind="forums.post", object_id=post.pk).exists()
    assert event.status == EventStatus.PENDING
    # The delivery was counted before its handlers ran (an event that keeps killing workers is given
    # up after MAX_ATTEMPTS); nothing else of it remains.
    assert (event.attempts, event.last_error, event.processed_at) == (1, "", None)
    assert post.status == Visibility.PENDING
    assert "no flat since" not in topic_page(topic, reader)
    assert "no flat since" not in topic_page(topic)  # a visitor
    assert Topic.objects.get(pk=topic.pk).post_count == 1
    assert not Notification.objects.filter(recipient=author).exists()

    # The message of the killed delivery waits in Redis's "unacked" set (redelivered only after the
    # broker's visibility timeout, an hour): recovery is the outbox sweeper's job. A new worker runs
    # it, as beat would every minute, once the event is older than OUTBOX_RESEND_AFTER_SECONDS.
    replacement.start()
    time.sleep(RESEND_AFTER_SECONDS + 0.5)
    (sweep,) = replacement.wait_for_tasks(sweep_events.delay().id)
    assert sweep.result == "1", sweep

    event = wait_until_done(event)
    post.refresh_from_db()
    assert (post.spam_status, post.status) == (SpamStatus.HAM, Visibility.PUBLISHED)
    (check,) = SpamCheck.objects.filter(kind="forums.post", object_id=post.pk)
    assert check.verdict == "ham" and check.event_id == event.pk
    assert event.attempts == 2 and event.last_error == ""  # the killed delivery, then this one
    assert "no flat since" in topic_page(topic, reader)
    assert "no flat since" in topic_page(topic)
    assert Topic.objects.get(pk=topic.pk).post_count == 2
    # Published by the check, then announced by the fan-out of the same delivery: once.
    assert Notification.objects.filter(recipient=author, kind="reply").count() == 1

    # Delivered again (the sweeper racing a late courier): nothing is decided twice.
    (again,) = replacement.wait_for_tasks(deliver_event.delay(event.pk).id)
    assert again.result == "'already-done'"
    replacement.wait_until_idle(redis_server)
    assert SpamCheck.objects.filter(kind="forums.post", object_id=post.pk).count() == 1
    assert SpamCheck.objects.count() == 2  # the opening post's and the reply's
