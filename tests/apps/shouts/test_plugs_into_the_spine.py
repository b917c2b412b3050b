"""A new content kind plugs into the spine by registering only (issue: "One spine for every kind
of content"). Shouts (tests/apps/shouts) are defined and registered inside this test app; nothing
in community/, forums/, moderation/ or the shared templates knows them. Yet: a member shouts, the
spam check and the watched words run on it, a member reports it, it shows in the review queue, a
CM decides, the author and the reporter are told on the site and by email in the right words, and
its mentions and answers notify — with the wording the kind itself registered."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import SpamStatus, Visibility
from community.notifications.models import Notification
from moderation import sanctions, watched
from moderation.models import AuditLogEntry, ReviewItem, SpamCheck, WatchedWordHit
from tests.factories import UserFactory

from .models import Shout
from .services import KIND, shout

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "maya": UserFactory(username="maya", display_name="Maya"),
        "omar": UserFactory(username="omar", display_name="Omar"),
        "rita": UserFactory(username="rita", display_name="Rita"),
        "sam": UserFactory(username="sam", display_name="Sam", roles=["Community managers"]),
    }


def inbox(client, user):
    client.force_login(user)
    return client.get(reverse("community:notifications")).content.decode()


def emails_to(mailoutbox, user):
    return [message for message in mailoutbox if user.email in message.to]


def test_a_shout_is_checked_reported_reviewed_decided_and_everyone_is_told(
        people, client, mailoutbox, django_capture_on_commit_callbacks):
    maya, omar, rita, sam = people["maya"], people["omar"], people["rita"], people["sam"]
    watched.create_word(phrase="tribune", action="alert", watchers=[sam])

    # A member shouts, mentioning another: the spam check and the watched words run on it.
    with django_capture_on_commit_callbacks(execute=True):
        first = shout(actor=maya, body="Tribune night at the café, @omar is coming!")
    first.refresh_from_db()
    assert first.status == Visibility.PUBLISHED and first.spam_status == SpamStatus.HAM
    assert SpamCheck.objects.filter(kind=KIND, object_id=first.pk).count() == 1
    assert WatchedWordHit.objects.filter(kind=KIND, object_id=first.pk).exists()
    assert "<strong>Maya</strong> used “tribune” in “Tribune night at the café, @omar is coming!”" in inbox(client, sam)
    # Its mention notifies, on the site and by email, in the mention kind's words.
    assert "<strong>Maya</strong> mentioned you in “Tribune night at the café, @omar is coming!”" in inbox(client, omar)
    (mention,) = emails_to(mailoutbox, omar)
    assert mention.subject == "Maya mentioned you in “Tribune night at the café, @omar is coming!”"

    # An answer notifies the first shout's author in the words the shouts registered themselves.
    with django_capture_on_commit_callbacks(execute=True):
        shout(actor=omar, body="Count me in, I bring the cake.", answers=first)
    assert "<strong>Omar</strong> answered your shout “Tribune night at the café, @omar is coming!”" in inbox(client, maya)
    (answer,) = emails_to(mailoutbox, maya)
    assert answer.subject == "Omar answered your shout “Tribune night at the café, @omar is coming!”"

    # A member reports it: it shows in the review queue.
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        reported = client.post(reverse("moderation:report", args=[KIND, first.pk]), {"reason": "abuse"})
    assert reported.status_code == 302
    assert ReviewItem.objects.get(kind=KIND, object_id=first.pk).open_reports == 1
    assert "<strong>Rita</strong> reported “Tribune night at the café, @omar is coming!” (Abuse or harassment)" in inbox(client, sam)
    client.force_login(sam)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "Tribune night at the café" in queue and "Shout" in queue

    # A CM decides: the item leaves the queue, the author and the reporter are told.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(reverse("moderation:decide"), {"kind": KIND, "id": first.pk, "decision": "remove"})
    assert decided.status_code == 302
    assert Shout.objects.get(pk=first.pk).status == Visibility.REMOVED
    assert not ReviewItem.objects.filter(kind=KIND, object_id=first.pk).exists()
    for member in (maya, rita):
        line = "A moderation decision about “Tribune night at the café, @omar is coming!”: Remove"
        assert line in inbox(client, member)
        (told,) = emails_to(mailoutbox, member)
        assert told.subject == line
    assert Notification.objects.filter(kind="moderation", recipient__in=[maya, rita]).count() == 2


def test_watched_words_block_and_hold_a_shout(people, client, django_capture_on_commit_callbacks):
    maya, sam = people["maya"], people["sam"]
    watched.create_word(phrase="viagra", action="block")
    watched.create_word(phrase="casino*", action="approve")

    with pytest.raises(ValidationError, match="viagra"):
        shout(actor=maya, body="Cheap viagra here")
    assert not Shout.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        held = shout(actor=maya, body="Casino night on Friday")
    held.refresh_from_db()
    assert held.status == Visibility.PENDING  # held for a CM, whatever the spam check said
    assert ReviewItem.objects.get(kind=KIND, object_id=held.pk).held
    client.force_login(sam)
    assert "Casino night on Friday" in client.get(reverse("moderation:queue"), {"kind": KIND}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:decide"), {"kind": KIND, "id": held.pk, "decision": "approve"})
    assert Shout.objects.get(pk=held.pk).status == Visibility.PUBLISHED
    assert not ReviewItem.objects.filter(kind=KIND, object_id=held.pk).exists()


def test_spam_is_held_and_remove_all_content_reaches_the_new_kind(
        people, django_capture_on_commit_callbacks):
    maya, sam = people["maya"], people["sam"]
    newcomer = UserFactory(username="newbie", trust_level=0)
    spam = ("Make $500 a day from home, no experience needed!!! Sign up now: bit.ly/cash-4-u "
            "tinyurl.com/easy-money-now cutt.ly/win-big")
    with django_capture_on_commit_callbacks(execute=True):
        first = shout(actor=newcomer, body="Hello all, glad to be here.")
        junk = shout(actor=maya, body=spam)
    assert Shout.objects.get(pk=first.pk).status == Visibility.PUBLISHED  # a new member's clean shout is released
    junk.refresh_from_db()
    assert junk.spam_status == SpamStatus.SPAM and junk.status == Visibility.PENDING
    assert ReviewItem.objects.get(kind=KIND, object_id=junk.pk).held

    with django_capture_on_commit_callbacks(execute=True):
        sanctions.remove_all_content(actor=sam, member=newcomer, reason="Test")
    assert Shout.objects.get(pk=first.pk).status == Visibility.REMOVED
    assert AuditLogEntry.objects.get(action="remove_all_content").detail["per_kind"][KIND] == 1
