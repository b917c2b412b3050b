# ruff: noqa: F811  (the fixtures of tests/cm/casting_fixtures.py, imported by name)
"""The casting path, as a CM and a member live it: the CM invites from the form page, the member is
told on the site and by email with the terms, reads the invitation and accepts — the space exists,
they are a Contributor, the space shows on /contributors/ — or declines, and nothing changes. Double
submits give one invitation; an invitation answered twice, expired, or for a member since banned or
suspended gets a clear message and changes nothing; only the invited member answers."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from blogs.models import SpacePage
from cm.casting import services
from cm.models import Casting, CastingStatus, CastingStep
from community import spaces
from community.models import User
from community.notifications.models import Notification
from moderation import sanctions
from moderation.models import AuditLogEntry
from tests.cm.casting_fixtures import add_post, delivered, featured, invite  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def cast_form(**fields):
    today = timezone.localdate()
    return {"kind": "podcast", "title": "Les voix du vélo", "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=180)).isoformat(), "message": "Your ride reports are great.", **fields}


def test_the_whole_path_invite_notify_accept_and_the_space_is_featured(client, cm, member, delivered):
    client.force_login(cm)
    form_page = client.get(reverse("cm:cast", args=[member.username]))
    assert form_page.status_code == 200
    assert "Maya" in form_page.content.decode()  # prefilled with the member's name
    with delivered():
        response = client.post(reverse("cm:cast", args=[member.username]), cast_form())
    casting = Casting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cm:casting_detail", args=[casting.pk])
    assert casting.status == CastingStatus.INVITED and casting.cast_by == cm

    # Told on the site and by email, with the terms.
    assert Notification.objects.filter(recipient=member, kind="casting_invitation").count() == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [member.email]
    assert "invites you to host “Les voix du vélo” (Podcast)" in email.subject
    assert "Les voix du vélo" in email.body and "Your ride reports are great." in email.body
    assert timezone.localdate().strftime("%Y") in email.body  # the term's dates
    assert reverse("invitations:detail", args=[casting.pk]) in email.body

    client.force_login(member)
    assert "Waiting for your answer" in client.get(reverse("invitations:list")).content.decode()
    page = client.get(reverse("invitations:detail", args=[casting.pk])).content.decode()
    assert "Les voix du vélo" in page and "Accept" in page and "Decline" in page
    with delivered():
        accepted = client.post(reverse("invitations:accept", args=[casting.pk]))
    casting.refresh_from_db()
    space = SpacePage.objects.get(pk=casting.space_id)
    assert accepted.status_code == 302 and accepted["Location"] == space.url
    assert casting.status == CastingStatus.ACCEPTED and casting.space_state == spaces.ACTIVE
    assert space.space_owner == member and space.kind == "podcast" and space.live
    assert member.groups.filter(name="Contributors").exists()
    assert space.permissions_for_user(member).can_add_subpage()
    assert "Les voix du vélo" in client.get("/contributors/").content.decode()
    # The CM learns the answer; every step is in the history and the audit log.
    assert Notification.objects.filter(recipient=cm, kind="casting_answered", data__answer="accepted").exists()
    assert list(casting.steps.order_by("pk").values_list("action", flat=True)) == ["invited", "accepted"]
    assert set(AuditLogEntry.objects.filter(kind="cm.casting").values_list("action", flat=True)) == {
        "casting_invite", "casting_accept"}
    client.force_login(cm)
    assert "Cast a member (invitation)" in client.get(reverse("moderation:log")).content.decode()


def test_a_declined_invitation_changes_nothing_and_the_cm_is_told(client, cm, member, invite, delivered):
    casting = invite(member)
    client.force_login(member)
    with delivered():
        response = client.post(reverse("invitations:decline", args=[casting.pk]))
    assert response.status_code == 302
    casting.refresh_from_db()
    assert casting.status == CastingStatus.DECLINED and casting.space_id is None
    assert not SpacePage.objects.exists()
    assert not member.groups.filter(name="Contributors").exists()
    assert Notification.objects.filter(recipient=cm, kind="casting_answered", data__answer="declined").exists()


def test_a_double_submitted_invitation_gives_one(client, cm, member, delivered):
    client.force_login(cm)
    with delivered():
        first = client.post(reverse("cm:cast", args=[member.username]), cast_form())
        second = client.post(reverse("cm:cast", args=[member.username]), cast_form())
    assert first["Location"] == second["Location"]
    assert Casting.objects.count() == 1
    assert Notification.objects.filter(recipient=member).count() == 1
    # Another kind is another invitation.
    with delivered():
        client.post(reverse("cm:cast", args=[member.username]), cast_form(kind="column", title="Maya's column"))
    assert Casting.objects.count() == 2


def test_an_invitation_answered_twice_says_so_and_changes_nothing(client, member, invite, delivered):
    casting = invite(member)
    client.force_login(member)
    with delivered():
        client.post(reverse("invitations:accept", args=[casting.pk]))
        again = client.post(reverse("invitations:accept", args=[casting.pk]))
        declined = client.post(reverse("invitations:decline", args=[casting.pk]))
    assert again.status_code == 409 and "already accepted" in again.content.decode()
    assert declined.status_code == 409
    assert SpacePage.objects.count() == 1
    casting.refresh_from_db()
    assert casting.status == CastingStatus.ACCEPTED


@pytest.mark.parametrize("how", ["validity", "term"])
def test_an_expired_invitation_cannot_be_answered(client, member, invite, delivered, how):
    casting = invite(member)
    if how == "validity":
        Casting.objects.filter(pk=casting.pk).update(created_at=timezone.now() - timedelta(days=31))
    else:
        Casting.objects.filter(pk=casting.pk).update(starts_on=timezone.localdate() - timedelta(days=10),
                                                     ends_on=timezone.localdate() - timedelta(days=1))
    client.force_login(member)
    assert "Expired" in client.get(reverse("invitations:detail", args=[casting.pk])).content.decode()
    response = client.post(reverse("invitations:accept", args=[casting.pk]))
    assert response.status_code == 409 and "has expired" in response.content.decode()
    assert not SpacePage.objects.exists()
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.INVITED  # the daily check marks it


def test_a_member_banned_since_cannot_accept(cm, member, invite):
    casting = invite(member)
    sanctions.sanction_member(actor=cm, member=member, kind="ban", reason="Spam")
    member.refresh_from_db()
    with pytest.raises(PermissionDenied) as refused:
        services.accept(actor=member, casting_id=casting.pk)
    assert "sanction" in str(refused.value)
    assert not SpacePage.objects.exists()
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.INVITED
    # And a CM cannot cast them again meanwhile.
    with pytest.raises(PermissionDenied, match="banned"):
        services.cast(actor=cm, member=User.objects.get(pk=member.pk), kind="column", title="T", message="",
                      starts_on=timezone.localdate(), ends_on=timezone.localdate() + timedelta(days=9))


def test_a_suspended_member_gets_a_clear_message(client, cm, member, invite):
    casting = invite(member)
    sanctions.sanction_member(actor=cm, member=member, kind="suspend", reason="Cool down", days=3)
    with pytest.raises(PermissionDenied, match="under a sanction"):
        services.accept(actor=User.objects.get(pk=member.pk), casting_id=casting.pk)
    client.force_login(member)  # the site ends a suspended member's session: the login page, nothing done
    response = client.post(reverse("invitations:accept", args=[casting.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not SpacePage.objects.exists()
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.INVITED


def test_only_the_invited_member_answers(client, cm, member, invite):
    casting = invite(member)
    other = UserFactory(username="other")
    client.force_login(other)
    assert client.get(reverse("invitations:detail", args=[casting.pk])).status_code == 404
    assert client.post(reverse("invitations:accept", args=[casting.pk])).status_code == 404
    assert client.post(reverse("invitations:decline", args=[casting.pk])).status_code == 404
    client.force_login(cm)  # a CM reads it, but does not answer for the member
    assert client.get(reverse("invitations:detail", args=[casting.pk])).status_code == 200
    assert client.post(reverse("invitations:accept", args=[casting.pk])).status_code == 403
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.INVITED
    assert not SpacePage.objects.exists()


def test_a_guest_expert_gets_the_badge_and_loses_it_when_revoked(client, cm, member, invite, delivered):
    casting = invite(member, kind="guest_expert", title="Member's space")  # the form's prefilled title
    assert casting.title == ""  # a badge, not a space: no space title is kept
    with delivered():
        services.accept(actor=member, casting_id=casting.pk)
    assert member.groups.filter(name="Guest experts").exists()
    assert not SpacePage.objects.exists()
    client.force_login(cm)
    with delivered():
        response = client.post(reverse("cm:casting_revoke", args=[casting.pk]))
    assert response.status_code == 302
    assert not member.groups.filter(name="Guest experts").exists()
    assert Casting.objects.get(pk=casting.pk).status == CastingStatus.REVOKED
    assert Notification.objects.filter(recipient=member, kind="casting_space_changed", data__change="revoked").exists()
    assert Group.objects.filter(name="Guest experts").exists()


def test_a_withdrawn_invitation_is_closed_for_the_member(client, cm, member, invite, delivered):
    casting = invite(member)
    client.force_login(cm)
    with delivered():
        assert client.post(reverse("cm:casting_withdraw", args=[casting.pk])).status_code == 302
    assert client.post(reverse("cm:casting_withdraw", args=[casting.pk])).status_code == 409
    client.force_login(member)
    response = client.post(reverse("invitations:accept", args=[casting.pk]))
    assert response.status_code == 409 and "withdrawn" in response.content.decode()
    assert CastingStep.objects.filter(casting=casting, action="withdrawn").count() == 1


def test_bad_input_on_the_form_is_shown_again_with_the_error(client, cm, member):
    client.force_login(cm)
    response = client.post(reverse("cm:cast", args=[member.username]),
                           cast_form(ends_on="2000-01-01", message="Keep these words"))
    assert response.status_code == 400
    assert "Keep these words" in response.content.decode()
    assert not Casting.objects.exists()
    assert client.post(reverse("cm:cast", args=[member.username]), cast_form(kind="spaceship")).status_code == 400
