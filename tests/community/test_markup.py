"""Tests for community.markup: hostile input must never produce executable HTML.

No database is needed; these run without Django.
"""

from __future__ import annotations

import random
import time
from html.parser import HTMLParser

import pytest

from community.markup import PROFILE_URL, Rendered, excerpt, render, render_plain

# --------------------------------------------------------------------------
# Safety checker
# --------------------------------------------------------------------------

SAFE_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip

SAFE_ATTRIBUTES = {
    "a": {"href", "title", "rel", "class"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}

SAFE_HREF_PREFIXES = ("http://", "https://", "mailto:", "/members/")
SAFE_SRC_PREFIXES = ("http://", "https://")


class _SafetyChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in SAFE_TAGS:
            self.problems.append(f"unexpected closing tag </{tag}>")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"unknown declaration {data!r}")

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS:
            self.problems.append(f"tag <{tag}>")
        allowed = SAFE_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction", "xmlns"} or ":" in name:
                self.problems.append(f"dangerous attribute {name}={value!r} on <{tag}>")
            elif name not in allowed:
                self.problems.append(f"unexpected attribute {name}={value!r} on <{tag}>")
            url = (value or "").strip().lower()
            if name == "href" and not url.startswith(SAFE_HREF_PREFIXES):
                self.problems.append(f"unsafe href {value!r} on <{tag}>")
            if name == "src" and not url.startswith(SAFE_SRC_PREFIXES):
                self.problems.append(f"unsafe src {value!r} on <{tag}>")
        if tag == "a":
            self.links.append(dict(attrs))


def safety_problems(html: str) -> list[str]:
    """Everything in ``html`` that a browser could execute or that escapes the allow-list."""
    checker = _SafetyChecker()
    checker.feed(html)
    checker.close()
    problems = checker.problems
    lowered = html.lower()
    for needle in ("<script", "<iframe", "<object", "<embed", "<svg", "<math", "<form", "<style", "<base"):
        if needle in lowered:
            problems.append(f"raw {needle} in output")
    return problems


def parsed_links(html: str) -> list[dict[str, str | None]]:
    checker = _SafetyChecker()
    checker.feed(html)
    checker.close()
    return checker.links


def assert_safe(html: str) -> None:
    problems = safety_problems(html)
    assert not problems, f"{problems} in {html!r}"


def test_the_safety_checker_itself_catches_dangerous_html():
    assert safety_problems('<img src="x" onerror="alert(1)">')
    assert safety_problems('<a href="javascript:alert(1)">x</a>')
    assert safety_problems('<a href=" JaVaScRiPt:alert(1)">x</a>')
    assert safety_problems('<img src="data:image/svg+xml;base64,AAAA">')
    assert safety_problems("<svg><circle/></svg>")
    assert safety_problems('<p style="color:red">x</p>')
    assert safety_problems("<iframe></iframe>")
    assert not safety_problems('<p><a href="https://e.com" rel="nofollow">x</a> &lt;script&gt;</p>')


# --------------------------------------------------------------------------
# Hostile input
# --------------------------------------------------------------------------


def test_raw_script_tags_are_escaped_as_text():
    html = render("<script>alert(1)</script>").html
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert_safe(html)


def test_a_script_html_block_is_escaped_as_text():
    html = render("<script>\nalert(1)\n</script>\n\nafter").html
    assert "<script" not in html
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    [
        "<img src=x onerror=alert(1)>",
        '<a onclick="alert(1)" href="https://e.com">x</a>',
        "<p onmouseover=alert(1)>hover</p>",
        '<div>\n<img src=x onerror="alert(1)">\n</div>',
        '[x](https://e.com "title" onclick=alert(1))',
        '[x](https://e.com "a\\" onclick=\\"alert(1)")',
        '![x" onerror="alert(1)](https://e.com/a.png)',
        "```js onload=alert(1)\ncode\n```",
        '```"><img src=x onerror=alert(1)>\ncode\n```',
    ],
)
def test_event_handler_attributes_never_survive(source):
    html = render(source).html
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](jav&#x09;ascript:alert(1))",
        "[x](jav\tascript:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](java\\script:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](file:///etc/passwd)",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](javascript:alert(1))",
        "![x](mailto:a@b.com)",
        "<javascript:alert(1)>",
        "<JavaScript:alert(1)>",
        "<vbscript:msgbox(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "[x][ref]\n\n[ref]: &#106;avascript:alert(1)",
        "[x](//evil.example/)",
        "[x](/admin/)",
        "[x](../members/../admin)",
        "[x](/members/../admin/)",
    ],
)
def test_only_http_https_mailto_and_profile_urls_survive(source):
    html = render(source).html
    assert_safe(html)
    for link in parsed_links(html):
        href = link.get("href") or ""
        assert href.startswith(("http://", "https://", "mailto:", "/members/")), html
        assert "/../" not in href


