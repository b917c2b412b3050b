"""The links and buttons of each comment on a post page lead where they say, for each kind of reader
(blogs.threads makes them once per page rather than once per comment: they must stay the views' own
URLs), and each author's name and avatar are theirs."""

import re

import pytest
from django.urls import reverse

from blogs import comments as svc
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(space_a, add_post):
    post = add_post(space_a, "Brume sur la Loire")
    reader = UserFactory(username="reader.one", display_name="Rita Reader")
    other = UserFactory(username="other", display_name="")
    first = svc.add_comment(actor=reader, post=post, body="Frist!")
    reply = svc.add_comment(actor=other, post=post, body="Welcome.", parent=first)
    svc.edit_comment(actor=reader, comment=first, body="First light.")
    return post, reader, other, first, reply


def comment_html(html, number):
    return re.search(rf'<li class="comment[^"]*" id="comment-{number}">.*?</li>', html, re.S).group(0)


def test_a_visitor_sees_the_authors_and_the_history_link(client, thread):
    post, reader, other, first, reply = thread
    html = client.get(post.url).content.decode()

    mine = comment_html(html, first.number)
    assert f'<a class="author" href="{reverse("community:profile", args=["reader.one"])}">Rita Reader</a>' in mine
    assert '<span class="avatar placeholder small" aria-hidden="true">R</span>' in mine
    assert f'href="{reverse("blogs:comment_history", args=[first.pk])}">edited</a>' in mine
    theirs = comment_html(html, reply.number)
    assert f'href="{reverse("community:profile", args=["other"])}">other</a>' in theirs
    assert "Reply" not in html and "Report" not in html


def test_a_member_replies_reports_and_edits_or_deletes_their_own(client, thread):
    post, reader, other, first, reply = thread
    client.force_login(reader)
    html = client.get(post.url).content.decode()

    mine, theirs = comment_html(html, first.number), comment_html(html, reply.number)
    assert f'<a href="{reverse("blogs:comment_edit", args=[first.pk])}">Edit</a>' in mine
    assert f'action="{reverse("blogs:comment_delete", args=[first.pk])}"' in mine
    assert f'<a href="{reverse("blogs:comment_reply", args=[first.pk])}">Reply</a>' in mine
    assert "Report" not in mine
    assert f'<a href="{reverse("moderation:report", args=["blogs.comment", reply.pk])}">Report</a>' in theirs
    assert f'<a href="{reverse("blogs:comment_reply", args=[reply.pk])}">Reply</a>' in theirs
    assert "Edit" not in theirs
    assert client.get(reverse("blogs:comment_reply", args=[reply.pk])).status_code == 200


def test_the_spaces_owner_has_the_moderation_buttons(client, thread, alice):
    post, reader, other, first, reply = thread
    client.force_login(alice)
    html = client.get(post.url).content.decode()

    for comment in (first, reply):
        assert f'action="{reverse("blogs:comment_moderate", args=[comment.pk])}"' in comment_html(html, comment.number)
