"""Publishing a post runs the spine: watched words (a blocked word stops the publication with a clear
message, an alert word tells the CM, an approval word holds the post for a CM), the followers are
told once it is readable; a space may require a CM's approval (Wagtail's workflow, the reviewer's
comment kept for the author); co-authors write in the space like its owner; tag pages."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowPage

from blogs.models import SpacePage, SpacePostPage
from blogs.services import set_follow
from community.models import Visibility
from community.notifications.models import Notification
from moderation import watched
from moderation.models import ReviewItem, WatchedWordHit
from tests.blogs.test_admin import post_form, space_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def publish_through_the_editor(client, space, **fields):
    add = reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space.pk])
    return client.post(add, post_form(**fields, **{"action-publish": "publish"}))


def test_a_blocked_word_stops_the_publication_and_keeps_the_draft(client, alice, space_a):
    watched.create_word(phrase="ferry", action="block")
    client.force_login(alice)
    response = publish_through_the_editor(client, space_a)
    assert response.status_code == 302
    post = SpacePostPage.objects.get()
    assert not post.live and post.get_latest_revision() is not None  # saved as a draft, not lost
    page = client.get(response["Location"], follow=True).content.decode()
    assert "ferry" in page and "not published" in page
    assert client.get("/contributors/alices-column/first-light/").status_code == 404


def test_an_alert_word_tells_the_cm_and_followers_hear_of_the_post(
        client, cm, alice, member, space_a, django_capture_on_commit_callbacks):
    watched.create_word(phrase="harbour", action="alert", watchers=[cm])
    set_follow(actor=member, space=space_a, following=True)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_through_the_editor(client, space_a).status_code == 302
    post = SpacePostPage.objects.get()
    assert post.live and post.status == Visibility.PUBLISHED
    assert WatchedWordHit.objects.filter(kind="blogs.post", object_id=post.pk).exists()
    assert Notification.objects.filter(recipient=cm, kind="cm_watched_word").exists()
    assert Notification.objects.filter(recipient=member, kind="space_post").exists()


def test_an_approval_word_holds_the_post_until_a_cm_releases_it(
        client, cm, alice, member, space_a, django_capture_on_commit_callbacks):
    watched.create_word(phrase="dawn", action="approve")
    set_follow(actor=member, space=space_a, following=True)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_through_the_editor(client, space_a).status_code == 302
    post = SpacePostPage.objects.get()
    assert post.live and post.status == Visibility.PENDING
    assert ReviewItem.objects.get(kind="blogs.post", object_id=post.pk).held
    client.logout()
    assert client.get(post.url).status_code == 404
    assert post.title not in client.get(SpacePage.objects.get(pk=space_a.pk).url).content.decode()
    assert not Notification.objects.filter(recipient=member, kind="space_post").exists()
    client.force_login(alice)  # its author still reads it, marked
    assert "Held by moderation" in client.get(post.url).content.decode()

    client.force_login(cm)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("moderation:decide"), {"kind": "blogs.post", "id": post.pk, "decision": "approve"})
    client.logout()
    assert client.get(post.url).status_code == 200
    assert Notification.objects.filter(recipient=member, kind="space_post").exists()
    # Publishing a later revision keeps moderation's verdict (it is not part of a revision).
    post.refresh_from_db()
    post.excerpt = "Over the harbour."
    post.save_revision(user=alice).publish(user=alice)
    assert SpacePostPage.objects.get(pk=post.pk).status == Visibility.PUBLISHED


def test_a_reported_post_removed_by_a_cm_is_gone_for_readers(client, cm, alice, member, space_a, add_post):
    post = add_post(space_a, "A post to report")
    client.force_login(member)
    assert client.post(reverse("moderation:report", args=["blogs.post", post.pk]), {"reason": "spam"}).status_code == 302
    client.force_login(cm)
    client.post(reverse("moderation:decide"), {"kind": "blogs.post", "id": post.pk, "decision": "remove"})
    client.logout()
    assert client.get(post.url).status_code == 404
    assert "A post to report" not in client.get("/contributors/").content.decode()
    assert client.get(f"{SpacePage.objects.get(pk=space_a.pk).url}feed/").content.decode().count("<item>") == 0


def test_a_space_can_require_a_cms_approval(client, cm, alice, member, space_a, add_post, django_capture_on_commit_callbacks):
    client.force_login(member)
    assert client.post(reverse("blogs:space_approval", args=[space_a.pk]), {"required": "1"}).status_code == 403
    client.force_login(cm)
    page = client.get(space_a.url).content.decode()
    assert "Require a community manager" in page
    assert client.post(reverse("blogs:space_approval", args=[space_a.pk]), {"required": "1"}).status_code == 302
    assert WorkflowPage.objects.filter(page=space_a).exists()

    # The owner can no longer publish directly: she submits to the workflow.
    client.force_login(alice)
    add = reverse("wagtailadmin_pages:add", args=["blogs", "spacepostpage", space_a.pk])
    client.post(add, post_form(**{"action-submit": "submit"}))
    post = SpacePostPage.objects.get()
    assert not post.permissions_for_user(alice).can_publish()
    assert not post.live and post.workflow_in_progress
    client.post(reverse("wagtailadmin_pages:edit", args=[post.pk]), post_form(**{"action-publish": "publish"}))
    assert not SpacePostPage.objects.get(pk=post.pk).live

    # A CM asks for changes with a comment: the author sees it in the page's workflow history.
    task_state = post.current_workflow_task_state
    task_state.task.specific.on_action(task_state.specific, cm, "reject", comment="Please credit the photographer.")
    history = client.get(reverse("wagtailadmin_pages:workflow_history", args=[post.pk])).content.decode()
    detail_urls = [part.split('"')[0] for part in history.split('href="')[1:] if "workflow_history/detail" in part]
    assert detail_urls
    assert "Please credit the photographer." in client.get(detail_urls[0]).content.decode()

    # Resubmitted and approved by a CM: live.
    client.post(reverse("wagtailadmin_pages:edit", args=[post.pk]), post_form(**{"action-submit": "submit"}))
    post = SpacePostPage.objects.get(pk=post.pk)
    task_state = post.current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state.specific, cm, "approve")
    assert SpacePostPage.objects.get(pk=post.pk).live

    # Off again: she publishes herself.
    client.force_login(cm)
    client.post(reverse("blogs:space_approval", args=[space_a.pk]), {"required": "0"})
    assert not WorkflowPage.objects.filter(page=space_a).exists()
    from community.models import User

    assert SpacePage.objects.get(pk=space_a.pk).permissions_for_user(User.objects.get(pk=alice.pk)).can_publish()


def test_a_co_author_writes_in_the_space_and_leaves_with_it(client, cm, alice, space_a, space_b):
    carol = UserFactory(username="carol")
    client.force_login(cm)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[space_a.pk]),
                           space_form(space_a, co_authors=[carol.pk], **{"action-publish": "publish"}))
    assert response.status_code == 302
    space_a = SpacePage.objects.get(pk=space_a.pk)
    assert space_a.permissions_for_user(carol).can_add_subpage()
    assert not space_b.permissions_for_user(carol).can_add_subpage()
    assert carol.groups.filter(name="Contributors").exists()
    # The owner cannot add a co-author herself (a CM's call, like who owns the space).
    client.force_login(alice)
    dave = UserFactory(username="dave")
    client.post(reverse("wagtailadmin_pages:edit", args=[space_a.pk]),
                space_form(space_a, co_authors=[carol.pk, dave.pk], **{"action-publish": "publish"}))
    assert not SpacePage.objects.get(pk=space_a.pk).permissions_for_user(dave).can_add_subpage()
    # Removed by a CM: out of the space.
    client.force_login(cm)
    client.post(reverse("wagtailadmin_pages:edit", args=[space_a.pk]),
                space_form(space_a, co_authors=[], **{"action-publish": "publish"}))
    carol = type(carol).objects.get(pk=carol.pk)  # (Wagtail keeps a user's permissions on the instance)
    assert not SpacePage.objects.get(pk=space_a.pk).permissions_for_user(carol).can_add_subpage()


def test_a_tag_page_lists_the_readable_posts_with_that_tag(client, space_a, add_post):
    shown, draft = add_post(space_a, "Harbour at dawn"), add_post(space_a, "Unfinished", live=False)
    other = add_post(space_a, "Unrelated")
    for post in (shown, draft):
        post.tags.add("harbour")
        post.save()
    other.tags.add("mountains")
    other.save()
    page = client.get("/contributors/tags/harbour/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Harbour at dawn" in html and "Unfinished" not in html and "Unrelated" not in html
    assert client.get("/contributors/tags/nothing-here/").status_code == 404
    draft.tags.add("secret-plans")
    draft.save()
    assert client.get("/contributors/tags/secret-plans/").status_code == 404  # only a draft carries it
    assert client.get("/contributors/tags/harbour/?page=9").status_code == 404