@pytest.mark.parametrize(
    "source",
    [
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        '<math><mi xlink:href="javascript:alert(1)">click</mi></math>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<iframe src="https://evil.example"></iframe>',
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
        '<object data="https://evil.example/x.swf"></object>',
        '<embed src="https://evil.example/x.swf">',
        '<form action="https://evil.example"><button formaction="javascript:alert(1)">go</button></form>',
        "<style>body{display:none}</style>",
        "<base href=https://evil.example/>",
        "<meta http-equiv=refresh content='0;url=https://evil.example'>",
        "<!-- <script>alert(1)</script> -->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "> <svg onload=alert(1)>\n> <iframe>",
        "- <object>\n- <form>",
        "| <svg> | <iframe> |\n|---|---|\n| <math> | <form> |",
        "`<script>` and ```<svg onload=alert(1)>```",
        "    <script>alert(1)</script>",
    ],
)
def test_raw_svg_mathml_styles_and_embedding_tags_never_become_real_tags(source):
    html = render(source).html
    assert_safe(html)


def test_links_get_nofollow_ugc_noopener():
    html = render("[site](https://example.com) and <https://example.org>").html
    links = parsed_links(html)
    assert len(links) == 2
    for link in links:
        rel = (link.get("rel") or "").split()
        assert {"nofollow", "ugc", "noopener"} <= set(rel)
        assert "target" not in link


def test_a_link_title_is_kept_but_escaped():
    html = render('[x](https://e.com "say \\"hi\\" <b>")').html
    (link,) = parsed_links(html)
    assert link["title"] == 'say "hi" <b>'
    assert_safe(html)


# --------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------


def test_mentions_are_linked_lowercased_and_returned_in_order():
    result = render("hi @alice and @Bob.")
    assert result.mentions == ("alice", "bob")
    links = parsed_links(result.html)
    assert [link["href"] for link in links] == ["/members/alice/", "/members/bob/"]
    assert all(link["class"] == "mention" for link in links)
    assert ">@Bob</a>." in result.html
    assert_safe(result.html)


def test_mentions_are_deduplicated_case_insensitively():
    result = render("@carol @Carol @dave @CAROL")
    assert result.mentions == ("carol", "dave")


def test_mention_profile_url_uses_the_module_template():
    assert render("@eve").mentions == ("eve",)
    assert PROFILE_URL.format(username="eve") in render("@eve").html


def test_mention_usernames_may_contain_dots_dashes_and_underscores_but_not_end_with_a_dot():
    result = render("thanks @jane.doe-smith_2. and @x...")
    assert result.mentions == ("jane.doe-smith_2", "x")


def test_an_email_address_is_not_a_mention():
    result = render("mail a@b.com or first.last@example.org")
    assert result.mentions == ()
    assert "mention" not in result.html


def test_a_fediverse_handle_is_not_a_mention():
    assert render("follow @alice@example.social").mentions == ()


def test_mentions_inside_code_spans_and_code_blocks_are_ignored():
    result = render("`@code` and\n\n```\n@fenced\n```\n\n    @indented\n")
    assert result.mentions == ()
    assert "mention" not in result.html


def test_mentions_inside_links_are_not_double_linked():
    result = render("[@x](https://e.com) and <https://e.com/@y>")
    assert result.mentions == ()
    html = result.html
    assert html.count("<a ") == 2
    assert "/members/" not in html


def test_an_escaped_at_sign_is_not_a_mention():
    assert render("\\@alice").mentions == ()


def test_mentions_work_inside_emphasis_lists_quotes_and_tables():
    source = "**@ann** _@ben_\n\n- @cid\n\n> @dot\n\n| who |\n|-----|\n| @eli |"
    result = render(source)
    assert result.mentions == ("ann", "ben", "cid", "dot", "eli")
    assert_safe(result.html)


def test_an_overlong_username_is_not_a_mention():
    assert render("@" + "a" * 151).mentions == ()
    assert render("@" + "a" * 150).mentions == ("a" * 150,)


def test_a_mention_needs_a_non_word_character_before_it():
    assert render("x@alice").mentions == ()
    assert render("(@alice)").mentions == ("alice",)
    assert render("line one\n@alice").mentions == ("alice",)


# --------------------------------------------------------------------------
# Ordinary markdown
# --------------------------------------------------------------------------


def test_bold_and_emphasis_render():
    html = render("**bold** and *em* and ~~gone~~").html
    assert "<strong>bold</strong>" in html
    assert "<em>em</em>" in html
    assert "<s>gone</s>" in html or "<del>gone</del>" in html


