"""The demo's brand watch (`manage.py seed_demo`): alerts on demo content that names Tribune, one
taken by a CM, and one open escalation to staff — on the pages the demo's CM logs in to."""

from io import StringIO

import pytest
from django.core.management import call_command

from cm.models import Escalation
from community.models import User
from moderation.models import WatchedWordHit

pytestmark = pytest.mark.django_db


def test_the_demo_inbox_and_escalations_are_not_empty_and_seeding_twice_adds_nothing(client):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert WatchedWordHit.objects.filter(action="alert").count() >= 2
    assert Escalation.objects.filter(status="open").count() == 1
    client.force_login(User.objects.get(username="cm"))
    inbox = client.get("/cm/watch/").content.decode()
    assert "<mark>Tribune</mark>" in inbox and "Taken by Léa Martin" in inbox
    assert "Waiting for staff" in client.get("/cm/escalations/").content.decode()
