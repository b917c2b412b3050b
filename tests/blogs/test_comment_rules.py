"""The spaces' comment rules that pages once wrote inline now live in community/permissions: whose
comments a member finds on the waiting and rejected lists, whose rejection is moderation's, who
chooses among every page of Wagtail's chooser, who is told anything at all."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from blogs import comments as svc
from blogs.models import Comment
from community.models import SpamStatus, User, Visibility
from community.permissions import (
    REJECTED,
    WAITING,
    decides_as_community_manager,
    may_choose_any_page,
    notified_members_filter,
    waiting_comments_filter,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(space_a, space_b, add_post, alice, bob):
    """Alice's space with two co-authors (a join on them would list a comment twice), a moderated
    post there with a comment waiting for its holders, one held as spam and one rejected; and a
    comment waiting in Bob's space."""
    carol, dave, reader = UserFactory(username="carol"), UserFactory(username="dave"), UserFactory(username="reader")
    space_a.co_authors.add(carol, dave)
    space_a.save()  # (a parental relation is written when its page is)
    posts = {}
    for space, holder in ((space_a, alice), (space_b, bob)):
        post = add_post(space, f"Post of {holder.username}")
        post.comment_policy = "moderated"
        post.save_revision(user=holder).publish(user=holder)
        post.refresh_from_db()
        posts[holder.username] = post
    waiting = svc.add_comment(actor=reader, post=posts["alice"], body="Waiting for Alice")
    spam = svc.add_comment(actor=reader, post=posts["alice"], body="Held as spam")
    Comment.objects.filter(pk=spam.pk).update(spam_status=SpamStatus.SPAM)
    rejected = svc.add_comment(actor=reader, post=posts["alice"], body="Rejected by Alice")
    svc.moderate_comment(actor=alice, comment=rejected, decision="reject")
    elsewhere = svc.add_comment(actor=reader, post=posts["bob"], body="Waiting for Bob")
    return {"carol": carol, "dave": dave, "waiting": waiting, "spam": spam, "rejected": rejected,
            "elsewhere": elsewhere}


def listed(actor, show):
    status = Visibility.PENDING if show == WAITING else Visibility.HIDDEN
    return sorted(Comment.objects.filter(waiting_comments_filter(actor, show=show), status=status)
                  .values_list("body", flat=True))


def test_holders_see_what_is_theirs_to_decide_once_and_cms_see_everything(world, alice, cm):
    for holder in (alice, world["carol"]):
        assert listed(holder, WAITING) == ["Waiting for Alice"]  # not the spam, not Bob's; once each
        assert listed(holder, REJECTED) == ["Rejected by Alice"]
    assert listed(cm, WAITING) == ["Held as spam", "Waiting for Alice", "Waiting for Bob"]
    assert waiting_comments_filter(cm, show=REJECTED) == waiting_comments_filter(cm)  # every space's
    assert listed(UserFactory(), WAITING) == []


def test_a_silenced_holder_decides_nothing(world, alice, client):
    User.objects.filter(pk=alice.pk).update(silenced_until=timezone.now() + datetime.timedelta(days=2))
    alice = User.objects.get(pk=alice.pk)  # (a fresh state: the old object cached hers)
    with pytest.raises(PermissionDenied):
        waiting_comments_filter(alice)
    client.force_login(alice)
    assert client.get(reverse("blogs:waiting_comments")).status_code == 403


def test_the_waiting_page_lists_each_comment_once_for_a_co_author(world, client):
    client.force_login(world["carol"])
    page = client.get(reverse("blogs:waiting_comments")).content.decode()
    assert page.count("Waiting for Alice") == 1 and "Held as spam" not in page and "Waiting for Bob" not in page


def test_a_cms_rejection_is_moderations_a_holders_is_theirs(world, alice, cm):
    assert decides_as_community_manager(cm) and not decides_as_community_manager(alice)
    svc.moderate_comment(actor=cm, comment=world["waiting"], decision="reject")
    assert not Comment.objects.get(pk=world["waiting"].pk).rejected_by_holder
    assert Comment.objects.get(pk=world["rejected"].pk).rejected_by_holder


def test_cms_staff_and_superusers_choose_among_every_page(cm, staff, alice, member):
    superuser = UserFactory(is_superuser=True)
    assert may_choose_any_page(cm) and may_choose_any_page(staff) and may_choose_any_page(superuser)
    assert not may_choose_any_page(alice) and not may_choose_any_page(member)
    assert not may_choose_any_page(AnonymousUser())


def test_only_active_unbanned_members_are_told_anything(member):
    banned = UserFactory(banned_at=timezone.now())
    gone = UserFactory(is_active=False)
    told = User.objects.filter(notified_members_filter(), pk__in=[member.pk, banned.pk, gone.pk])
    assert list(told.values_list("pk", flat=True)) == [member.pk]
