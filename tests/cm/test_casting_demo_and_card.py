# ruff: noqa: F811  (the fixtures of tests/cm/casting_fixtures.py, imported by name)
"""The demo seeds one pending podcast invitation for `member` and a current term for `contributor`'s
column (seeding twice adds nothing); the member card shows the casting history and offers "Cast into
a space"."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from blogs.models import SpacePage
from cm.casting.demo import seed_casting
from cm.models import Casting, CastingStatus
from cm.scouting import card
from community.models import User
from community.notifications.models import Notification
from tests.cm.casting_fixtures import add_post, delivered, featured, invite  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pending_invitation_and_a_current_term(client, delivered):
    with delivered():
        call_command("seed_demo", stdout=StringIO())
        seed_casting()  # again: idempotent
    member, contributor = User.objects.get(username="member"), User.objects.get(username="contributor")
    invitation = Casting.objects.get(member=member)
    assert invitation.status == CastingStatus.INVITED and invitation.kind == "podcast"
    assert Notification.objects.filter(recipient=member, kind="casting_invitation").count() == 1
    term = Casting.objects.get(member=contributor)
    assert term.status == CastingStatus.ACCEPTED
    assert SpacePage.objects.get(pk=term.space_id).title == "Atelier du samedi"
    history = {step.action: step.at for step in term.steps.all()}
    assert history == {"invited": term.created_at, "accepted": term.answered_at}  # dated as the terms say
    client.force_login(member)
    page = client.get(reverse("invitations:detail", args=[invitation.pk]))
    assert page.status_code == 200 and "Accept" in page.content.decode()
    client.force_login(User.objects.get(username="cm"))
    board = client.get(reverse("cm:casting")).content.decode()
    assert "Atelier du samedi" in board and "Le vélo du dimanche" in board


def test_the_member_card_shows_the_casting_history_and_the_cast_action(cm, featured):
    casting, ada = featured()
    section = next(section for section in card.sections() if section.name == "casting")
    html = render_to_string(section.template, {"data": section.data(ada, cm)})
    assert "Casting history" in html and "Ada&#x27;s column" in html
    assert reverse("cm:casting_detail", args=[casting.pk]) in html
    action = next(action for action in card.actions() if action.name == "cast")
    assert str(action.label) == "Cast into a space" and action.url(ada) == reverse("cm:cast", args=["ada"])
