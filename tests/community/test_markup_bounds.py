"""Issue 11: one post must not stall the site. Any body up to the size limit renders quickly
(community/markup_limits.py bounds the work), stays sanitized and loses no text; the forum services
render before their transaction opens, so no lock is held while Markdown is rendered.

The shapes are bench/markup_worst.py's (that script measures all of them); these are the ones that
took longest before the bounds (0.5 to 3.4 s each to render on a 2-vCPU machine, 2.2 to 5.7 s to
post; at most about 0.2 s and 0.6 s after, on the same machine under load). The limits leave room
for a slow CI machine; the slowest of them unbounded fails them, and every post did."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
from django.db import connection

from bench.markup_worst import SIZE, body
from community import markup, writing
from community.markup_limits import MENTION_LINKS
from forums import services as forum_services
from forums.models import Post
from moderation import watched
from tests.community.test_markup import assert_safe
from tests.factories import ForumFactory, TopicFactory, UserFactory

RENDER_LIMIT = 1.0  # seconds (wall clock) for one render of 64 KB
POST_LIMIT = 1.5  # seconds for one reply of 64 KB through the form, its outbox delivery included

WORST = [
    "table 1000 cols, empty rows",
    "table 100 cols, short rows",
    "table 2 cols, many rows",
    "![[ repeated",
    "[![ repeated",
    "![ repeated",
    "[ repeated",
    "[( repeated",
    "[x]( unclosed",
    "<? and <![CDATA[",
    "- item lines",
    "setext lines",
    "# heading lines",
    "| lines",
    "\\r\\n lines",
    "*_ alternation",
    "*a**b***… growing runs",
    "[ a_ link openers, emph closers",
    "unique mentions",
    "@a mentions",
    "mixed worst",
    "> one line",
]


@pytest.fixture(autouse=True)
def _no_remembered_renders():
    """render() keeps its last results: each test times real work."""
    markup._render_source.cache_clear()
    yield
    markup._render_source.cache_clear()


def letters(text: str) -> Counter:
    return Counter(re.findall(r"[A-Za-z0-9]", text))


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


@pytest.mark.parametrize("name", WORST)
def test_the_worst_shapes_of_64_kb_render_quickly_safely_and_lose_no_text(name):
    text = body(name)
    assert len(text.encode()) == SIZE

    seconds, result = timed(markup.render, text)

    assert seconds < RENDER_LIMIT, f"{name}: {seconds:.2f} s"
    assert_safe(result.html)
    # Every letter written is on the page, as formatted text or as plain text past the bounds.
    assert letters(markup.render_plain(text)) == letters(text)


@pytest.mark.parametrize("name", ["fuzz 1", "fuzz 3", "fuzz 6"])
def test_random_hostile_bodies_of_64_kb_render_quickly_and_safely(name):
    text = body(name) + "<script>alert(1)</script><img src=x onerror=alert(1)>"

    seconds, result = timed(markup.render, text)

    assert seconds < RENDER_LIMIT, f"{name}: {seconds:.2f} s"
    assert_safe(result.html)
    assert "&lt;script&gt;" in result.html


def test_a_long_post_in_ordinary_markdown_is_rendered_whole():
    blocks = body("prose (rich Markdown)", SIZE - 100).rsplit("\n\n", 1)[0]  # whole blocks only
    text = blocks + "\n\nThe **last** word, [a link](https://example.com)."
    assert len(text.encode()) > SIZE - 1000

    html = markup.render(text).html

    assert html.endswith('<p>The <strong>last</strong> word, <a href="https://example.com" '
                         'rel="nofollow ugc noopener">a link</a>.</p>\n')
    assert html.count("<strong>") == text.count("**") // 2
    assert "**" not in html


def test_past_the_bound_the_rest_is_plain_escaped_text():
    text = "- item\n" * 9000 + "**end** <script>alert(1)</script> [x](https://example.com)"

    html = markup.render(text).html

    assert html.startswith("<ul>\n<li>item</li>\n")
    assert html.count("<li>") < 9000  # the list stops where the budget does…
    assert html.endswith("- item\n**end** &lt;script&gt;alert(1)&lt;/script&gt; [x](https://example.com)</p>\n")
    assert_safe(html)


def test_quotes_nested_past_the_parser_limit_keep_their_text():
    html = markup.render(">" * 40 + " deep *words*\n\nafter").html

    assert html.count("<blockquote>") == 18
    assert ">" * 22 + " deep *words*" in markup.render_plain(">" * 40 + " deep *words*")
    assert html.endswith("</blockquote>\n<p>after</p>\n")


def test_only_the_first_mentions_become_links():
    names = [f"user{i}" for i in range(MENTION_LINKS + 50)]

    result = markup.render(" ".join(f"@{name}" for name in names))

    assert result.mentions == tuple(names[:MENTION_LINKS])
    assert result.html.count('class="mention"') == MENTION_LINKS
    assert result.html.endswith(" ".join(f"@{name}" for name in names[MENTION_LINKS:]) + "</p>\n")


# --- through the forum: posting, and rendering outside the transaction ----------------------------

@pytest.fixture
def topic(db):
    return TopicFactory(forum=ForumFactory(), author=UserFactory(), title="Long posts",
                        body="Say something long.")


@pytest.fixture
def newcomer(db):
    """A new member (the link limits read the text as shown), with a watched word in place (so the
    publish check reads it too): every reading of the text at posting time is exercised."""
    watched.create_word(phrase="casino", action="approve")
    return UserFactory(trust_level=0)


@pytest.mark.parametrize("name", ["![[ repeated", "table 1000 cols, empty rows", "- item lines",
                                  "unique mentions", "*_ alternation"])
def test_posting_the_worst_shapes_through_the_reply_form_is_quick(client, topic, newcomer, name,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(newcomer)
    text = body(name)

    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivery too (eager here)
        seconds, response = timed(client.post, f"/forums/t/{topic.pk}/reply/", {"body": text})

    assert response.status_code == 302, response.content[:500]
    assert seconds < POST_LIMIT, f"{name}: {seconds:.2f} s"
    post = Post.objects.get(topic=topic, position=2)
    assert post.body == text.strip()
    assert_safe(post.body_html)


@pytest.fixture
def render_calls(monkeypatch):
    """Every markup.render call, with the depth of transactions open around it (compared with the
    test's own: pytest-django runs each test inside one)."""
    calls = []
    real = markup.render

    def spy(text):
        calls.append(len(connection.atomic_blocks))
        return real(text)

    monkeypatch.setattr(markup, "render", spy)
    return calls


def test_replying_renders_before_the_transaction_opens(topic, render_calls):
    outside = len(connection.atomic_blocks)

    forum_services.post_reply(actor=UserFactory(), topic=topic, body=body("![[ repeated"))

    assert render_calls and set(render_calls) == {outside}


def test_starting_a_topic_renders_before_the_transaction_opens(db, render_calls):
    forum, author = ForumFactory(), UserFactory()
    outside = len(connection.atomic_blocks)

    forum_services.create_topic(actor=author, forum=forum, title="Big", body=body("- item lines"))

    assert render_calls and set(render_calls) == {outside}


def test_editing_renders_before_the_transaction_opens(topic, render_calls):
    post = topic.first_post
    outside = len(connection.atomic_blocks)

    forum_services.edit_post(actor=topic.author, post=post, body=body("table 1000 cols, empty rows"))

    assert render_calls and set(render_calls) == {outside}
    post.refresh_from_db()
    assert post.body_html.startswith("<table>")


def test_the_size_limit_is_what_the_bound_was_measured_for():
    assert writing.BODY_MAX_BYTES == SIZE
