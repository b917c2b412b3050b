# ruff: noqa: F811  (the fixtures of tests/cm/casting_fixtures.py, imported by name)
"""The daily look at terms (cm.remind_term_ends): the CMs hear 14 days before a term ends, once per
term (again after a renewal); a term past its end is marked ended and the CMs are told, the space
left open until one of them decides; stale invitations expire. And the pages' fixed query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from blogs.models import SpacePage
from cm.casting import steps
from cm.casting.tasks import remind_term_ends, review_terms
from cm.models import Casting, CastingStatus, CastingStep
from community import spaces
from community.notifications.models import Notification
from tests.cm.casting_fixtures import add_post, delivered, featured, invite  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_cms_are_reminded_once_14_days_before_a_term_ends(cm, featured, delivered):
    other_cm = UserFactory(username="lea", roles=["Community managers"])
    casting, _ada = featured(ends_on=timezone.localdate() + timedelta(days=30))
    with delivered():
        assert review_terms()["reminded"] == 0  # 30 days left: not yet
        assert review_terms(today=timezone.localdate() + timedelta(days=17))["reminded"] == 1
        assert review_terms(today=timezone.localdate() + timedelta(days=18))["reminded"] == 0
        remind_term_ends.delay()  # the beat's task, run again the same day: nothing more
    for manager in (cm, other_cm):
        assert Notification.objects.filter(recipient=manager, kind="casting_term_ending", data__term="ending").count() == 1
    # A renewal is a new term: reminded again when it comes near its new end.
    with delivered():
        steps.renew(actor=cm, casting_id=casting.pk, ends_on=timezone.localdate() + timedelta(days=60))
        assert review_terms(today=timezone.localdate() + timedelta(days=50))["reminded"] == 1
    assert Notification.objects.filter(recipient=cm, kind="casting_term_ending").count() == 2


def test_a_term_past_its_end_is_ended_and_the_space_left_to_the_cm(client, cm, featured, delivered):
    casting, ada = featured(ends_on=timezone.localdate() + timedelta(days=5))
    with delivered():
        result = review_terms(today=timezone.localdate() + timedelta(days=6))
        assert review_terms(today=timezone.localdate() + timedelta(days=7))["over"] == 0
    assert result["over"] == 1
    ended = Casting.objects.get(pk=casting.pk)
    assert ended.status == CastingStatus.ENDED and ended.space_state == spaces.ACTIVE
    assert SpacePage.objects.get(pk=casting.space_id).state == spaces.ACTIVE  # nothing closed by itself
    assert Notification.objects.filter(recipient=cm, kind="casting_term_ending", data__term="over").count() == 1
    client.force_login(cm)
    board = client.get(reverse("cm:casting")).content.decode()
    assert "Terms over, space still open" in board and "Ada&#x27;s column" in board


def test_stale_invitations_expire_and_free_the_member_for_a_new_one(cm, member, invite):
    casting = invite(member)
    Casting.objects.filter(pk=casting.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert review_terms()["expired"] == 1
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.EXPIRED
    again = invite(member)
    assert again.pk != casting.pk and again.status == CastingStatus.INVITED


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _world(cm, featured, invite, n):
    """One of each list of the board: an open invitation, a current term, a term over with its space
    open, a paused and a retired space."""
    invite(UserFactory(username=f"waiting{n}"))
    current, _member = featured(f"star{n}")
    over, _member = featured(f"over{n}")
    Casting.objects.filter(pk=over.pk).update(status=CastingStatus.ENDED)
    for name in ("pause", "retire"):
        held, _member = featured(f"{name}{n}")
        steps.space_step(actor=cm, casting_id=held.pk, name=name)
    return current


def test_the_casting_pages_render_in_a_fixed_number_of_queries(client, cm, featured, invite):
    first = _world(cm, featured, invite, 0)
    client.force_login(cm)
    urls = [reverse("cm:casting"), reverse("cm:casting_detail", args=[first.pk]),
            reverse("cm:casting_space", args=[first.space_id]), reverse("cm:cast", args=[first.member.username])]
    for url in urls:
        _count(client, url)  # warm the caches (site root paths, content types)
    small = [_count(client, url) for url in urls]
    for n in range(1, 5):
        _world(cm, featured, invite, n)
        steps.renew(actor=cm, casting_id=first.pk, ends_on=timezone.localdate() + timedelta(days=400 + n))
    invite(first.member, kind="podcast", title="On air")
    _count(client, urls[0])  # the worlds changed groups: every member's grants are read again, once
    assert [_count(client, url) for url in urls] == small
    client.force_login(first.member)
    _count(client, reverse("invitations:list"))  # warm: the member's grants, read once
    small = _count(client, reverse("invitations:list"))
    invite(first.member, kind="video", title="On screen")
    _count(client, reverse("invitations:list"))  # the invitation moved their bell: their row is read again, once
    assert _count(client, reverse("invitations:list")) == small


def test_the_history_shows_a_renewals_dates_in_the_readers_format():
    step = CastingStep(action="renewed", note="2026-12-17 → 2027-12-17")
    odd = CastingStep(action="declined", note="Maybe on 2026-99-99?")
    with translation.override("fr"):
        assert step.note_shown == "17/12/2026 → 17/12/2027"
    with translation.override("en"):
        assert step.note_shown == "12/17/2026 → 12/17/2027"
    assert odd.note_shown == "Maybe on 2026-99-99?"
