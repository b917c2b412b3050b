"""The CM workspace with the real parts: PostgreSQL, the real Celery worker process and its email.

A CM casts Paula as a podcast host: the worker fans the invitation out and emails it (SMTP sink);
Paula accepts through the site, and in one transaction her space exists and she joins the
Contributors; the worker tells the CM. The talent board's nightly job and the featured terms'
daily reminder run in the worker as beat sends them: the scores land in the table the board reads,
and a term ending in ten days reminds the CMs once, however often the job runs.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blogs.models import SpacePage
from cm.casting import services as casting
from cm.casting.tasks import remind_term_ends
from cm.models import Casting, TalentRun, TalentScore
from cm.scouting.tasks import compute_talent_scores
from community.models import Event, EventStatus
from community.notifications.models import Notification
from forums.services import create_topic, post_reply, toggle_reaction
from tests.factories import ForumFactory, UserFactory

from .harness import wait_for

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def guest_experts_role(roles):
    """Migration community 0008's role (the integration layer's flushes remove groups)."""
    Group.objects.get_or_create(name="Guest experts")


def all_events_done(timeout=30):
    wait_for(lambda: not Event.objects.filter(status=EventStatus.PENDING).exists(), timeout=timeout,
             message="every event to be delivered by the worker")
    assert not Event.objects.filter(status=EventStatus.FAILED).exists()


def test_a_cast_member_is_emailed_accepts_and_gets_a_space_and_the_cm_is_told(worker_mail):
    cm = UserFactory(username="sam", display_name="Sam", roles=["Community managers"])
    paula = UserFactory(username="paula", display_name="Paula")
    today = timezone.localdate()

    invitation, created = casting.cast(actor=cm, member=paula, kind="podcast", title="Le son du dimanche",
                                       message="Your field recordings deserve a show.", starts_on=today,
                                       ends_on=today + timedelta(days=180))
    assert created

    mails = wait_for(lambda: worker_mail.to(paula.email), timeout=30, message="Paula's invitation email")
    assert "Le son du dimanche" in mails[0]["Subject"]
    all_events_done()
    assert Notification.objects.filter(recipient=paula, kind="casting_invitation").count() == 1

    client = Client()
    client.force_login(paula)
    detail = client.get(reverse("invitations:detail", args=[invitation.pk]))
    assert detail.status_code == 200 and "Your field recordings deserve a show." in detail.content.decode()
    response = client.post(reverse("invitations:accept", args=[invitation.pk]))
    assert response.status_code == 302
    again = client.post(reverse("invitations:accept", args=[invitation.pk]), follow=True)
    assert again.status_code in (200, 409)  # answered already: a message, nothing more

    space = SpacePage.objects.get(space_owner=paula)
    assert space.title == "Le son du dimanche" and space.kind == "podcast" and space.live
    assert SpacePage.objects.filter(space_owner=paula).count() == 1
    assert paula.groups.filter(name="Contributors").exists()
    assert Casting.objects.get(pk=invitation.pk).space_id == space.pk
    assert "Le son du dimanche" in Client().get("/contributors/").content.decode()
    all_events_done()
    assert Notification.objects.filter(recipient=cm, kind="casting_answered").count() == 1


def test_the_nightly_scores_and_the_daily_term_reminders_run_in_the_worker():
    cm = UserFactory(username="sam", roles=["Community managers"])
    writer = UserFactory(username="wendy")
    readers = [UserFactory(username=f"reader{i}") for i in range(3)]
    forum = ForumFactory(name="Field recording", slug="field")
    topic = create_topic(actor=writer, forum=forum, title="Recording rain on a tin roof",
                         body="Two microphones, one roof, a whole night of rain.")
    for reader in readers:
        post_reply(actor=reader, topic=topic, body=f"{reader.username}: lovely, which microphones?")
        toggle_reaction(actor=reader, post=topic.first_post)
    all_events_done()

    compute_talent_scores.delay()

    wait_for(lambda: TalentRun.objects.filter(finished_at__isnull=False).exists(), timeout=60,
             message="the talent scores' run to finish in the worker")
    score = TalentScore.objects.get(member=writer, period=30)
    assert score.score > 0
    client = Client()
    client.force_login(cm)
    board = client.get(reverse("cm:talent")).content.decode()
    assert "wendy" in board.lower()

    today = timezone.localdate()
    term, _created = casting.cast(actor=cm, member=writer, kind="column", title="Wendy's sounds",
                                  message="A column?", starts_on=today - timedelta(days=170),
                                  ends_on=today + timedelta(days=10))
    casting.accept(actor=writer, casting_id=term.pk)
    all_events_done()

    for _ in range(2):  # beat may send it twice (a restart): the CMs are told once
        remind_term_ends.delay()
        wait_for(lambda: Casting.objects.get(pk=term.pk).reminded_for is not None, timeout=30,
                 message="the term's reminder to be recorded")
        all_events_done()
    assert Notification.objects.filter(recipient=cm, kind="casting_term_ending").count() == 1
