"""Members' threaded comments on posts, as a reader, a commenter, the space's owner and a CM see
them: numbered and nested, Markdown, permalinks, edits with history, tombstones, counts; the comment
policy (open, moderated, closed, moderated after N days) and the owner's approvals; bad input gets a
clear 4xx with the typed text kept; a post page costs the same queries for 5 comments or 500."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blogs import comments as svc
from blogs.models import Comment, PostThread, SpacePostPage
from community.models import Visibility
from community.notifications.models import Notification
from moderation import sanctions, watched
from moderation.models import ReviewItem, SpamCheck
from moderation.watched import matching
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(space_a, add_post):
    return add_post(space_a, "Brume sur la Loire", excerpt="Five pictures at dawn")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader", display_name="Rita Reader")


@pytest.fixture
def replier(db):
    return UserFactory(username="replier", display_name="Paul Replier")


def page_of(client, post):
    response = client.get(post.url)
    assert response.status_code == 200
    return response.content.decode()


def age(post, days):
    """Make the post published `days` ago (its comment policy counts from its first publication)."""
    when = timezone.now() - datetime.timedelta(days=days)
    SpacePostPage.objects.filter(pk=post.pk).update(first_published_at=when)
    post.refresh_from_db()
    return post


def comment_ids(html):
    return re.findall(r'id="comment-(\d+)"', html)


# --- Writing and reading ---------------------------------------------------------------------------

def test_comments_and_replies_are_numbered_nested_and_counted(client, post, reader, replier, alice):
    first = svc.add_comment(actor=reader, post=post, body="What a **light**!")
    reply = svc.add_comment(actor=replier, post=post, body="Agreed, @reader.", parent=first)
    second = svc.add_comment(actor=alice, post=post, body="Thank you both.")
    deeper = reply
    for n in range(6):  # a long back-and-forth: flattened past the fourth level
        deeper = svc.add_comment(actor=reader if n % 2 else replier, post=post, body=f"Level {n + 3}", parent=deeper)

    assert [first.number, reply.number, second.number] == [1, 2, 3]
    assert PostThread.objects.get(pk=post.pk).comment_count == 9
    html = page_of(client, post)
    assert "9 comments" in html
    # Tree order: the reply right under the comment it answers, then the next top-level comment.
    assert comment_ids(html) == ["1", "2", "4", "5", "6", "7", "8", "9", "3"]
    assert "<strong>light</strong>" in html  # Markdown, rendered at save time
    assert 'class="comment depth-0' in html and 'class="comment depth-1' in html
    assert 'class="comment depth-5' not in html and "in reply to" in html
    # A permalink leads to its place in the thread.
    response = client.get(reverse("blogs:comment", args=[reply.pk]))
    assert response.status_code == 302 and response["Location"] == f"{post.url}#comment-2"


def test_a_member_comments_through_the_form_and_a_visitor_is_asked_to_log_in(client, post, reader):
    url = reverse("blogs:comment_create", args=[post.pk])
    response = client.post(url, {"body": "Hello"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()
    assert "Log in to comment." in page_of(client, post)

    client.force_login(reader)
    response = client.post(url, {"body": "Lovely *mist*."})
    assert response.status_code == 302 and response["Location"].endswith("#comment-1")
    assert "<em>mist</em>" in page_of(client, post)
    # The same comment sent twice (a double click) is kept once.
    again = client.post(url, {"body": "Lovely *mist*."})
    assert again.status_code == 302 and Comment.objects.count() == 1


@pytest.mark.parametrize("body, message", [
    ("", "This field is required."),
    ("   \u200b  ", "Write something first."),
    ("x" * (svc.COMMENT_MAX_BYTES + 1), "at most 16 KB"),
])
def test_an_empty_or_oversized_comment_is_a_400_that_keeps_the_text(client, post, reader, body, message):
    client.force_login(reader)
    response = client.post(reverse("blogs:comment_create", args=[post.pk]), {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert message.lower() in html.lower()
    if body.strip():
        assert body[:200] in html  # what was typed is in the form again
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_of_another_post_is_refused_and_the_text_kept(client, space_a, add_post, post, reader):
    other_post = add_post(space_a, "Another post")
    elsewhere = svc.add_comment(actor=reader, post=other_post, body="Over there")
    client.force_login(reader)
    for parent in (elsewhere.pk, 10**15, 2**63 + 5):
        response = client.post(reverse("blogs:comment_create", args=[post.pk]),
                               {"body": "My careful reply", "parent": parent})
        assert response.status_code == 400
        assert "My careful reply" in response.content.decode()
    assert Comment.objects.count() == 1
    with pytest.raises(ValidationError):
        svc.add_comment(actor=reader, post=post, body="Sneaky", parent=elsewhere)


def test_no_comment_on_a_closed_or_unpublished_post(client, space_a, add_post, post, reader):
    client.force_login(reader)
    post.comment_policy = "closed"
    post.save_revision(user=space_a.space_owner).publish(user=space_a.space_owner)
    post.refresh_from_db()
    response = client.post(reverse("blogs:comment_create", args=[post.pk]), {"body": "Still here?"})
    assert response.status_code == 403
    assert "Comments are closed on this post." in response.content.decode()
    assert "Still here?" in response.content.decode()
    html = page_of(client, post)
    assert "Comments are closed on this post." in html and 'id="comment-form"' not in html

    draft = add_post(space_a, "A draft", live=False)
    assert client.post(reverse("blogs:comment_create", args=[draft.pk]), {"body": "Hi"}).status_code == 404
    assert client.post(reverse("blogs:comment_create", args=[10**9]), {"body": "Hi"}).status_code == 404
    with pytest.raises(PermissionDenied):
        svc.add_comment(actor=reader, post=post, body="Direct")
    assert not Comment.objects.exists()


def test_sanctioned_members_do_not_comment(client, cm, post, reader):
    sanctions.sanction_member(actor=cm, member=reader, kind="silence", reason="Cool down", days=1)
    reader.refresh_from_db()
    client.force_login(reader)
    response = client.post(reverse("blogs:comment_create", args=[post.pk]), {"body": "Let me speak"})
    assert response.status_code == 403 and "Let me speak" in response.content.decode()
    assert not Comment.objects.exists()


# --- Editing, deleting, tombstones -------------------------------------------------------------------

def test_its_author_edits_a_comment_and_the_history_is_kept(client, post, reader, replier):
    mine = svc.add_comment(actor=reader, post=post, body="Frist!")
    client.force_login(replier)
    assert client.get(reverse("blogs:comment_edit", args=[mine.pk])).status_code == 403
    assert client.post(reverse("blogs:comment_edit", args=[mine.pk]), {"body": "Hacked"}).status_code == 403

    client.force_login(reader)
    response = client.post(reverse("blogs:comment_edit", args=[mine.pk]), {"body": "First light, first comment."})
    assert response.status_code == 302
    html = page_of(client, post)
    assert "First light, first comment." in html and "Frist!" not in html and ">edited</a>" in html
    history = client.get(reverse("blogs:comment_history", args=[mine.pk])).content.decode()
    assert "Frist!" in history and "First light, first comment." in history
    # An empty edit is refused with the text kept (nothing saved).
    response = client.post(reverse("blogs:comment_edit", args=[mine.pk]), {"body": "  "})
    assert response.status_code == 400
    assert Comment.objects.get(pk=mine.pk).body == "First light, first comment."


def test_a_deleted_comment_leaves_a_tombstone_and_its_replies(client, post, reader, replier):
    parent = svc.add_comment(actor=reader, post=post, body="The parent text")
    svc.add_comment(actor=replier, post=post, body="A reply that stays", parent=parent)
    lone = svc.add_comment(actor=reader, post=post, body="A lone remark")

    client.force_login(replier)
    assert client.post(reverse("blogs:comment_delete", args=[parent.pk])).status_code == 403
    client.force_login(reader)
    assert client.post(reverse("blogs:comment_delete", args=[parent.pk])).status_code == 302
    assert client.post(reverse("blogs:comment_delete", args=[lone.pk])).status_code == 302

    client.logout()
    html = page_of(client, post)
    assert "This comment was deleted by its author." in html and "The parent text" not in html
    assert "A reply that stays" in html
    assert "A lone remark" not in html and comment_ids(html) == ["1", "2"]  # no reply: no tombstone
    assert PostThread.objects.get(pk=post.pk).comment_count == 1
    assert client.get(reverse("blogs:comment", args=[parent.pk])).status_code == 404
    assert client.get(reverse("blogs:comment_history", args=[parent.pk])).status_code == 404


def test_a_comment_removed_by_a_cm_says_so_and_reports_reach_the_queue(client, cm, post, reader, replier):
    parent = svc.add_comment(actor=reader, post=post, body="Rude words here")
    svc.add_comment(actor=replier, post=post, body="Please be nice", parent=parent)
    client.force_login(replier)
    response = client.post(reverse("moderation:report", args=["blogs.comment", parent.pk]), {"reason": "abuse"})
    assert response.status_code == 302
    assert ReviewItem.objects.get(kind="blogs.comment", object_id=parent.pk).open_reports == 1

    client.force_login(cm)
    assert "Rude words here" in client.get(reverse("moderation:queue")).content.decode()
    response = client.post(reverse("moderation:decide"), {"kind": "blogs.comment", "id": parent.pk, "decision": "remove"})
    assert response.status_code == 302
    client.logout()
    html = page_of(client, post)
    assert "This comment was removed by a moderator." in html and "Rude words here" not in html
    assert "Please be nice" in html
    assert PostThread.objects.get(pk=post.pk).comment_count == 1


def test_the_spam_check_runs_on_comments_and_remove_all_content_reaches_them(
        cm, post, reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mine = svc.add_comment(actor=reader, post=post, body="Nice picture of the river.")
    assert SpamCheck.objects.filter(kind="blogs.comment", object_id=mine.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        sanctions.remove_all_content(actor=cm, member=reader, reason="Spammer")
    assert Comment.objects.get(pk=mine.pk).status == Visibility.REMOVED
    assert PostThread.objects.get(pk=post.pk).comment_count == 0


def test_watched_words_block_or_hold_a_comment(client, post, reader):
    watched.create_word(phrase="viagra", action="block")
    watched.create_word(phrase="casino", action="approve")
    client.force_login(reader)
    response = client.post(reverse("blogs:comment_create", args=[post.pk]), {"body": "cheap viagra"})
    assert response.status_code == 400 and "viagra" in response.content.decode()
    held = svc.add_comment(actor=reader, post=post, body="casino night")
    assert held.status == Visibility.PENDING and not held.awaiting_holder
    assert ReviewItem.objects.get(kind="blogs.comment", object_id=held.pk).held
    # The space's owner cannot release what moderation holds, neither directly nor by a rejection undone.
    for decision in ("approve", "reject"):
        with pytest.raises(PermissionDenied):
            svc.moderate_comment(actor=post.space.space_owner, comment=held, decision=decision)


# --- Policy and approvals ---------------------------------------------------------------------------------

def test_comments_wait_once_the_post_is_older_than_n_days(client, post, reader, replier, alice,
                                                          django_capture_on_commit_callbacks, mailoutbox):
    fresh = svc.add_comment(actor=reader, post=post, body="Fresh and open")
    assert fresh.status == Visibility.PUBLISHED
    moderated_from = timezone.localtime(post.first_published_at + datetime.timedelta(days=2))
    assert f"Comments on this post are moderated from {moderated_from.day} " in page_of(client, post)

    age(post, 3)
    with django_capture_on_commit_callbacks(execute=True):
        late = svc.add_comment(actor=replier, post=post, body="A late thought")
    assert late.status == Visibility.PENDING and late.awaiting_holder
    # Its author sees it, marked; other readers do not; the owner sees it with her buttons.
    client.force_login(replier)
    html = page_of(client, post)
    assert "A late thought" in html and "Awaiting approval" in html
    client.force_login(reader)
    assert "A late thought" not in page_of(client, post)
    client.logout()
    assert "A late thought" not in page_of(client, post) and "moderated since" in page_of(client, post)
    client.force_login(alice)
    html = page_of(client, post)
    assert "A late thought" in html and 'value="approve"' in html
    # She was told, and her email carries the signed link.
    assert Notification.objects.filter(recipient=alice, kind="comment_waiting").exists()
    (email,) = [m for m in mailoutbox if alice.email in m.to]
    assert "/spaces/comments/review/" in email.body
    # Her waiting list has it; approving from it publishes it for everyone.
    waiting = client.get(reverse("blogs:waiting_comments")).content.decode()
    assert "A late thought" in waiting
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("blogs:comment_moderate", args=[late.pk]),
                               {"decision": "approve", "next": "waiting"})
    assert response.status_code == 302 and response["Location"] == reverse("blogs:waiting_comments")
    client.logout()
    assert "A late thought" in page_of(client, post)
    assert PostThread.objects.get(pk=post.pk).comment_count == 2
    # Her own comments never wait; a CM's neither.
    assert svc.add_comment(actor=alice, post=post, body="Thanks!").status == Visibility.PUBLISHED


def test_a_rejection_hides_a_comment_and_can_be_undone(client, post, reader, alice, bob, space_b):
    post.comment_policy = "moderated"
    post.save_revision(user=alice).publish(user=alice)
    post.refresh_from_db()
    waiting = svc.add_comment(actor=reader, post=post, body="Please approve me")
    assert waiting.status == Visibility.PENDING
    # The owner of another space may not decide here.
    client.force_login(bob)
    assert client.post(reverse("blogs:comment_moderate", args=[waiting.pk]), {"decision": "approve"}).status_code == 404
    client.force_login(alice)
    assert client.post(reverse("blogs:comment_moderate", args=[waiting.pk]), {"decision": "reject"}).status_code == 302
    assert Comment.objects.get(pk=waiting.pk).status == Visibility.HIDDEN
    assert "Please approve me" in client.get(reverse("blogs:waiting_comments"), {"show": "rejected"}).content.decode()
    client.force_login(reader)
    assert "Please approve me" not in page_of(client, post)
    client.force_login(alice)
    assert client.post(reverse("blogs:comment_moderate", args=[waiting.pk]), {"decision": "restore"}).status_code == 302
    assert Comment.objects.get(pk=waiting.pk).status == Visibility.PUBLISHED
    assert PostThread.objects.get(pk=post.pk).comment_count == 1
    # An unknown decision changes nothing.
    response = client.post(reverse("blogs:comment_moderate", args=[waiting.pk]), {"decision": "explode"})
    assert response.status_code == 302 and Comment.objects.get(pk=waiting.pk).status == Visibility.PUBLISHED


def test_the_email_link_confirms_before_it_decides_and_refuses_tampering(client, post, reader, alice):
    age(post, 5)
    late = svc.add_comment(actor=reader, post=post, body="Waiting by email")
    token = svc.review_token(comment_id=late.pk, user_id=alice.pk)
    url = reverse("blogs:comment_review_link", args=[token])

    page = client.get(url)  # not logged in: a confirmation page, nothing changes
    assert page.status_code == 200 and "Waiting by email" in page.content.decode()
    assert Comment.objects.get(pk=late.pk).status == Visibility.PENDING
    assert client.post(url, {"decision": "approve"}).status_code == 200
    assert Comment.objects.get(pk=late.pk).status == Visibility.PUBLISHED
    assert "already" in client.post(url, {"decision": "approve"}).content.decode()

    assert client.get(url[:-3] + "abc/").status_code == 400  # tampered
    forged = svc.review_token(comment_id=late.pk, user_id=reader.pk)  # signed for someone who may not decide
    assert client.post(reverse("blogs:comment_review_link", args=[forged]), {"decision": "reject"}).status_code in (403, 404)
    assert Comment.objects.get(pk=late.pk).status == Visibility.PUBLISHED


def test_an_expired_email_link_is_a_410(client, post, reader, alice, settings, monkeypatch):
    age(post, 5)
    late = svc.add_comment(actor=reader, post=post, body="Too late")
    token = svc.review_token(comment_id=late.pk, user_id=alice.pk)
    monkeypatch.setattr(svc, "REVIEW_LINK_MAX_AGE", datetime.timedelta(seconds=-1))
    response = client.get(reverse("blogs:comment_review_link", args=[token]))
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert Comment.objects.get(pk=late.pk).status == Visibility.PENDING


# --- Notifications ----------------------------------------------------------------------------------------

def test_the_author_the_parent_and_the_mentioned_are_told(post, reader, replier, alice,
                                                         django_capture_on_commit_callbacks):
    UserFactory(username="third")
    with django_capture_on_commit_callbacks(execute=True):
        first = svc.add_comment(actor=reader, post=post, body="Hello @third")
    with django_capture_on_commit_callbacks(execute=True):
        svc.add_comment(actor=replier, post=post, body="Hi back", parent=first)
    kinds = set(Notification.objects.values_list("recipient__username", "kind"))
    assert ("alice", "post_comment") in kinds and ("third", "mention") in kinds
    assert ("reader", "comment_reply") in kinds
    assert not Notification.objects.filter(recipient=replier).exists()


# --- Speed ------------------------------------------------------------------------------------------------

def _queries(client, url):
    client.get(url)  # (the watched words' matcher checks its version now and then: not in the count)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["visitor", "member", "owner"])
def test_a_post_page_costs_the_same_for_5_comments_or_500(client, post, reader, replier, alice, who, settings,
                                                           monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    monkeypatch.setattr(matching, "RECHECK_SECONDS", 3600)  # its periodic version check is not per page
    if who == "member":
        client.force_login(reader)
    elif who == "owner":
        client.force_login(alice)
    last = None
    for n in range(5):
        last = svc.add_comment(actor=reader if n % 2 else replier, post=post, body=f"Comment {n}", parent=last)
    client.get(post.url)
    few = _queries(client, post.url)
    authors = [UserFactory() for _ in range(20)]
    for n in range(495):
        parent = last if n % 3 else None
        last = svc.add_comment(actor=authors[n % 20], post=post, body=f"More {n}", parent=parent)
        if n % 50 == 0:
            svc.delete_comment(actor=last.author, comment=last)
            last = None
    assert Comment.objects.filter(post=post).count() == 500
    many = _queries(client, post.url)
    assert few == many, (few, many)
    assert many <= 20


def test_ids_no_row_can_have_are_a_404_not_a_500(client, member):
    client.force_login(member)
    huge = 10**23
    for url in (f"/spaces/comments/{huge}/", f"/spaces/comments/{huge}/edit/", f"/spaces/comments/{huge}/history/",
                f"/spaces/comments/{huge}/reply/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/spaces/posts/{huge}/comment/", f"/spaces/{huge}/follow/", f"/spaces/{huge}/approval/",
                f"/spaces/comments/{huge}/delete/", f"/spaces/comments/{huge}/moderate/"):
        assert client.post(url, {"body": "x", "follow": "1", "decision": "approve"}).status_code == 404, url


def test_the_cached_thread_follows_every_change_and_is_never_someone_elses(
        client, cm, post, reader, replier, alice, django_capture_on_commit_callbacks):
    """Visitors and members with nothing of theirs in the thread share one cached rendering of it:
    every write shows at once, and a commenter, the owner or a CM never get the shared one."""
    first = svc.add_comment(actor=reader, post=post, body="First version")
    assert "First version" in page_of(client, post)  # cached now, for visitors
    svc.edit_comment(actor=reader, comment=first, body="Second version")
    assert "Second version" in page_of(client, post) and "First version" not in page_of(client, post)
    reply = svc.add_comment(actor=replier, post=post, body="A reply")
    assert "A reply" in page_of(client, post)
    svc.delete_comment(actor=replier, comment=reply)
    assert "A reply" not in page_of(client, post)
    svc.moderate_comment(actor=alice, comment=first, decision="reject")
    assert "Second version" not in page_of(client, post)
    svc.moderate_comment(actor=alice, comment=first, decision="restore")
    assert "Second version" in page_of(client, post)
    with django_capture_on_commit_callbacks(execute=True):
        watched.create_word(phrase="version", action="censor")
    assert "Second version" not in page_of(client, post)  # the display filters' generation is in the key

    stranger = UserFactory(username="stranger")
    client.force_login(stranger)
    html = page_of(client, post)
    assert ">Report</a>" in html and ">Edit</a>" not in html and 'value="reject"' not in html
    client.force_login(reader)  # her own comment: her own rendering, with its buttons
    assert ">Edit</a>" in page_of(client, post)
    client.force_login(alice)  # the owner moderates
    assert 'value="reject"' in page_of(client, post)
    client.force_login(stranger)
    assert ">Edit</a>" not in page_of(client, post) and 'value="reject"' not in page_of(client, post)
