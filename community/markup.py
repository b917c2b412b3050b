"""User markup for Tribune: CommonMark in, sanitized HTML out.

Posts, comments, wiki pages and profile bios are written by members in
CommonMark (plus tables and ~~strikethrough~~). The text is rendered **once, at
write time**, by :func:`render`; the resulting HTML is stored beside the source
text and templates output that stored HTML as-is. Markdown is never rendered in
templates or on read, so the cost is paid once and every page shows exactly
what was sanitized when the content was saved. Changing the rules below
therefore requires re-rendering stored content (a management command job).

The pipeline is deliberately layered:

1. markdown-it-py parses with ``html`` disabled, so raw HTML in the source is
   escaped and shown as text. Link and image destinations are validated at
   parse time: only ``http:``, ``https:`` and ``mailto:`` links (images:
   ``http:`` and ``https:`` only) become real links; anything else stays text.
2. ``@username`` mentions are found at the token level (plain text tokens
   outside links; code spans and code blocks are never text tokens), turned
   into links to :data:`PROFILE_URL`, and reported in :attr:`Rendered.mentions`.
   Existence of the mentioned members is *not* checked here; the caller
   decides what to do with the names (this module never touches the database).
3. The HTML is passed through nh3 (ammonia) with an explicit allow-list of
   tags, attributes and URL schemes, as a second line of defence in case the
   renderer ever emits something unexpected.

The parser's work is bounded (community/markup_limits.py, issue 11): any text
up to the size of a post renders in well under a second — 0.16 s for the worst
of 110 hostile shapes of 64 KB measured on 2 vCPUs (bench/markup_worst.py) —
and whatever lies past the budget is shown as plain, escaped text.

This module only depends on markdown-it-py and nh3 so it is cheap to import
and to test without Django.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .markup_limits import Budget, budget
from .markup_limits import install as install_limits

__all__ = ["PROFILE_URL", "Rendered", "excerpt", "render", "render_plain", "without_images"]

#: Where a mention links to. Kept as a plain format string (not a URL reverse)
#: so rendering stays pure; the members URLconf must match it.
PROFILE_URL = "/members/{username}/"

#: Longest username a mention may name (Django's ``username`` max_length).
MAX_USERNAME_LENGTH = 150

LINK_SCHEMES = ("http://", "https://", "mailto:")
#: Relative links members may write to the site's own pages (a wiki page's forum topic links to it).
SITE_LINK_PREFIXES = ("/wiki/",)
IMAGE_SCHEMES = ("http://", "https://")

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li",
        "a", "img",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip

# ``rel`` is not listed: nh3 sets it on every link from ``link_rel``.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}

LINK_REL = "nofollow ugc noopener"

_CODE_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,50}")
_DIGITS_RE = re.compile(r"[0-9]{1,9}")
_ALIGNMENTS = frozenset({"left", "center", "right"})
_MENTION_RE = re.compile(r"@([A-Za-z0-9_.-]+)")
# A mention must not directly follow one of these (e-mail addresses, URLs,
# "@@name", "foo.@bar" ...). Word characters are checked with str.isalnum().
_MENTION_BLOCKERS = frozenset("_@./+-=&")
_SURROGATES_RE = re.compile("[\ud800-\udfff]")
_TEXT_ALIGN_RE = re.compile(r"text-align:\s*(left|center|right)")


@dataclass(frozen=True, slots=True)
class Rendered:
    """Result of :func:`render`: sanitized HTML plus the names it mentions."""

    html: str
    mentions: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# URL policy
# --------------------------------------------------------------------------


def _has_scheme(url: str, schemes: tuple[str, ...]) -> bool:
    return url.strip().lower().startswith(schemes)


def _is_profile_url(url: str) -> bool:
    prefix = PROFILE_URL.split("{", 1)[0]
    return url.startswith(prefix) and not url.startswith("//")


def _is_site_link(url: str) -> bool:
    """A link to one of the site's own pages that members link to (``/wiki/…``), written without a
    host so it works whatever address the site has. No ``..`` or ``.`` segment (encoded or not)
    and no backslash, so it cannot climb out of those prefixes."""
    if not url.startswith(SITE_LINK_PREFIXES) or "\\" in url:
        return False
    path = re.split(r"[?#]", url, maxsplit=1)[0].lower().replace("%2e", ".")
    return not any(segment in {".", ".."} for segment in path.split("/"))


def _validate_link(url: str) -> bool:
    # Called by markdown-it with the normalized destination of links, images
    # and autolinks. Other relative and scheme-less URLs are refused, so
    # "[x](/admin/)" or "[x](//evil.example)" stay plain text.
    return _has_scheme(url, LINK_SCHEMES) or _is_site_link(url)


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """Second-pass check run by nh3 on every attribute that survived the allow-list."""
    if attr == "href":
        return value if _has_scheme(value, LINK_SCHEMES) or _is_profile_url(value) or _is_site_link(value) else None
    if attr == "src":
        return value if _has_scheme(value, IMAGE_SCHEMES) else None
    if attr == "class":
        if tag == "code" and _CODE_CLASS_RE.fullmatch(value):
            return value
        if tag == "a" and value == "mention":
            return value
        return None
    if attr == "align":
        return value if value in _ALIGNMENTS else None
    if attr == "start":
        return value if _DIGITS_RE.fullmatch(value) else None
    return value


def _relative_url(url: str) -> str | None:
    # Relative URLs: profile links for mentions, and links to the site's own pages.
    return url if _is_profile_url(url) or _is_site_link(url) else None


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes={"http", "https", "mailto"},
    url_relative=_relative_url,
)

# The same rules without images: for text shown to everyone where a picture is
# not wanted (an image from another host is a tracking pixel on every view).
_imageless_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS - {"img"}),
    clean_content_tags={"script", "style"},
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items() if tag != "img"},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes={"http", "https", "mailto"},
    url_relative=_relative_url,
)


def without_images(html: str) -> str:
    """Rendered HTML (from :func:`render`) with its images removed, all else kept."""
    return _imageless_cleaner.clean(html or "")


# --------------------------------------------------------------------------
# markdown-it: mentions and token fix-ups
# --------------------------------------------------------------------------


def _blocks_mention(prev: str) -> bool:
    return bool(prev) and (prev.isalnum() or prev in _MENTION_BLOCKERS)


def _split_mentions(token: Token, prev: str, found: dict[str, None], spent: Budget) -> list[Token]:
    """Split one text token into text and mention-link tokens (while the budget has links left)."""
    content = token.content
    out: list[Token] = []
    pos = 0
    for match in _MENTION_RE.finditer(content):
        if spent.mentions <= 0:
            spent.cut = True
            break
        start = match.start()
        before = content[start - 1] if start else prev
        if _blocks_mention(before):
            continue
        name = match.group(1).rstrip(".")
        end = match.start(1) + len(name)
        if not name or len(name) > MAX_USERNAME_LENGTH:
            continue
        if content[end : end + 1] == "@":  # "@alice@example.org"
            continue
        if start > pos:
            out.append(_text_token(content[pos:start], token.level))
        lowered = name.lower()
        found[lowered] = None
        spent.mentions -= 1
        link_open = Token("link_open", "a", 1, level=token.level, markup="mention")
        link_open.attrs = {
            "href": PROFILE_URL.format(username=quote(lowered, safe="")),
            "class": "mention",
        }
        out.append(link_open)
        out.append(_text_token("@" + name, token.level + 1))
        out.append(Token("link_close", "a", -1, level=token.level, markup="mention"))
        pos = end
    if not out:
        return [token]
    if pos < len(content):
        out.append(_text_token(content[pos:], token.level))
    return out


def _text_token(content: str, level: int) -> Token:
    return Token("text", "", 0, level=level, content=content)


def _process_inline(children: list[Token], found: dict[str, None], spent: Budget) -> list[Token]:
    result: list[Token] = []
    link_depth = 0
    prev = ""  # last character of the preceding inline text, "" = boundary
    for tok in children:
        if tok.type == "link_open":
            link_depth += 1
        elif tok.type == "link_close":
            link_depth = max(0, link_depth - 1)
        elif tok.type == "image" and not _has_scheme(str(tok.attrs.get("src", "")), IMAGE_SCHEMES):
            # e.g. ![x](mailto:...) passed link validation but is no image:
            # show its alt text instead.
            result.extend(tok.children or [])
            prev = ""
            continue
        elif tok.type == "text" and link_depth == 0 and "@" in tok.content:
            result.extend(_split_mentions(tok, prev, found, spent))
            prev = tok.content[-1:]
            continue

        if tok.type in ("text", "text_special", "code_inline"):
            prev = tok.content[-1:] or prev
        elif tok.type in ("softbreak", "hardbreak"):
            prev = "\n"
        else:
            prev = ""
        result.append(tok)
    return result


def _core_rule(state: StateCore) -> None:
    found: dict[str, None] = state.env.setdefault("mentions", {})  # an ordered set
    spent = budget(state.env)
    for tok in state.tokens:
        if tok.type == "inline" and tok.children:
            tok.children = _process_inline(tok.children, found, spent)
        elif tok.type in ("th_open", "td_open") and tok.attrs:
            # markdown-it emits style="text-align:x"; we allow no style
            # attributes at all, so use the plain align attribute instead.
            match = _TEXT_ALIGN_RE.fullmatch(str(tok.attrs.get("style", "")))
            tok.attrs = {"align": match.group(1)} if match else {}


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    # Before text_join, so backslash-escaped "\@name" (a text_special token)
    # is left alone.
    md.core.ruler.before("text_join", "tribune_mentions", _core_rule)
    return install_limits(md)


_md = _build_parser()


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def _prepare(text: str | None) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise TypeError(f"markup text must be str or None, not {type(text).__name__}")
    text = text.replace("\x00", "")
    # Lone surrogates cannot be encoded to UTF-8 (nh3 would refuse them).
    return _SURROGATES_RE.sub("\ufffd", text)


def render(text: str | None) -> Rendered:
    """Render member-written CommonMark to sanitized HTML.

    Returns the HTML and the lower-cased usernames mentioned with ``@name``
    (de-duplicated, in order of first appearance). The first
    :data:`~community.markup_limits.MENTION_LINKS` mentions become links and
    are reported; the rest stay text.

    The work is bounded (see the module's docstring); past the budget the rest
    of the text is shown as plain, escaped text. The last few results are kept,
    so the checks that read a text again as shown (watched words, the links of
    new members) do not render it again.
    """
    source = _prepare(text)
    if not source.strip():
        return Rendered(html="", mentions=())
    return _render_source(source)


@functools.lru_cache(maxsize=8)
def _render_source(source: str) -> Rendered:
    env: dict = {}
    tokens = _md.parse(source, env)
    raw_html = _md.renderer.render(tokens, _md.options, env)
    return Rendered(html=_cleaner.clean(raw_html), mentions=tuple(env.get("mentions", ())))


_BLOCK_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
     "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "div"}
)  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    return " ".join("".join(parser.parts).split())


def render_plain(text: str | None) -> str:
    """Render markup and return it as a single line of plain text.

    The result is *not* HTML-escaped: escape it (templates do) before putting
    it into HTML.
    """
    return _html_to_text(render(text).html)


def excerpt(html: str, length: int = 200) -> str:
    """Plain-text excerpt of rendered HTML, at most ``length`` characters.

    Cuts at a word boundary when possible and ends with an ellipsis if
    shortened. Like :func:`render_plain`, the result is not HTML-escaped.
    """
    text = _html_to_text(html)
    if length <= 0:
        return ""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
