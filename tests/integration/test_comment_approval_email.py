"""Comments "moderated after N days", end to end with the real parts: PostgreSQL, the real Celery
worker process (spam check and fan-out), and the email it sends by SMTP to the local sink.

A CM casts a space for Olga; she publishes a post (a Wagtail revision) that is older than the
space's N days (the default, 2). Maya comments through the post's form: the comment waits, out of
visitors' view; the worker checks it and emails Olga, and only her, a signed "Approve or reject"
link. Followed without logging in, as from a mail client, the link shows a confirmation page
(a GET decides nothing); the page's own form (CSRF token included, as a browser sends it)
approves: visitors see the comment, the member it mentions is told, and Olga is not told about
the comment she approved. A second comment's link rejects it: it stays hidden and is in Olga's
rejected list, from which she restores it. A link with a changed character is a 400 and an
expired one a 410, and neither changes anything.
"""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from blogs import comments as comment_service
from blogs.models import Comment, SpacePostPage
from blogs.services import create_space
from community.models import Event, EventStatus, SpamStatus, Visibility
from community.notifications.models import Notification
from tests.factories import UserFactory

from .harness import wait_for

pytestmark = pytest.mark.integration

SITE = "http://127.0.0.1:8000"  # settings.SITE_URL of the worker (the default)
TITLE = "Brume sur la Loire"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVIEW_LINE = re.compile(r"^Approve or reject: (\S+)\r?$", re.MULTILINE)  # (SMTP's lines end in CRLF)


@pytest.fixture
def people():
    cm = UserFactory(username="sam", display_name="Sam", roles=["Community managers"])
    owner = UserFactory(username="olga", display_name="Olga Owner")
    member = UserFactory(username="maya", display_name="Maya")
    mentioned = UserFactory(username="nina", display_name="Nina")
    return cm, owner, member, mentioned


@pytest.fixture
def old_post(people):
    """Olga's post, published (a Wagtail revision) three days ago: past the space's 2 days."""
    cm, owner, _member, _mentioned = people
    space = create_space(actor=cm, owner=owner, kind="column", title="Night shift")
    assert space.moderate_after_days == 2
    post = SpacePostPage(title=TITLE, date=date(2025, 3, 1), excerpt="Five pictures at dawn", body=[])
    space.add_child(instance=post)
    post.save_revision(user=owner).publish(user=owner)
    SpacePostPage.objects.filter(pk=post.pk).update(first_published_at=timezone.now() - timedelta(days=3))
    post.refresh_from_db()
    all_events_done()  # the space's and the post's: checked by the worker
    assert post.live and post.status == Visibility.PUBLISHED
    return post


def all_events_done(timeout=30):
    wait_for(lambda: not Event.objects.filter(status=EventStatus.PENDING).exists(), timeout=timeout,
             message="every event to be delivered by the worker")
    assert not Event.objects.filter(status=EventStatus.FAILED).exists()


