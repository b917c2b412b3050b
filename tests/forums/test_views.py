"""Every forum page, as a visitor and as a member sees it: lists, pagination, permalinks, private
forums that do not exist for outsiders, the posting flows with their bad input, moderation, likes,
read tracking and the Atom feeds."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from forums import services
from forums.models import (
    Access,
    ForumReadMark,
    ForumSubscription,
    ModerationLogEntry,
    Post,
    Topic,
    TopicSubscription,
)
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LOCKED = "This topic is locked: it accepts no new replies."


def text(response):
    return response.content.decode()


def positions_on(response):
    """The post numbers shown on a topic page, in order."""
    return [int(n) for n in re.findall(r'<article[^>]* id="post-(\d+)"', text(response))]


def titles_on(response):
    """The topic titles of a forum page, in order."""
    return re.findall(r'class="topic-title" href="[^"]*">([^<]*)</a>', text(response))


def reply_url(topic):
    return f"/forums/t/{topic.pk}/reply/"


def forum_url(forum, suffix=""):
    return f"/forums/{forum.pk}-{forum.slug}/{suffix}"


def topic_url(topic, query=""):
    return f"/forums/t/{topic.pk}-{topic.slug}/{query}"


@pytest.fixture
def long_topic(forum, oliver, member, cm):
    """A topic of 45 posts (3 pages of 20): oliver opens, member and cm take turns."""
    topic = TopicFactory(forum=forum, author=oliver, title="A long conversation", body="Let us talk.")
    for n in range(2, 46):
        ReplyFactory(topic=topic, author=member if n % 2 else cm, body=f"Post number {n} of the thread")
    topic.refresh_from_db()
    return topic


# --- the index ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["visitor", "member"])
def test_the_index_shows_categories_forums_sub_forums_counts_and_the_latest_post(client_as, role, category,
                                                                                   forum, topic, member):
    ForumFactory(parent=forum, name="Say it in French", slug="en-francais")
    reply = ReplyFactory(topic=topic, author=member, body="Welcome!")

    response = client_as(role).get("/forums/")

    page = text(response)
    assert response.status_code == 200
    assert f'<h2 id="cat-{category.pk}">Community</h2>' in page
    assert f'<a class="forum-name" href="{forum_url(forum)}">Introductions</a>' in page
    assert "New here? Say hello." in page
    assert re.search(r"Sub-forums:\s*<a href=\"/forums/\d+-en-francais/\">Say it in French</a>", page)
    row = page[page.index(f'class="forum-name" href="{forum_url(forum)}"'):]
    row = row[:row.index("</tr>")]
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "2"]
    assert f'href="/forums/p/{reply.pk}/">Hello everyone</a>' in row
    assert "by Maya" in row


def test_an_empty_forum_says_so_on_the_index(client, forum):
    response = client.get("/forums/")

    assert "No posts yet" in text(response)


# --- a forum's topic list ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["visitor", "member"])
def test_a_forum_lists_pinned_topics_first_then_by_last_activity(client_as, role, forum, oliver, member, cm):
    oldest = TopicFactory(forum=forum, author=oliver, title="Oldest")
    TopicFactory(forum=forum, author=oliver, title="Middle")
    revived = TopicFactory(forum=forum, author=oliver, title="Revived")
    TopicFactory(forum=forum, author=oliver, title="Newest")
    ReplyFactory(topic=revived, author=member)
    services.set_pinned(actor=cm, topic=oldest, pinned=True)

    response = client_as(role).get(forum_url(forum))

    assert response.status_code == 200
    assert titles_on(response) == ["Oldest", "Revived", "Newest", "Middle"]
    assert '<span class="badge">Pinned</span>' in text(response)


@pytest.fixture
def busy_forum(forum, oliver):
    """25 topics: page 1 holds the 20 most recent, page 2 the 5 oldest."""
    for n in range(25):
        TopicFactory(forum=forum, author=oliver, title=f"Topic {n:02d}")
    return forum


def test_a_forum_pages_its_topics_twenty_at_a_time(client, busy_forum):
    first = client.get(forum_url(busy_forum))
    second = client.get(forum_url(busy_forum, "?page=2"))

    assert titles_on(first) == [f"Topic {n:02d}" for n in range(24, 4, -1)]
    assert titles_on(second) == [f"Topic {n:02d}" for n in range(4, -1, -1)]
    assert "Page 2 of 2" in text(second)
    assert 'rel="next" href="?page=2"' in text(first)


def test_an_unknown_page_of_a_forum_is_not_found(client, busy_forum):
    for page in ("3", "0", "-1", "abc", "1.5", ""):
        response = client.get(forum_url(busy_forum, f"?page={page}"))
        assert response.status_code == (200 if page == "" else 404), page


def test_a_forum_with_the_wrong_slug_redirects_to_its_canonical_address(client, forum):
    response = client.get(f"/forums/{forum.pk}-old-name/")

    assert response.status_code == 301
    assert response["Location"] == forum_url(forum)


def test_a_category_address_leads_to_its_place_on_the_index(client, category):
    response = client.get(forum_url(category))

    assert response.status_code == 302
    assert response["Location"] == f"/forums/#forum-{category.pk}"


@pytest.mark.parametrize("url", ["/forums/999999-nothing/", "/forums/t/999999-nothing/", "/forums/p/999999/",
                                 "/forums/t/999999/unread/", "/forums/999999-nothing/feed/"])
def test_an_unknown_forum_topic_or_post_is_not_found(client, db, url):
    assert client.get(url).status_code == 404


# --- a topic page ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["visitor", "member"])
def test_a_topic_pages_its_posts_by_position(client_as, role, long_topic):
    client = client_as(role)

    first = client.get(topic_url(long_topic))
    second = client.get(topic_url(long_topic, "?page=2"))
    last = client.get(topic_url(long_topic, "?page=3"))

    assert positions_on(first) == list(range(1, 21))
    assert positions_on(second) == list(range(21, 41))
    assert positions_on(last) == list(range(41, 46))
    assert "Post number 21 of the thread" in text(second) and "Post number 20 of" not in text(second)
    assert "Page 3 of 3" in text(last)


def test_an_unknown_page_of_a_topic_is_not_found(client_as, long_topic):
    for role in ("visitor", "member"):
        for page in ("4", "0", "abc", "99999999999999999999"):
            assert client_as(role).get(topic_url(long_topic, f"?page={page}")).status_code == 404, (role, page)


def test_a_post_permalink_lands_on_its_page_and_anchor(client, long_topic):
    post_25 = Post.objects.get(topic=long_topic, position=25)
    post_3 = Post.objects.get(topic=long_topic, position=3)

    assert client.get(f"/forums/p/{post_25.pk}/")["Location"] == topic_url(long_topic, "?page=2#post-25")
    assert client.get(f"/forums/p/{post_3.pk}/")["Location"] == topic_url(long_topic, "#post-3")


def test_a_topic_with_the_wrong_slug_redirects_to_its_canonical_address_and_keeps_the_page(client, long_topic):
    response = client.get(f"/forums/t/{long_topic.pk}-stale/?page=2")

    assert response.status_code == 301
    assert response["Location"] == topic_url(long_topic, "?page=2")
    # anything but a plain page number is not carried into a permanent redirect
    for junk in ("//evil.example/", "1", "0", "２", "-3", "2%0d%0aX: y"):
        response = client.get(f"/forums/t/{long_topic.pk}-stale/?page={junk}")
        assert (response.status_code, response["Location"]) == (301, topic_url(long_topic)), junk


def test_a_forum_with_the_wrong_slug_keeps_the_page(client, forum):
    response = client.get(f"/forums/{forum.pk}-old-name/?page=3")
    assert (response.status_code, response["Location"]) == (301, forum_url(forum) + "?page=3")


def test_a_visitor_sees_a_new_reply_at_once_on_pages_already_cached(client, client_for, forum, topic, member,
                                                                    monkeypatch, django_capture_on_commit_callbacks):
    from community import pagecache
    from forums import cache_keys

    monkeypatch.setattr(cache_keys, "bump_after_commit", pagecache.bump_after_commit)  # the real one
    urls = [topic_url(topic), forum_url(forum), "/forums/"]
    for url in urls:
        client.get(url)
        client.get(url)  # served from the page cache by now

    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(reply_url(topic), {"body": "Fresh news from Maya"})

    assert "Fresh news from Maya" in text(client.get(urls[0]))
    assert "Maya" in text(client.get(urls[1])) and ">1</td>" in text(client.get(urls[1]))
    assert "by Maya" in text(client.get(urls[2]))


def test_a_visitor_sees_the_topic_and_an_invitation_to_log_in(client, topic):
    response = client.get(topic_url(topic))

    assert response.status_code == 200
    assert "<strong>Oliver</strong>, hi!" in text(response)
    assert "Log in to reply" in text(response)
    assert f'action="{reply_url(topic)}"' not in text(response)


def test_a_member_sees_the_reply_box_on_a_topic(member_client, topic):
    response = member_client.get(topic_url(topic))

    assert f'action="{reply_url(topic)}"' in text(response)
    assert "Log in to reply" not in text(response)


# --- private forums are invisible to outsiders -------------------------------------------------------------

PRIVATE = [("members_forum", "members_topic", "visitor"), ("cm_forum", "cm_topic", "visitor"),
           ("cm_forum", "cm_topic", "member"), ("cm_forum", "cm_topic", "contributor")]


@pytest.fixture
def private(request, forum, topic):
    """(forum, topic, client) for an outsider; the public forum holds a topic too."""

    def get(forum_name, topic_name, role):
        return (request.getfixturevalue(forum_name), request.getfixturevalue(topic_name),
                request.getfixturevalue("client_as")(role))

    return get


@pytest.mark.parametrize(("forum_name", "topic_name", "role"), PRIVATE)
def test_a_private_forum_its_topics_posts_and_feed_are_not_found_for_outsiders(private, forum_name, topic_name,
                                                                                 role):
    hidden_forum, hidden_topic, client = private(forum_name, topic_name, role)
    opening = hidden_topic.first_post

    for url in (forum_url(hidden_forum), forum_url(hidden_forum, "feed/"), topic_url(hidden_topic),
                topic_url(hidden_topic, "?page=1"), f"/forums/t/{hidden_topic.pk}/unread/",
                f"/forums/p/{opening.pk}/", f"/forums/p/{opening.pk}/history/"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(("forum_name", "topic_name", "role"), PRIVATE)
def test_a_private_forum_leaks_nowhere_in_lists_and_feeds(private, forum_name, topic_name, role):
    hidden_forum, hidden_topic, client = private(forum_name, topic_name, role)

    for url in ("/forums/", "/", "/forums/feed/"):
        page = text(client.get(url))
        assert "Hello everyone" in page, url  # the public topic is there…
        assert hidden_forum.name not in page, url  # …the private forum is not,
        assert hidden_topic.title not in page, url  # nor its topics.


def test_a_private_forums_figures_do_not_leak_into_a_sub_category_on_the_index(client, category, oliver, cm):
    backstage = ForumFactory(parent=category, name="Backstage", slug="backstage", is_category=True)
    lounge = ForumFactory(parent=backstage, name="Lounge", slug="lounge")
    secret = ForumFactory(parent=backstage, name="CM room", slug="cm-room", access=Access.COMMUNITY_MANAGERS)
    TopicFactory(forum=lounge, author=oliver, title="Public chat")
    for n in range(3):
        ReplyFactory(topic=TopicFactory(forum=secret, author=cm, title=f"Secret {n}"), author=cm)

    page = text(client.get("/forums/"))

    row = page[page.index(forum_url(backstage)):]
    row = row[:row.index("</tr>")]
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "1"]
    assert "Secret" not in page and "CM room" not in page


@pytest.mark.parametrize("role", ["member", "cm"])
def test_those_who_may_read_a_private_forum_see_it(client_as, role, members_forum, members_topic):
    client = client_as(role)

    assert "Members lounge" in text(client.get("/forums/"))
    assert client.get(forum_url(members_forum)).status_code == 200
    assert client.get(topic_url(members_topic)).status_code == 200


def test_a_community_manager_reads_the_cm_forum(client_as, cm_forum, cm_topic):
    client = client_as("cm")

    assert "CM room" in text(client.get("/forums/"))
    assert "Secret staff plans" in text(client.get(forum_url(cm_forum)))
    assert client.get(topic_url(cm_topic)).status_code == 200


# --- starting a topic -------------------------------------------------------------------------------------

def test_a_member_starts_a_topic_and_lands_on_it(member_client, forum, member):
    form = member_client.get(forum_url(forum, "new/"))
    response = member_client.post(forum_url(forum, "new/"), {"title": "My bike", "body": "It is **red**."})

    assert form.status_code == 200 and 'name="title"' in text(form)
    topic = Topic.objects.get(title="My bike")
    assert response.status_code == 302
    assert response["Location"] == topic_url(topic)
    assert topic.author == member and topic.forum == forum
    assert "<strong>red</strong>" in text(member_client.get(response["Location"]))


@pytest.mark.parametrize(("data", "message", "kept"), [
    ({"title": "", "body": "My carefully typed words"}, "This field is required.", "My carefully typed words"),
    ({"title": "   ", "body": "My carefully typed words"}, "This field is required.",
     "My carefully typed words"),
    ({"title": "A fine title", "body": ""}, "This field is required.", 'value="A fine title"'),
    ({"title": "A fine title", "body": "  \n "}, "Write something first.", 'value="A fine title"'),
    ({"title": "x" * 201, "body": "My carefully typed words"}, "at most 200 characters",
     "My carefully typed words"),
])
def test_a_new_topic_with_bad_input_comes_back_with_a_message_and_the_typed_text(member_client, forum, data,
                                                                                   message, kept):
    response = member_client.post(forum_url(forum, "new/"), data)

    assert response.status_code == 400
    assert message in text(response)
    assert kept in text(response)
    assert not Topic.objects.exists()


def test_a_new_topic_over_64_kb_is_refused_and_the_text_comes_back(member_client, forum):
    body = "Start of my essay. " + "a" * (64 * 1024)

    response = member_client.post(forum_url(forum, "new/"), {"title": "Essay", "body": body})

    assert response.status_code == 400
    assert "This text is too long: at most 64 KB." in text(response)
    assert body in text(response)
    assert not Topic.objects.exists()


@pytest.mark.parametrize("url", ["new/", "watch/", "mark-read/"])
def test_a_visitor_posting_to_a_forum_is_sent_to_log_in(client, forum, url):
    response = client.post(forum_url(forum, url), {"title": "Hi", "body": "Hi", "watch": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Topic.objects.exists() and not ForumSubscription.objects.exists()


def test_a_visitor_is_offered_to_log_in_instead_of_starting_a_topic(client, forum):
    response = client.get(forum_url(forum))

    assert "Log in to post" in text(response)
    assert forum_url(forum, "new/") not in text(response)


def test_nobody_starts_a_topic_in_a_forum_they_cannot_read(member_client, cm_forum):
    assert member_client.get(forum_url(cm_forum, "new/")).status_code == 404
    assert member_client.post(forum_url(cm_forum, "new/"), {"title": "Hi", "body": "Hi"}).status_code == 404
    assert not Topic.objects.exists()


# --- replying ---------------------------------------------------------------------------------------------

def test_a_reply_lands_on_its_anchor(member_client, topic, member):
    response = member_client.post(reply_url(topic), {"body": "Welcome Oliver!"})

    post = Post.objects.get(topic=topic, position=2)
    assert post.author == member and post.body == "Welcome Oliver!"
    assert response.status_code == 302
    assert response["Location"] == topic_url(topic, "#post-2")


def test_a_reply_that_opens_a_new_page_lands_on_that_page(member_client, long_topic):
    response = member_client.post(reply_url(long_topic), {"body": "Forty-six"})

    assert response["Location"] == topic_url(long_topic, "?page=3#post-46")
    assert positions_on(member_client.get(response["Location"]))[-1] == 46


@pytest.mark.parametrize(("body", "message"), [("", "This field is required."),
                                               (" \n\t ", "Write something first.")])
def test_an_empty_reply_is_refused_with_a_message(member_client, topic, body, message):
    response = member_client.post(reply_url(topic), {"body": body})

    assert response.status_code == 400
    assert message in text(response)
    assert Post.objects.filter(topic=topic).count() == 1


def test_a_reply_over_64_kb_is_refused_and_the_text_comes_back(member_client, topic):
    body = "My long answer. " + "b" * (64 * 1024)

    response = member_client.post(reply_url(topic), {"body": body})

    assert response.status_code == 400
    assert "at most 64 KB" in text(response)
    assert body in text(response)


def test_a_reply_to_a_locked_topic_is_refused_and_the_text_comes_back(member_client, topic, cm):
    services.set_locked(actor=cm, topic=topic, locked=True)

    response = member_client.post(reply_url(topic), {"body": "But I had something to say"})

    assert response.status_code == 403
    assert LOCKED in text(response)
    assert "But I had something to say" in text(response)
    assert Post.objects.filter(topic=topic).count() == 1


def test_a_locked_topic_shows_why_there_is_no_reply_box(member_client, topic, cm):
    services.set_locked(actor=cm, topic=topic, locked=True)

    response = member_client.get(topic_url(topic))

    assert LOCKED in text(response)
    assert f'action="{reply_url(topic)}"' not in text(response)


def test_a_moderator_replies_to_a_locked_topic(client_as, topic, cm):
    services.set_locked(actor=cm, topic=topic, locked=True)

    response = client_as("cm").post(reply_url(topic), {"body": "Locking this, see the rules."})

    assert response.status_code == 302
    assert Post.objects.filter(topic=topic).count() == 2


@pytest.mark.parametrize(("role", "topic_name"), [("member", "cm_topic"), ("contributor", "cm_topic"),
                                                  ("member", "hidden_topic")])
def test_a_reply_to_a_topic_you_cannot_read_is_not_found(client_as, request, role, topic_name):
    target = request.getfixturevalue(topic_name)

    response = client_as(role).post(reply_url(target), {"body": "Let me in"})

    assert response.status_code == 404
    assert Post.objects.filter(topic=target).count() == 1


@pytest.fixture
def hidden_topic(topic, cm):
    services.hide_post(actor=cm, post=topic.first_post)
    topic.refresh_from_db()
    return topic


def test_a_double_submit_leads_to_the_first_reply_and_posts_once(member_client, topic):
    first = member_client.post(reply_url(topic), {"body": "Clicked twice"})
    second = member_client.post(reply_url(topic), {"body": "Clicked twice"}, follow=True)

    assert Post.objects.filter(topic=topic).count() == 2
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert "You had already posted this reply." in text(second)


def test_forged_fields_in_a_reply_change_nothing(member_client, topic, other_forum, member, cm):
    other = TopicFactory(forum=other_forum, author=cm, title="Elsewhere")

    member_client.post(reply_url(topic), {"body": "Honest reply", "forum": other_forum.pk, "author": cm.pk,
                                          "topic": other.pk, "position": 1, "status": "hidden"})

    post = Post.objects.get(body="Honest reply")
    assert post.author == member and post.topic == topic and post.topic.forum_id == topic.forum_id
    assert post.position == 2 and post.status == "published"
    assert Post.objects.filter(topic=other).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_visitor_replying_is_sent_to_log_in(client, topic, method):
    response = getattr(client, method)(reply_url(topic), **({"data": {"body": "Hi"}} if method == "post" else {}))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/forums/t/{topic.pk}/reply/"
    assert Post.objects.count() == 1


def test_a_quote_shows_the_quoted_post_and_ends_up_in_a_blockquote(member_client, topic):
    form = member_client.get(reply_url(topic) + f"?quote={topic.first_post.pk}")
    member_client.post(reply_url(topic), {"body": "Nice to meet you", "quote": topic.first_post.pk})

    assert "Quoting Oliver" in text(form)
    html = Post.objects.get(topic=topic, position=2).body_html
    assert "<blockquote>" in html and "hi!</p>\n</blockquote>" in html and "Nice to meet you" in html


@pytest.mark.parametrize("quoted", ["a post hidden meanwhile", "a post that does not exist",
                                    "a post of a forum they cannot read"])
def test_a_reply_quoting_an_unavailable_post_comes_back_with_the_typed_text(member_client, topic, cm_topic, cm,
                                                                            quoted):
    if quoted == "a post hidden meanwhile":
        hidden = ReplyFactory(topic=topic, author=cm, body="Soon hidden")
        services.hide_post(actor=cm, post=hidden)
        quote_id = hidden.pk
    elif quoted == "a post that does not exist":
        quote_id = 999999
    else:
        quote_id = cm_topic.first_post.pk

    response = member_client.post(reply_url(topic), {"body": "My thoughtful answer", "quote": quote_id})

    assert response.status_code == 400
    assert "No such post." in text(response)
    assert "My thoughtful answer" in text(response)
    assert f'value="{quote_id}"' not in text(response)  # sending again posts it without the quote
    assert not Post.objects.filter(body__contains="My thoughtful answer").exists()


# --- editing and history ----------------------------------------------------------------------------------

def test_a_member_edits_their_post_and_the_history_keeps_the_previous_version(member_client, topic, member):
    reply = ReplyFactory(topic=topic, author=member, body="Frist!")

    form = member_client.get(f"/forums/p/{reply.pk}/edit/")
    response = member_client.post(f"/forums/p/{reply.pk}/edit/", {"body": "First!", "reason": "spelling"})
    history = member_client.get(f"/forums/p/{reply.pk}/history/")
    page = member_client.get(topic_url(topic))

    assert form.status_code == 200 and "Frist!" in text(form)
    assert response.status_code == 302 and response["Location"] == topic_url(topic, "#post-2")
    assert "First!" in text(page) and f'href="/forums/p/{reply.pk}/history/">edited</a>' in text(page)
    assert history.status_code == 200
    assert text(history).index("First!") < text(history).index("Frist!")
    assert "spelling" in text(history)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_cannot_edit_someone_elses_post(member_client, topic, method):
    response = getattr(member_client, method)(f"/forums/p/{topic.first_post.pk}/edit/", {"body": "Hacked"})

    assert response.status_code == 403
    assert "You can only edit your own posts." in text(response)
    assert Post.objects.get(pk=topic.first_post.pk).body == "I am **Oliver**, hi!"


def test_an_edit_with_an_empty_body_comes_back_with_a_message(member_client, topic, member):
    reply = ReplyFactory(topic=topic, author=member, body="Keep me")

    response = member_client.post(f"/forums/p/{reply.pk}/edit/", {"body": "  "})

    assert response.status_code == 400 and "Write something first." in text(response)
    assert Post.objects.get(pk=reply.pk).body == "Keep me"


def test_a_deleted_post_shows_a_tombstone(member_client, topic, member):
    reply = ReplyFactory(topic=topic, author=member, body="Regrettable words")

    response = member_client.post(f"/forums/p/{reply.pk}/delete/")
    page = member_client.get(topic_url(topic))

    assert response.status_code == 302
    assert "This post was deleted by its author." in text(page)
    assert "Regrettable words" not in text(page)


# --- likes ------------------------------------------------------------------------------------------------

def test_a_like_through_htmx_answers_the_button_with_the_new_count(member_client, topic):
    post = topic.first_post

    response = member_client.post(f"/forums/p/{post.pk}/like/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    fragment = text(response)
    assert fragment.startswith(f'<span class="like" id="like-{post.pk}">')
    assert 'aria-pressed="true"' in fragment and "1 like" in fragment
    assert "<html" not in fragment


def test_a_second_htmx_click_takes_the_like_back(member_client, topic):
    url = f"/forums/p/{topic.first_post.pk}/like/"
    member_client.post(url, HTTP_HX_REQUEST="true")

    response = member_client.post(url, HTTP_HX_REQUEST="true")

    assert 'aria-pressed="false"' in text(response) and "like" in text(response)
    assert "1 like" not in text(response)
    assert Post.objects.get(pk=topic.first_post.pk).reaction_count == 0


def test_a_like_without_javascript_comes_back_to_the_post(member_client, topic):
    response = member_client.post(f"/forums/p/{topic.first_post.pk}/like/")

    assert response.status_code == 302
    assert response["Location"] == topic_url(topic, "#post-1")
    assert "1 like" in text(member_client.get(response["Location"]))


def test_nobody_likes_their_own_post_through_the_page(client_for, topic, oliver):
    response = client_for(oliver).post(f"/forums/p/{topic.first_post.pk}/like/", HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert Post.objects.get(pk=topic.first_post.pk).reaction_count == 0


# --- Q&A --------------------------------------------------------------------------------------------------

@pytest.fixture
def question(qa_forum, oliver, member):
    topic = TopicFactory(forum=qa_forum, author=oliver, title="How to back up?", body="Any routine?")
    answer = ReplyFactory(topic=topic, author=member, body="Restic, nightly, and test restores.")
    return topic, answer


def test_the_author_of_a_question_accepts_an_answer_and_everyone_sees_it(client_for, client, question, oliver,
                                                                           qa_forum):
    topic, answer = question

    response = client_for(oliver).post(f"/forums/p/{answer.pk}/accept/")

    assert response.status_code == 302
    page = text(client.get(topic_url(topic)))
    assert 'aria-label="Accepted answer"' in page
    assert page.index("Accepted answer") < page.index('id="post-1"')
    assert '<span class="badge solved">Solved</span>' in text(client.get(forum_url(qa_forum)))


@pytest.mark.parametrize("withdrawn_by", ["a moderator hiding it", "its author deleting it"])
def test_an_accepted_answer_that_was_withdrawn_is_not_shown_under_the_question(client, question, oliver, member,
                                                                               cm, withdrawn_by):
    topic, answer = question
    services.accept_answer(actor=oliver, topic=topic, post=answer)
    if withdrawn_by == "a moderator hiding it":
        services.hide_post(actor=cm, post=answer)
    else:
        services.delete_post(actor=member, post=answer)

    page = text(client.get(topic_url(topic)))

    assert "Restic, nightly" not in page
    assert 'aria-label="Accepted answer"' not in page


def test_the_question_author_sees_an_accept_button_on_replies(client_for, question, oliver):
    topic, answer = question

    page = text(client_for(oliver).get(topic_url(topic)))

    assert f'action="/forums/p/{answer.pk}/accept/"' in page
    assert f'action="/forums/p/{topic.first_post.pk}/accept/"' not in page


def test_another_member_cannot_accept_an_answer(member_client, question):
    topic, answer = question

    response = member_client.post(f"/forums/p/{answer.pk}/accept/")

    assert response.status_code == 403
    assert not Topic.objects.get(pk=topic.pk).is_solved


# --- moderation ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("action", "field", "before", "after"), [
    ("pin", "is_pinned", False, True), ("unpin", "is_pinned", True, False),
    ("lock", "is_locked", False, True), ("unlock", "is_locked", True, False),
])
def test_a_community_manager_pins_and_locks_topics(client_as, topic, action, field, before, after):
    Topic.objects.filter(pk=topic.pk).update(**{field: before})

    response = client_as("cm").post(f"/forums/t/{topic.pk}/{action}/")

    assert response.status_code == 302 and response["Location"] == topic_url(topic)
    assert getattr(Topic.objects.get(pk=topic.pk), field) is after
    assert ModerationLogEntry.objects.filter(action=action, topic=topic).exists()


def test_a_community_manager_moves_a_topic(client_as, topic, other_forum):
    response = client_as("cm").post(f"/forums/t/{topic.pk}/move/", {"forum": other_forum.pk})

    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.forum == other_forum
    assert "Hello everyone" in text(client_as("cm").get(forum_url(other_forum)))


def test_a_community_manager_hides_and_restores_a_post(client_as, topic, member):
    reply = ReplyFactory(topic=topic, author=member, body="Buy cheap watches")
    cm_client = client_as("cm")

    hidden = cm_client.post(f"/forums/p/{reply.pk}/hide/", {"reason": "spam"})
    visitor_page = text(type(cm_client)().get(topic_url(topic)))
    restored = cm_client.post(f"/forums/p/{reply.pk}/restore/")

    assert hidden.status_code == 302 and restored.status_code == 302
    assert "Buy cheap watches" not in visitor_page
    assert Post.objects.get(pk=reply.pk).status == "published"
    assert "Buy cheap watches" in text(type(cm_client)().get(topic_url(topic)))


def test_a_forum_moderator_acts_in_their_forum_but_not_in_another(client_for, forum, other_forum, topic, oliver):
    lea = UserFactory(username="lea")
    forum.moderators.add(lea)
    elsewhere = TopicFactory(forum=other_forum, author=oliver, title="Elsewhere")
    client = client_for(lea)

    assert "Moderator tools" in text(client.get(topic_url(topic)))
    assert "Moderator tools" not in text(client.get(topic_url(elsewhere)))
    assert client.post(f"/forums/t/{topic.pk}/lock/").status_code == 302
    assert client.post(f"/forums/t/{elsewhere.pk}/lock/").status_code == 403
    assert Topic.objects.get(pk=topic.pk).is_locked and not Topic.objects.get(pk=elsewhere.pk).is_locked


def test_moderator_tools_show_for_a_community_manager_only(client_as, topic):
    assert "Moderator tools" not in text(client_as("member").get(topic_url(topic)))
    assert "Moderator tools" in text(client_as("cm").get(topic_url(topic)))


@pytest.mark.parametrize("action", ["pin", "unpin", "lock", "unlock", "move"])
def test_a_member_cannot_pin_lock_or_move(member_client, topic, other_forum, action):
    response = member_client.post(f"/forums/t/{topic.pk}/{action}/", {"forum": other_forum.pk})

    assert response.status_code == 403
    topic_now = Topic.objects.get(pk=topic.pk)
    assert (topic_now.is_pinned, topic_now.is_locked, topic_now.forum_id) == (False, False, topic.forum_id)
    assert not ModerationLogEntry.objects.exists()


def test_a_member_cannot_move_a_topic_even_with_a_bad_form(member_client, topic):
    response = member_client.post(f"/forums/t/{topic.pk}/move/", {"forum": "nowhere"})

    assert response.status_code == 403


def test_a_member_cannot_hide_a_post_and_is_told_why(member_client, topic, cm):
    reply = ReplyFactory(topic=topic, author=cm)

    response = member_client.post(f"/forums/p/{reply.pk}/hide/")

    assert response.status_code == 403
    assert "Only moderators of this forum can do this." in text(response)
    assert Post.objects.get(pk=reply.pk).status == "published"


def test_a_member_cannot_restore_a_hidden_post_nor_even_find_it(member_client, topic, cm):
    reply = ReplyFactory(topic=topic, author=cm)
    services.hide_post(actor=cm, post=reply)

    response = member_client.post(f"/forums/p/{reply.pk}/restore/")

    assert response.status_code == 404
    assert Post.objects.get(pk=reply.pk).status == "hidden"


def test_the_author_of_a_hidden_post_cannot_restore_it(client_for, topic, member, cm):
    reply = ReplyFactory(topic=topic, author=member)
    services.hide_post(actor=cm, post=reply)

    response = client_for(member).post(f"/forums/p/{reply.pk}/restore/")

    assert response.status_code == 404  # a hidden post does not exist for its author (the one rule)
    assert Post.objects.get(pk=reply.pk).status == "hidden"


# --- watching and reading --------------------------------------------------------------------------------

def test_a_member_watches_and_unwatches_a_topic(member_client, topic, member):
    member_client.post(f"/forums/t/{topic.pk}/watch/", {"watch": "1"})
    watching = text(member_client.get(topic_url(topic)))
    member_client.post(f"/forums/t/{topic.pk}/watch/", {"watch": "0"})

    assert "Stop watching" in watching
    assert not TopicSubscription.objects.filter(user=member, topic=topic).exists()
    assert "Stop watching" not in text(member_client.get(topic_url(topic)))


def test_a_member_watches_and_unwatches_a_forum(member_client, forum, member):
    member_client.post(forum_url(forum, "watch/"), {"watch": "1"})
    watching = text(member_client.get(forum_url(forum)))
    assert ForumSubscription.objects.filter(user=member, forum=forum).exists()
    member_client.post(forum_url(forum, "watch/"), {"watch": "0"})

    assert "Stop watching" in watching
    assert not ForumSubscription.objects.filter(user=member, forum=forum).exists()


def unread_rows(response):
    return re.findall(r'<tr class="unread">\s*<td>.*?class="topic-title"[^>]*>([^<]*)</a>\s*'
                      r'(?:<a class="new-count"[^>]*>(\d+) new</a>)?', text(response), re.S)


def test_a_member_sees_which_topics_have_new_replies_and_how_many(member_client, client_for, forum, topic,
                                                                  oliver, cm):
    TopicFactory(forum=forum, author=oliver, title="Quiet topic")
    member_client.post(forum_url(forum, "mark-read/"))
    member_client.get(topic_url(topic))
    ReplyFactory(topic=topic, author=cm)
    ReplyFactory(topic=topic, author=oliver)

    assert unread_rows(member_client.get(forum_url(forum))) == [("Hello everyone", "2")]
    assert unread_rows(client_for().get(forum_url(forum))) == []


def test_reading_the_topic_makes_it_read_again(member_client, forum, topic, cm):
    member_client.get(topic_url(topic))
    ReplyFactory(topic=topic, author=cm)
    member_client.get(topic_url(topic))

    assert unread_rows(member_client.get(forum_url(forum))) == []


def test_mark_all_read_clears_the_unread_topics_of_a_forum(member_client, forum, topic, oliver):
    TopicFactory(forum=forum, author=oliver, title="Another")
    assert len(unread_rows(member_client.get(forum_url(forum)))) == 2

    response = member_client.post(forum_url(forum, "mark-read/"), follow=True)

    assert ForumReadMark.objects.count() == 1
    assert "All topics of this forum are marked as read." in text(response)
    assert unread_rows(member_client.get(forum_url(forum))) == []


def test_jump_to_first_unread_lands_on_the_first_new_post(client_for, long_topic, contributor, cm):
    reader = client_for(contributor)
    reader.get(topic_url(long_topic))  # reads posts 1-20

    response = reader.get(f"/forums/t/{long_topic.pk}/unread/")

    assert response.status_code == 302
    assert response["Location"] == topic_url(long_topic, "?page=2#post-21")


def test_jump_to_first_unread_sends_a_visitor_to_the_start(client, long_topic):
    assert client.get(f"/forums/t/{long_topic.pk}/unread/")["Location"] == topic_url(long_topic, "#post-1")


# --- feeds -----------------------------------------------------------------------------------------------

def atom_titles(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text and root.find(f"{ATOM}updated").text
    for entry in root.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
        assert "/forums/t/" in entry.find(f"{ATOM}link").get("href")
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


def test_the_latest_topics_feed_is_atom_with_the_newest_topics_first(client, topic, other_forum, oliver):
    TopicFactory(forum=other_forum, author=oliver, title="Newer & <louder>")

    assert atom_titles(client.get("/forums/feed/")) == ["Newer & <louder>", "Hello everyone"]


def test_a_forums_feed_is_atom_with_its_topics_only(client, forum, topic, other_forum, oliver):
    TopicFactory(forum=other_forum, author=oliver, title="Elsewhere")
    root = ET.fromstring(client.get(forum_url(forum, "feed/")).content)

    assert atom_titles(client.get(forum_url(forum, "feed/"))) == ["Hello everyone"]
    assert root.find(f"{ATOM}title").text == "Introductions"
    entry = root.find(f"{ATOM}entry")
    assert "<strong>Oliver</strong>" in entry.find(f"{ATOM}summary").text


def test_an_opening_post_deleted_by_its_author_leaves_the_feeds(client, forum, topic, oliver):
    services.delete_post(actor=oliver, post=topic.first_post)

    for url in ("/forums/feed/", forum_url(forum, "feed/")):
        entries = ET.fromstring(client.get(url).content).findall(f"{ATOM}entry")
        # The topic goes with it, title and all (nobody had replied).
        assert [entry.find(f"{ATOM}title").text for entry in entries] == []


def test_a_hidden_topic_leaves_the_feeds_and_the_lists(client, forum, hidden_topic):
    assert atom_titles(client.get("/forums/feed/")) == []
    assert atom_titles(client.get(forum_url(forum, "feed/"))) == []
    assert titles_on(client.get(forum_url(forum))) == []
    assert client.get(topic_url(hidden_topic)).status_code == 404


def test_the_home_page_lists_the_latest_public_activity(client, topic, member):
    ReplyFactory(topic=topic, author=member)

    page = text(client.get("/"))

    assert f'<a href="/forums/t/{topic.pk}/unread/">Hello everyone</a>' in page
    assert "Introductions · Maya" in page  # the forum and the last poster


def test_a_banned_member_logged_in_is_logged_out_before_posting(client_for, topic):
    banned = UserFactory(username="troll")
    client = client_for(banned)
    type(banned).objects.filter(pk=banned.pk).update(banned_at=timezone.now())

    response = client.post(reply_url(topic), {"body": "Spam"})

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert Post.objects.filter(topic=topic).count() == 1


def test_a_double_submitted_new_topic_leads_to_the_first_one_and_creates_one(member_client, forum):
    data = {"title": "Twice clicked topic", "body": "Opening words, sent twice."}
    first = member_client.post(forum_url(forum) + "new/", data)
    second = member_client.post(forum_url(forum) + "new/", data, follow=True)

    assert Topic.objects.filter(forum=forum, title="Twice clicked topic").count() == 1
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert "You had already started this topic." in text(second)


def test_a_forum_page_lists_its_readable_sub_forums(client, forum, oliver):
    ForumFactory(parent=forum, name="Open corner")
    ForumFactory(parent=forum, name="Staff corner", access=3)

    page = text(client.get(forum_url(forum)))

    assert "Open corner" in page
    assert "Staff corner" not in page


def test_a_reply_can_be_posted_again_after_its_author_deleted_it(member_client, topic, member):
    member_client.post(reply_url(topic), {"body": "Said twice on purpose"})
    services.delete_post(actor=member, post=Post.objects.get(body="Said twice on purpose"))

    member_client.post(reply_url(topic), {"body": "Said twice on purpose"})

    assert Post.objects.filter(topic=topic, body="Said twice on purpose", is_deleted=False).count() == 1


def test_bidirectional_override_characters_are_removed_from_titles(member_client, forum):
    member_client.post(forum_url(forum) + "new/", {"title": "Safe \u202egnp.exe title", "body": "Body."})

    assert Topic.objects.filter(forum=forum, title="Safe gnp.exe title").exists()


def test_a_title_of_zero_width_characters_only_is_refused_and_the_text_is_kept(member_client, forum):
    response = member_client.post(forum_url(forum) + "new/", {"title": "\u200b\u200d\u2060\ufeff",
                                                              "body": "My carefully typed question."})

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == ["Give your topic a title."]
    assert b"My carefully typed question." in response.content
    assert not Post.objects.filter(body="My carefully typed question.").exists()


def test_liking_from_a_logged_out_tab_sends_the_page_to_login_instead_of_swapping_it_in(client, topic):
    post = topic.first_post
    response = client.post(f"/forums/p/{post.pk}/like/", HTTP_HX_REQUEST="true",
                           HTTP_HX_CURRENT_URL=f"http://testserver{topic.get_absolute_url()}")

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
    assert b"<html" not in response.content