def test_lists_render():
    html = render("- one\n- two\n\n3. three\n4. four").html
    assert "<ul>" in html and "<li>one</li>" in html
    assert '<ol start="3">' in html


def test_code_blocks_keep_a_safe_language_class_and_escape_content():
    html = render("```python\nif a < b and c > d: print('<b>')\n```").html
    assert '<pre><code class="language-python">' in html
    assert "&lt;b&gt;" in html
    assert_safe(html)


def test_tables_render_with_alignment_but_no_style_attributes():
    html = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |").html
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert '<th align="left">a</th>' in html
    assert '<td align="center">2</td>' in html
    assert '<td align="right">3</td>' in html
    assert "style" not in html


def test_headings_quotes_rules_and_images_render():
    html = render('# Title\n\n> quoted\n\n---\n\n![alt text](https://e.com/a.png "t")').html
    assert "<h1>Title</h1>" in html
    assert "<blockquote>" in html
    assert "<hr>" in html
    assert '<img src="https://e.com/a.png" alt="alt text" title="t">' in html


def test_raw_html_is_shown_as_text():
    assert render("a <b>bold</b> claim").html == "<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>\n"


def test_empty_none_and_nul_input():
    assert render(None) == Rendered(html="", mentions=())
    assert render("") == Rendered(html="", mentions=())
    assert render("   \n\t ") == Rendered(html="", mentions=())
    html = render("a\x00b <scr\x00ipt>").html
    assert "\x00" not in html
    assert "ab" in html
    assert "<script" not in html


def test_lone_surrogates_do_not_crash():
    assert "\ud800" not in render("x \ud800 y").html


def test_rendered_is_frozen():
    result = render("@a")
    with pytest.raises(AttributeError):
        result.html = "<script>"  # type: ignore[misc]


# --------------------------------------------------------------------------
# Plain text helpers
# --------------------------------------------------------------------------


def test_render_plain_strips_tags_and_collapses_whitespace():
    text = render_plain("# Hi\n\nSome *text* &amp; <b>\n\n- one\n- two\n\nhey @alice")
    assert text == "Hi Some text & <b> one two hey @alice"


def test_excerpt_shortens_on_a_word_boundary_with_an_ellipsis():
    html = render("word " * 100).html
    short = excerpt(html, length=30)
    assert len(short) <= 30
    assert short.endswith("…")
    assert short[:-1].split() == ["word"] * (len(short[:-1].split()))
    assert excerpt("<p>short</p>") == "short"
    assert excerpt("<p>anything</p>", length=0) == ""


# --------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------

FUZZ_ALPHABET = (
    list("<>&\"'[]()!*_`@#\n:/;=~|-\\ \t")
    + list("abcdhijlmnoprstvxyz")
    + [
        "javascript:",
        "JaVaScRiPt:",
        "data:",
        "mailto:",
        "http://",
        "https://e.com/",
        "&#106;",
        "&#x09;",
        "<script>",
        "<svg ",
        "<img ",
        "<a ",
        " onerror=",
        " href=",
        "style=",
        "```",
        "    ",
        "> ",
        "- ",
        "1. ",
        "|---|",
        "@bob",
    ]
)


def test_random_markup_never_raises_or_produces_dangerous_html():
    rng = random.Random(20240501)
    for _ in range(3000):
        source = "".join(rng.choice(FUZZ_ALPHABET) for _ in range(rng.randint(0, 60)))
        result = render(source)
        problems = safety_problems(result.html)
        assert not problems, f"{problems} for {source!r} -> {result.html!r}"
        assert all(isinstance(name, str) and name == name.lower() for name in result.mentions)
        render_plain(source)


@pytest.mark.parametrize(
    "source",
    [
        ">" * 10_000 + " deep",
        "\n".join(">" * i + " x" for i in range(0, 3000, 11)),
        "[" * 10_000,
        "[" * 10_000 + "]" * 10_000 + "(javascript:alert(1))",
        "![" * 5_000 + "x" + "](javascript:alert(1))" * 5_000,
        "- " * 5_000 + "item",
        "*a" * 25_000,
        "*" * 25_000 + "x" + "*" * 25_000,
        "`" * 100_000,
        "<" * 100_000,
        "&#" * 50_000,
        "@a" * 50_000,
        "@" + "a" * 100_000,
        "<svg onload=alert(1)>" * 5_000,
        "[x](javascript:alert(1))" * 4_000,
        "| a |\n|---|\n" + "| <script> |\n" * 5_000,
    ],
    ids=lambda s: f"{s[:12]!r}x{len(s)}",
)
def test_huge_and_deeply_nested_input_renders_quickly_and_safely(source):
    start = time.perf_counter()
    result = render(source)
    elapsed = time.perf_counter() - start
    assert_safe(result.html)
    assert elapsed < 3.0, f"took {elapsed:.2f}s"