def csrf_token(html):
    match = CSRF_INPUT.search(html)
    assert match, "no form with a CSRF token on the page"
    return match.group(1)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def comment_through_the_form(client, post, body):
    """What a logged-in member's browser does: the post page, then its comment form."""
    token = csrf_token(page(client, post.url))
    response = client.post(f"/spaces/posts/{post.pk}/comment/", {"body": body, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.content.decode()[:2000]
    number = re.fullmatch(rf"{re.escape(post.url)}#comment-(\d+)", response["Location"]).group(1)
    return Comment.objects.get(post=post, number=int(number))


def review_link_emailed(worker_mail, user, comment, timeout=30):
    """The one email telling `user` that `comment` waits, as the SMTP sink received it; the path
    of its "Approve or reject" link (the same in both parts)."""
    quoted = comment.body[:20]  # the email quotes the comment's beginning

    def about_it():
        return [m for m in worker_mail.to(user.email, "awaits your approval")
                if quoted in m.get_body(("plain",)).get_content()]

    wait_for(about_it, timeout=timeout, message=f"the email to {user.email} about “{quoted}”")
    (message,) = about_it()
    assert str(message["Subject"]).strip() == f"A comment by Maya awaits your approval on “{TITLE}”"
    (link,) = REVIEW_LINE.findall(message.get_body(("plain",)).get_content())
    assert link.startswith(f"{SITE}/spaces/comments/review/")
    assert f'href="{link}"' in message.get_body(("html",)).get_content()
    return urlsplit(link).path


def status_of(comment):
    return Comment.objects.get(pk=comment.pk).status


def decide_by_link(path, decision):
    """A mail client's browser, never logged in: the confirmation page, then its form's button."""
    browser = Client(enforce_csrf_checks=True)
    html = page(browser, path)
    response = browser.post(path, {"decision": decision, "csrfmiddlewaretoken": csrf_token(html)})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "sessionid" not in browser.cookies
    return response.content.decode()


def test_the_owner_approves_and_rejects_late_comments_from_the_email_link(
    celery_worker, redis_server, worker_mail, people, old_post, monkeypatch
):
    _cm, owner, member, mentioned = people
    post = old_post
    visitor = Client()
    maya = Client(enforce_csrf_checks=True)
    maya.force_login(member)

    # 1. Maya comments on the old post: it waits; she sees it marked, a visitor does not.
    first = comment_through_the_form(maya, post, "Lovely light on the river, @nina should see this.")
    assert first.status == Visibility.PENDING and first.awaiting_holder
    html = page(maya, post.url)
    assert "Your comment awaits approval" in html and "Awaiting approval" in html and "Lovely light" in html
    html = page(visitor, post.url)
    assert "Lovely light" not in html and 'id="comments-title">0 comments<' in html and "moderated since" in html

    # 2. The worker checks it and tells Olga, by email, with the signed link; no one else.
    path = review_link_emailed(worker_mail, owner, first)
    all_events_done()
    celery_worker.wait_until_idle(redis_server)
    assert worker_mail.to(member.email) == [] and worker_mail.to(mentioned.email) == []
    assert len(worker_mail.to(owner.email)) == 1
    # Found clean by the worker's spam check, it still waits for Olga.
    assert Comment.objects.get(pk=first.pk).spam_status == SpamStatus.HAM
    assert status_of(first) == Visibility.PENDING and "Lovely light" not in page(visitor, post.url)

    # 3. Following the link (no login): a confirmation page with the comment; nothing changes.
    reader = Client(enforce_csrf_checks=True)
    html = page(reader, path)
    assert "Lovely light on the river" in html and "You decide as Olga Owner." in html
    assert 'value="approve"' in html and 'value="reject"' in html
    assert status_of(first) == Visibility.PENDING and "Lovely light" not in page(visitor, post.url)
    # A POST without the page's token (a forged cross-site form) is refused and changes nothing.
    assert reader.post(path, {"decision": "approve"}).status_code == 403
    assert status_of(first) == Visibility.PENDING

    # 4. The page's Approve button: everyone sees the comment now.
    done = reader.post(path, {"decision": "approve", "csrfmiddlewaretoken": csrf_token(html)})
    assert done.status_code == 200, done.content.decode()[:2000]
    assert "The comment is approved: everyone sees it now." in done.content.decode()
    assert "sessionid" not in reader.cookies
    assert status_of(first) == Visibility.PUBLISHED
    html = page(visitor, post.url)
    assert "Lovely light on the river" in html and 'id="comments-title">1 comment<' in html
    # The publication is announced by the worker: Nina, mentioned, is told now; Olga, who
    # approved it, is not told again; Maya is not told about her own comment.
    mention = wait_for(lambda: worker_mail.to(mentioned.email), timeout=30, message="Nina's email")
    assert len(mention) == 1 and "Lovely light" in mention[0].get_body(("plain",)).get_content()
    all_events_done()
    celery_worker.wait_until_idle(redis_server)
    assert Event.objects.filter(kind="content.published", target_id=first.pk, status=EventStatus.DONE).exists()
    assert not Notification.objects.filter(recipient=owner).exclude(kind="comment_waiting").exists()
    assert len(worker_mail.to(owner.email)) == 1 and worker_mail.to(member.email) == []
    # The same link again: the page says it is decided, with no button left.
    html = page(Client(), path)
    assert "This comment has already been decided." in html and 'value="approve"' not in html

    # 5. A second late comment, rejected from its own email: hidden, in Olga's rejected list.
    second = comment_through_the_form(maya, post, "Second thought: the framing is off.")
    assert second.status == Visibility.PENDING
    rejected = decide_by_link(review_link_emailed(worker_mail, owner, second), "reject")
    assert "The comment is rejected: it stays hidden." in rejected
    assert status_of(second) == Visibility.HIDDEN
    assert "framing is off" not in page(visitor, post.url)
    olga = Client(enforce_csrf_checks=True)
    olga.force_login(owner)
    assert "framing is off" not in page(olga, "/spaces/comments/waiting/")
    html = page(olga, "/spaces/comments/waiting/?show=rejected")
    assert "framing is off" in html and f'action="/spaces/comments/{second.pk}/moderate/"' in html
    restored = olga.post(f"/spaces/comments/{second.pk}/moderate/",
                         {"decision": "restore", "next": "waiting", "csrfmiddlewaretoken": csrf_token(html)})
    assert restored.status_code == 302 and restored["Location"] == "/spaces/comments/waiting/"
    assert status_of(second) == Visibility.PUBLISHED
    assert "framing is off" in page(visitor, post.url)

    # 6. A third one: its link with one character changed is a 400, once expired a 410; it waits on.
    third = comment_through_the_form(maya, post, "A third remark, still waiting.")
    path = review_link_emailed(worker_mail, owner, third)
    prefix = "/spaces/comments/review/"
    token = path.removeprefix(prefix).rstrip("/")
    browser = Client(enforce_csrf_checks=True)
    page(browser, path)  # a genuine visit first: the browser holds its CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    for at in (token.index(":") // 2, len(token) - 5):  # in the signed data, in the signature
        changed = token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1:]
        tampered = f"{prefix}{changed}/"
        response = browser.get(tampered)
        assert response.status_code == 400 and "This link is not valid" in response.content.decode()
        response = browser.post(tampered, {"decision": "approve", "csrfmiddlewaretoken": csrf})
        assert response.status_code == 400
    assert status_of(third) == Visibility.PENDING
    monkeypatch.setattr(comment_service, "REVIEW_LINK_MAX_AGE", timedelta(seconds=-1))
    response = browser.get(path)
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert browser.post(path, {"decision": "approve", "csrfmiddlewaretoken": csrf}).status_code == 410
    assert status_of(third) == Visibility.PENDING
    assert "still waiting" not in page(visitor, post.url)
    # Maya was never emailed about her own comments.
    all_events_done()
    assert worker_mail.to(member.email) == []
