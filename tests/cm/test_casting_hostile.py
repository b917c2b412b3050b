# ruff: noqa: F811  (the fixtures of tests/cm/casting_fixtures.py, imported by name)
"""What a hostile tester found in casting: absurd term dates (a 500 on the casting's page), a retired
space opened again by pause then resume, empty date fields in French, a renewal that shortens a
term, an expired invitation withdrawn, the invitations' list answering any page, a silenced member
accepting a space they cannot write in."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from blogs.models import SpacePage
from cm.casting import steps
from cm.casting.forms import CastForm, RenewForm, cast_initial
from cm.casting.services import CastingError
from cm.models import Casting, CastingStatus
from community import spaces
from tests.cm.casting_fixtures import delivered, featured, invite  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def cast_form(**changes):
    today = timezone.localdate()
    return {"kind": "column", "title": "Night radio", "message": "Welcome", "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=365)).isoformat(), **changes}


def errors_of(response):
    return response.context["form"].errors


@pytest.mark.parametrize(("starts_on", "ends_on", "field", "words"), [
    ("9999-12-30", "9999-12-31", "starts_on", "too far ahead"),
    ("0001-01-01", "2099-01-01", "starts_on", "at most a year ago"),
    ("today", "+6y", "ends_on", "five years at most"),
    ("today", "+11y", "ends_on", "too far ahead"),
])
def test_absurd_term_dates_are_refused_with_a_clear_message(client, cm, member, starts_on, ends_on, field, words):
    today = timezone.localdate()
    dates = {"today": today.isoformat(), "+6y": (today + timedelta(days=6 * 365)).isoformat(),
             "+11y": (today + timedelta(days=11 * 365)).isoformat()}
    client.force_login(cm)
    response = client.post(reverse("cm:cast", args=[member.username]),
                           cast_form(starts_on=dates.get(starts_on, starts_on), ends_on=dates.get(ends_on, ends_on)))
    assert response.status_code == 400
    assert words in " ".join(errors_of(response)[field])
    assert not Casting.objects.exists()


def test_a_casting_ending_in_year_9999_already_stored_still_shows(client, cm, featured):
    casting, _ada = featured()
    Casting.objects.filter(pk=casting.pk).update(ends_on=date.max)  # (stored before the dates were checked)
    client.force_login(cm)
    response = client.get(reverse("cm:casting_detail", args=[casting.pk]))
    assert response.status_code == 200
    assert response.context["renew_form"].initial["ends_on"] <= date.max


def test_a_renewal_moves_the_end_later_only_and_not_to_year_9999(client, cm, featured):
    casting, _ada = featured()
    end = casting.ends_on
    client.force_login(cm)
    shorter = client.post(reverse("cm:casting_renew", args=[casting.pk]),
                          {"ends_on": (end - timedelta(days=30)).isoformat()})
    assert shorter.status_code == 409 and "moves the end later" in shorter.content.decode()
    far = client.post(reverse("cm:casting_renew", args=[casting.pk]), {"ends_on": "9999-12-31"})
    assert far.status_code == 400 and "too far ahead" in " ".join(far.context["renew_form"].errors["ends_on"])
    assert client.post(reverse("cm:casting_renew", args=[casting.pk]), {"ends_on": "0001-01-01"}).status_code == 409
    assert Casting.objects.get(pk=casting.pk).ends_on == end
    assert client.get(reverse("cm:casting_detail", args=[casting.pk])).status_code == 200


def test_a_retired_space_cannot_be_paused_so_resume_never_reopens_it_by_the_back_door(cm, featured, delivered):
    casting, _ada = featured()
    with delivered():
        steps.space_step(actor=cm, casting_id=casting.pk, name="retire")
        with pytest.raises(CastingError, match="archive"):
            steps.space_step(actor=cm, casting_id=casting.pk, name="pause")
    assert SpacePage.objects.get(pk=casting.space_id).state == spaces.RETIRED
    assert Casting.objects.get(pk=casting.pk).space_state == spaces.RETIRED


def test_handing_a_retired_space_over_keeps_it_retired(cm, featured, delivered):
    casting, _ada = featured()
    bea = UserFactory(username="bea")
    with delivered():
        steps.space_step(actor=cm, casting_id=casting.pk, name="retire")
        received = steps.hand_over(actor=cm, casting_id=casting.pk, new_owner=bea)
    space = SpacePage.objects.get(pk=casting.space_id)
    assert space.state == spaces.RETIRED and space.space_owner == bea
    assert received.space_state == spaces.RETIRED
    assert not space.permissions_for_user(bea).can_edit()


def test_the_date_fields_are_iso_in_french_so_the_date_picker_shows_them(member):
    with translation.override("fr"):
        cast = str(CastForm(initial=cast_initial(member)))
        renew = str(RenewForm(initial={"ends_on": date(2031, 3, 4)}))
    today = timezone.localdate()
    assert re.search(rf'name="starts_on" value="{today.isoformat()}"', cast)
    assert re.search(rf'name="ends_on" value="{(today + timedelta(days=365)).isoformat()}"', cast)
    assert 'value="2031-03-04"' in renew


def test_an_expired_invitation_cannot_be_withdrawn(client, cm, member, invite):
    casting = invite(member)
    Casting.objects.filter(pk=casting.pk).update(created_at=timezone.now() - timedelta(days=31))
    client.force_login(cm)
    response = client.post(reverse("cm:casting_withdraw", args=[casting.pk]))
    assert response.status_code == 409
    assert "Only an invitation still waiting for its answer can be withdrawn." in response.content.decode()
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.INVITED


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999"])
def test_the_invitations_list_answers_404_to_a_page_that_does_not_exist(client, member, invite, page):
    invite(member)
    client.force_login(member)
    assert client.get(reverse("invitations:list"), {"page": page}).status_code == 404
    assert client.get(reverse("invitations:list"), {"page": "1"}).status_code == 200


def test_a_silenced_member_cannot_accept_but_can_decline(client, member, invite):
    casting = invite(member)
    member.silenced_until = timezone.now() + timedelta(days=2)
    member.save(update_fields=["silenced_until"])
    client.force_login(member)
    response = client.post(reverse("invitations:accept", args=[casting.pk]))
    assert response.status_code == 403 and "You are silenced until" in response.content.decode()
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.INVITED
    assert client.post(reverse("invitations:decline", args=[casting.pk])).status_code == 302
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.DECLINED
