"""What an outside probe of the spaces found, each as a user would check it: a holder cannot release
what the CMs hold (not even by a rejection undone), a CM's hide stays the CM's; a private or held
post leaks through no route; an approved comment edited where comments wait waits again; a
sanctioned holder decides nothing; Wagtail's chooser and site-wide tools show a writer no other
space's drafts; a space taken offline takes its posts; a former owner is no longer asked."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blogs import comments as svc
from blogs.models import Comment, SpacePage, SpacePostPage
from community.models import Visibility
from community.notifications.models import Notification
from moderation import sanctions, watched
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(space_a, add_post):
    return add_post(space_a, "Open post")


def age(post, days):
    SpacePostPage.objects.filter(pk=post.pk).update(first_published_at=timezone.now() - datetime.timedelta(days=days))
    return SpacePostPage.objects.get(pk=post.pk)


def test_a_holder_cannot_release_what_the_cms_hold_nor_undo_their_hide(client, cm, alice, post, member):
    watched.create_word(phrase="casino", action="approve")
    held = svc.add_comment(actor=member, post=post, body="casino tonight")
    client.force_login(alice)
    for decision in ("approve", "reject", "restore"):
        response = client.post(reverse("blogs:comment_moderate", args=[held.pk]), {"decision": decision})
        assert response.status_code in (302, 403)
    assert Comment.objects.get(pk=held.pk).status == Visibility.PENDING

    shown = svc.add_comment(actor=member, post=post, body="A fine remark")
    client.force_login(cm)
    client.post(reverse("moderation:decide"), {"kind": "blogs.comment", "id": shown.pk, "decision": "hide"})
    client.force_login(alice)
    assert "A fine remark" not in client.get(reverse("blogs:waiting_comments"), {"show": "rejected"}).content.decode()
    assert client.post(reverse("blogs:comment_moderate", args=[shown.pk]), {"decision": "restore"}).status_code == 403
    assert Comment.objects.get(pk=shown.pk).status == Visibility.HIDDEN
    client.force_login(cm)
    client.post(reverse("blogs:comment_moderate", args=[shown.pk]), {"decision": "restore"})
    assert Comment.objects.get(pk=shown.pk).status == Visibility.PUBLISHED


def test_a_private_post_and_its_comments_show_by_no_other_route(client, alice, post, member):
    mine = svc.add_comment(actor=member, post=post, body="Secret words")
    PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.PASSWORD, password="pw")
    other = UserFactory()
    client.force_login(other)
    for url in (reverse("blogs:comment", args=[mine.pk]), reverse("blogs:comment_history", args=[mine.pk]),
                reverse("blogs:comment_reply", args=[mine.pk]),
                reverse("moderation:report", args=["blogs.comment", mine.pk]),
                reverse("moderation:report", args=["blogs.post", post.pk])):
        response = client.get(url)
        assert response.status_code == 404, url
    response = client.post(reverse("blogs:comment_create", args=[post.pk]), {"body": ""})
    assert response.status_code == 404 and "Open post" not in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_held_post_leaks_nothing_through_the_comment_form(client, post):
    SpacePostPage.objects.filter(pk=post.pk).update(status=Visibility.PENDING)
    for body in ("", "hello"):
        response = client.post(reverse("blogs:comment_create", args=[post.pk]), {"body": body})
        assert response.status_code == 404
        assert "Open post" not in response.content.decode() and "open-post" not in response.get("Location", "")


def test_an_approved_comment_edited_where_comments_wait_waits_again(alice, post, member):
    post = age(post, 5)
    waiting = svc.add_comment(actor=member, post=post, body="Hello")
    svc.moderate_comment(actor=alice, comment=waiting, decision="approve")
    svc.edit_comment(actor=member, comment=Comment.objects.get(pk=waiting.pk), body="Now buy my stuff")
    edited = Comment.objects.get(pk=waiting.pk)
    assert edited.status == Visibility.PENDING and edited.awaiting_holder


def test_a_sanctioned_holder_decides_nothing(client, cm, alice, post, member):
    post = age(post, 5)
    svc.add_comment(actor=member, post=post, body="Late words")
    sanctions.sanction_member(actor=cm, member=alice, kind="silence", reason="Cool down", days=1)
    client.force_login(alice)
    response = client.get(reverse("blogs:waiting_comments"))
    assert response.status_code == 403 and "Late words" not in response.content.decode()


def test_the_cms_shows_a_writer_no_other_spaces_drafts(client, alice, bob, space_a, space_b, add_post, cm):
    add_post(space_b, "Bob's secret draft", live=False)
    add_post(space_b, "Bob's published post")
    client.force_login(alice)
    chooser = client.get(reverse("wagtailadmin_choose_page_child", args=[space_b.pk])).content.decode()
    assert "secret draft" not in chooser and "published post" in chooser
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "secret"}).content.decode()
    assert "secret draft" not in search
    draft = SpacePostPage.objects.get(title="Bob's secret draft")
    for url in (f"/cms/bulk/wagtailcore/page/delete/?id={draft.pk}", "/cms/reports/page-types-usage/"):
        response = client.get(url)
        assert response.status_code == 403 and "secret draft" not in response.content.decode()
    client.force_login(cm)
    assert client.get("/cms/reports/page-types-usage/").status_code == 200


def test_a_space_taken_offline_takes_its_posts(client, space_a, post):
    SpacePage.objects.get(pk=space_a.pk).unpublish()
    assert not SpacePostPage.objects.get(pk=post.pk).live
    assert client.get(post.url).status_code == 404


def test_a_former_owner_is_no_longer_asked_to_approve(cm, alice, bob, post, member, django_capture_on_commit_callbacks):
    post = age(post, 5)
    space = SpacePage.objects.get(pk=post.space.pk)
    space.space_owner = bob
    space.save_revision(user=cm).publish(user=cm)
    with django_capture_on_commit_callbacks(execute=True):
        svc.add_comment(actor=member, post=SpacePostPage.objects.get(pk=post.pk), body="Who decides now?")
    assert Notification.objects.filter(recipient=bob, kind="comment_waiting").exists()
    assert not Notification.objects.filter(recipient=alice).exists()
    with pytest.raises(PermissionDenied):
        svc.moderate_comment(actor=alice, comment=Comment.objects.get(), decision="approve")
