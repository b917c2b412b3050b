# ruff: noqa: F811  (fixtures imported by name from tests.cm.mediation_fixtures)
""""Reply in thread" from the brand-watch inbox: the content app's own reply form opens in place (an
htmx GET answers the form alone), and posting it goes through the app's own view — a real reply,
with every check (a silenced CM's reply is refused there, as anywhere)."""

import re

from django.urls import reverse

from blogs.models import Comment
from community import replying
from forums.models import Post
from moderation import sanctions

from .mediation_fixtures import (  # noqa: F401  (fixtures)
    brand,
    cm,
    comment_on,
    member,
    reply_with_alert,
    space_post,
    staff,
    topic,
)

WATCH = "/cm/watch/"


def reply_button(html, hit):
    found = re.search(rf'id="alert-{hit.pk}".*?hx-get="([^"]+)" hx-target="#alert-{hit.pk}-composer"', html, re.S)
    return found.group(1).replace("&amp;", "&") if found else None


def test_reply_in_thread_opens_the_forum_reply_form_quoting_the_post_and_posts_a_real_reply(
        brand, topic, member, cm, client, django_capture_on_commit_callbacks):
    post, hit = reply_with_alert(topic, member, "Is Tribune any good?", django_capture_on_commit_callbacks)
    client.force_login(cm)
    url = reply_button(client.get(WATCH).content.decode(), hit)
    assert url == f"/forums/t/{topic.pk}/reply/?quote={post.pk}"

    fragment = client.get(url, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html and "<h1" not in html  # the form alone, to swap into the row
    assert f'action="/forums/t/{topic.pk}/reply/"' in html
    assert f'name="quote" value="{post.pk}"' in html and "Quoting Maya Lindqvist" in html
    assert client.get(url).content.decode().count("<html") == 1  # without htmx: the whole page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forums/t/{topic.pk}/reply/", {"body": "Thanks for asking! Happy to help.",
                                                                 "quote": post.pk})
    reply = Post.objects.get(topic=topic, author=cm)
    assert response.status_code == 302 and response["Location"] == reply.get_absolute_url()
    assert "Thanks for asking" in reply.body_html and "Is Tribune any good?" in reply.body_html  # quoted


def test_the_forums_own_checks_run_on_a_reply_from_the_inbox(brand, topic, member, cm, staff, client,
                                                             django_capture_on_commit_callbacks):
    _post, hit = reply_with_alert(topic, member, "Tribune rocks", django_capture_on_commit_callbacks)
    sanctions.sanction_member(actor=staff, member=cm, kind="silence", reason="Cool down", days=1)
    client.force_login(cm)

    response = client.post(f"/forums/t/{topic.pk}/reply/", {"body": "My reply"})

    assert response.status_code == 403
    assert "My reply" in response.content.decode()  # nothing typed is lost
    assert not Post.objects.filter(author=cm).exists()


def test_reply_in_thread_opens_the_reply_to_comment_form_and_posts_a_real_reply(
        brand, space_post, member, cm, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_on(space_post, member, "Tribune's spaces are nice.")
    hit = _hit(comment)
    assert hit is not None and hit.action == "alert"
    client.force_login(cm)
    url = reply_button(client.get(WATCH).content.decode(), hit)
    assert url == reverse("blogs:comment_reply", args=[comment.pk])

    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and f'name="parent" value="{comment.pk}"' in html
    assert "Reply to Maya Lindqvist (#1)" in html
    action = re.search(r'<form method="post" action="([^"]+)"', html).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, {"body": "Glad you like them!", "parent": comment.pk})

    reply = Comment.objects.get(author=cm)
    assert response.status_code == 302 and reply.parent_id == comment.pk and reply.post_id == space_post.pk


def _hit(comment):
    from moderation.models import WatchedWordHit

    return WatchedWordHit.objects.filter(kind="blogs.comment", object_id=comment.pk).first()


def test_the_apps_register_their_reply_forms_and_places(topic):
    post = topic.posts.get(position=1)

    assert replying.reply_form_url("forums.post", post) == f"/forums/t/{topic.pk}/reply/?quote={post.pk}"
    assert replying.place("forums.post", post) == "Tubeless tyres"
    assert replying.reply_form_url("community.profile", object()) == ""  # a kind without a reply form
