# ruff: noqa: F811  (fixtures imported by name from tests.cm.mediation_fixtures)
"""The brand-watch inbox (/cm/watch/): the watched-word alerts with their sentence, author and place,
shared among CMs (take it, done, reopen), a removed item's text never shown, in a fixed number of
queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cm.mediation import services
from community import content
from moderation.models import AuditLogEntry, WatchedWordHit
from tests.factories import ReplyFactory, TopicFactory, UserFactory

from .mediation_fixtures import (  # noqa: F401  (fixtures)
    brand,
    cm,
    comment_on,
    contributor,
    member,
    other_cm,
    raise_alerts,
    reply_with_alert,
    space_post,
    staff,
    topic,
)

WATCH = "/cm/watch/"


def rows(html):
    return re.findall(r'<li class="queue-item card watch-alert" id="alert-(\d+)"', html)


def sentence_of(html, hit):
    found = re.search(rf'id="alert-{hit.pk}-sentence">(.*?)</blockquote>', html, re.S)
    return found.group(1) if found else None


def test_an_alert_shows_the_sentence_with_the_word_marked_the_author_and_where(
        brand, topic, member, cm, client, django_capture_on_commit_callbacks):
    post, hit = reply_with_alert(topic, member, "I tried three tyres. Then I read about it on Tribune last week! "
                                               "Anyway, that is another story.", django_capture_on_commit_callbacks)
    client.force_login(cm)

    html = client.get(WATCH).content.decode()

    assert sentence_of(html, hit) == "Then I read about it on <mark>Tribune</mark> last week!"
    assert "Maya Lindqvist (@maya)" in html
    assert "In “Tubeless tyres”" in html and f'href="{post.get_absolute_url()}"' in html
    assert "“Tribune”" in html  # the word that raised it


def test_member_text_is_escaped_before_the_word_is_marked(brand, member, cm, client, topic,
                                                         django_capture_on_commit_callbacks):
    # A topic's title is checked as written (not rendered): a <script> in it must stay text.
    with django_capture_on_commit_callbacks(execute=True):
        opening = TopicFactory(forum=topic.forum, author=member, title="<script>alert(1)</script> Tribune <b>rocks</b>",
                               body="Code: `<img src=x onerror=alert(2)>` and Tribune again.").posts.get(position=1)
    hit = WatchedWordHit.objects.get(kind="forums.post", object_id=opening.pk)
    client.force_login(cm)

    html = client.get(WATCH).content.decode()
    shown = sentence_of(html, hit)

    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Tribune</mark> &lt;b&gt;rocks&lt;/b&gt;" in shown
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>rocks" not in html


def test_the_word_is_found_as_the_matcher_found_it_whatever_its_case_and_accents(
        brand, topic, member, cm, client, django_capture_on_commit_callbacks):
    _post, hit = reply_with_alert(topic, member, "Lu sur TRIBUNÉ hier.", django_capture_on_commit_callbacks)
    client.force_login(cm)

    assert sentence_of(client.get(WATCH).content.decode(), hit) == "Lu sur <mark>TRIBUNÉ</mark> hier."


def test_an_edit_that_drops_the_word_shows_the_text_and_says_so(brand, topic, member, cm, client,
                                                                 django_capture_on_commit_callbacks):
    post, hit = reply_with_alert(topic, member, "Tribune is great", django_capture_on_commit_callbacks)
    type(post).objects.filter(pk=post.pk).update(body="Edited away", body_html="<p>Edited away</p>")
    client.force_login(cm)

    html = client.get(WATCH).content.decode()

    assert sentence_of(html, hit) == "Edited away"
    assert "The word is no longer in the text" in html


def test_a_removed_item_shows_as_removed_never_its_text(brand, topic, member, cm, client,
                                                       django_capture_on_commit_callbacks):
    post, hit = reply_with_alert(topic, member, "Secret words about Tribune", django_capture_on_commit_callbacks)
    content.kind_for(post).remove(post)
    client.force_login(cm)

    html = client.get(WATCH).content.decode()

    assert rows(html) == [str(hit.pk)]
    assert "Secret words" not in html and sentence_of(html, hit) is None
    assert "This item was removed" in html
    assert "Reply in thread" not in html


def test_a_hidden_item_is_still_shown_to_the_cms_with_its_state(brand, topic, member, cm, client,
                                                                 django_capture_on_commit_callbacks):
    post, hit = reply_with_alert(topic, member, "Hidden talk about Tribune", django_capture_on_commit_callbacks)
    content.kind_for(post).hide(post)
    client.force_login(cm)

    html = client.get(WATCH).content.decode()

    assert "<mark>Tribune</mark>" in sentence_of(html, hit)
    assert '<span class="badge">Hidden</span>' in html


def test_a_deleted_item_and_a_deleted_word_leave_no_broken_row(brand, topic, member, cm, client,
                                                                django_capture_on_commit_callbacks):
    post, hit = reply_with_alert(topic, member, "Tribune, gone soon", django_capture_on_commit_callbacks)
    type(post).objects.filter(pk=post.pk).delete()
    client.force_login(cm)

    html = client.get(WATCH).content.decode()
    assert "This item no longer exists." in html

    brand.delete()
    assert rows(client.get(WATCH).content.decode()) == []
    assert client.post(reverse("cm:watch_take", args=[hit.pk])).status_code == 404


def test_the_inbox_is_newest_first_and_only_alerts(brand, topic, member, cm, client, django_capture_on_commit_callbacks):
    from moderation import watched

    watched.create_word(phrase="casino", action="approve")
    first, first_hit = reply_with_alert(topic, member, "Tribune one", django_capture_on_commit_callbacks)
    second, second_hit = reply_with_alert(topic, member, "Tribune two", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        ReplyFactory(topic=topic, author=member, body="casino night")  # held, not an alert
    client.force_login(cm)

    assert rows(client.get(WATCH).content.decode()) == [str(second_hit.pk), str(first_hit.pk)]


# --- Shared among CMs -------------------------------------------------------------------------------

def test_take_it_shows_who_took_it_and_the_second_cm_is_told_who(
        brand, topic, member, cm, other_cm, client, django_capture_on_commit_callbacks):
    _post, hit = reply_with_alert(topic, member, "Tribune?", django_capture_on_commit_callbacks)
    client.force_login(cm)
    response = client.post(reverse("cm:watch_take", args=[hit.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Taken by you" in response.content.decode() and "Give it back" in response.content.decode()

    client.force_login(other_cm)
    page = client.get(WATCH).content.decode()
    assert "Taken by Sam Okafor" in page and f'action="/cm/watch/{hit.pk}/take/"' not in page
    response = client.post(reverse("cm:watch_take", args=[hit.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Taken by Sam Okafor (@sam) before you" in response.content.decode()
    assert hit.watch_alert.__class__.objects.get(hit=hit).claimed_by == cm
    assert AuditLogEntry.objects.filter(action="watch_alert_take").count() == 1


def test_the_second_claim_of_a_race_gets_a_clear_answer_and_changes_nothing(
        brand, topic, member, cm, other_cm, django_capture_on_commit_callbacks):
    _post, hit = reply_with_alert(topic, member, "Tribune!", django_capture_on_commit_callbacks)

    services.take_alert(actor=other_cm, hit_id=hit.pk)
    with pytest.raises(services.AlertTaken) as taken:
        services.take_alert(actor=cm, hit_id=hit.pk)

    assert taken.value.by == other_cm
    assert services.take_alert(actor=other_cm, hit_id=hit.pk)[1] is False  # a double click: still theirs


def test_done_and_reopen_move_the_alert_between_the_tabs_for_every_cm(
        brand, topic, member, cm, other_cm, client, django_capture_on_commit_callbacks):
    _post, hit = reply_with_alert(topic, member, "Tribune again", django_capture_on_commit_callbacks)
    client.force_login(cm)
    client.post(reverse("cm:watch_take", args=[hit.pk]))
    assert rows(client.get(WATCH + "?show=mine").content.decode()) == [str(hit.pk)]

    client.force_login(other_cm)
    assert rows(client.get(WATCH + "?show=mine").content.decode()) == []
    response = client.post(reverse("cm:watch_done", args=[hit.pk]), {"next": WATCH})  # anyone may close it
    assert response.status_code == 302 and response["Location"] == WATCH
    assert rows(client.get(WATCH).content.decode()) == []
    done = client.get(WATCH + "?show=done").content.decode()
    assert rows(done) == [str(hit.pk)] and "Done by Léa Martin" in done

    client.force_login(cm)
    assert rows(client.get(WATCH + "?show=mine").content.decode()) == []
    again = client.post(reverse("cm:watch_done", args=[hit.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "This alert was already closed." in again
    client.post(reverse("cm:watch_reopen", args=[hit.pk]))
    page = client.get(WATCH).content.decode()
    assert rows(page) == [str(hit.pk)] and "Take it" in page
    assert list(AuditLogEntry.objects.filter(kind=services.ALERT_KIND).order_by("pk")
                .values_list("action", flat=True)) == ["watch_alert_take", "watch_alert_done", "watch_alert_reopen"]


def test_a_closed_alert_cannot_be_taken_before_it_is_reopened(brand, topic, member, cm, other_cm,
                                                              django_capture_on_commit_callbacks):
    _post, hit = reply_with_alert(topic, member, "Tribune", django_capture_on_commit_callbacks)
    services.close_alert(actor=other_cm, hit_id=hit.pk)

    with pytest.raises(services.AlertClosed):
        services.take_alert(actor=cm, hit_id=hit.pk)


def test_a_forged_filter_or_page_is_handled(brand, cm, client):
    client.force_login(cm)

    assert client.get(WATCH + "?show=<x>").status_code == 200
    assert client.get(WATCH + "?page=99").status_code == 404
    assert client.post("/cm/watch/99999999/take/").status_code == 404


# --- Who may -----------------------------------------------------------------------------------------

MEDIATION_GETS = ["/cm/watch/", "/cm/escalations/"]


@pytest.mark.parametrize("who", ["member", "contributor"])
def test_members_and_contributors_get_403_on_every_page_and_action(
        who, request, brand, topic, member, client, django_capture_on_commit_callbacks):
    post, hit = reply_with_alert(topic, member, "Tribune", django_capture_on_commit_callbacks)
    client.force_login(request.getfixturevalue(who))
    gets = [*MEDIATION_GETS, f"/cm/escalate/item/forums.post/{post.pk}/", f"/cm/escalate/member/{member.username}/"]
    posts = [f"/cm/watch/{hit.pk}/{change}/" for change in ("take", "release", "done", "reopen")]
    posts += [f"/cm/escalate/item/forums.post/{post.pk}/", f"/cm/escalate/member/{member.username}/"]

    assert {url: client.get(url).status_code for url in gets} == dict.fromkeys(gets, 403)
    assert {url: client.post(url, {"note": "x"}).status_code for url in posts} == dict.fromkeys(posts, 403)
    assert not hit.__class__.objects.filter(watch_alert__isnull=False).exists()


def test_a_visitor_is_asked_to_log_in(client):
    response = client.get(WATCH)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- A fixed number of queries --------------------------------------------------------------------------

def make_alerts(count, *, topic, space_post, authors, capture):
    """`count` alerts, half on forum posts and half on comments of a space post, by several authors."""
    for index in range(count):
        author = authors[index % len(authors)]
        with capture(execute=True):
            if index % 2:
                obj = comment_on(space_post, author, f"Comment {index} about Tribune. Thanks.")
            else:
                obj = ReplyFactory(topic=topic, author=author, body=f"Reply {index}: Tribune rocks.")
        if not WatchedWordHit.objects.filter(object_id=obj.pk, kind=content.kind_for(obj).name).exists():
            raise_alerts(obj)


@pytest.mark.parametrize("size", [3, 12])
def test_the_inbox_renders_in_a_fixed_number_of_queries(size, brand, topic, space_post, cm, other_cm, client,
                                                         django_capture_on_commit_callbacks):
    authors = [UserFactory() for _ in range(4)]
    make_alerts(size, topic=topic, space_post=space_post, authors=authors, capture=django_capture_on_commit_callbacks)
    hits = list(WatchedWordHit.objects.order_by("pk"))
    services.take_alert(actor=other_cm, hit_id=hits[0].pk)
    services.close_alert(actor=other_cm, hit_id=hits[-1].pk)
    services.take_alert(actor=cm, hit_id=hits[1].pk)
    client.force_login(cm)
    client.get(WATCH)  # warm the caches of the process (the matcher, the site root)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(WATCH)

    assert response.status_code == 200
    assert len(rows(response.content.decode())) == size - 1
    assert len(queries) == WATCH_QUERIES, [query["sql"] for query in queries]


# The page's COUNT and its alerts (with their word and shared state, joined), then one query per
# content kind on the page (forum posts, comments): the session, the CM's row and roles come from the
# cache (community.signed_in, community.permissions.grants).
WATCH_QUERIES = 4
