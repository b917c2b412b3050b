"""A page's text to HTML, once, at save time: the project's Markdown (community.markup, nh3-sanitized)
plus `[[wiki links]]` and a table of contents from the headings.

`render(body, *, base_path) -> WikiRendered(html, toc, links)`; `links` are target paths, each once.

- `[[path/to/page]]` and `[[path/to/page|label]]`: a target with a "/" is a path from the wiki root
  (`paths.normalize`). `[[Page title]]`: the page with exactly that title (case-insensitive) when
  exactly one exists (one query for every bare title of the text, before the caller's transaction),
  else the page at the title's slug as a sibling of the page (under its parent) if there is one, else
  the top-level page with that slug if there is one (`[[community-rules|the rules]]` from anywhere),
  else the sibling path: a red link until created (the same single query).
- The links are found in the *sanitized* HTML's text, outside `<code>`, `<pre>` and `<a>`, so text in
  code is never a link and nothing the member typed can forge one (the sanitizer drops every class
  but "mention" and every relative URL but profiles). Each becomes
  `<a href="/wiki/<path>" class="wikilink">label</a>` — always the blue form: `red_links` turns the
  links to missing pages red at view time from the page's `Link` rows.
- Headings get unique ids `h-<slug>`; `toc` lists them ({"level", "id", "text"}).
- Bounded: at most MAX_LINKS links (the rest stays text); the scan is linear.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils.text import slugify

from community import markup

from . import paths

MAX_LINKS = 500
TARGET_MAX = 255

# A tag of nh3's output (attribute values double-quoted; a ">" may sit inside one), or a text run.
_TAG_RE = re.compile(r'<(/?)([a-zA-Z0-9]+)(?:[^>"]|"[^"]*")*>')
_LINK_RE = re.compile(rf"\[\[([^\[\]\n]{{1,{TARGET_MAX}}})\]\]")
_HEADING_RE = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_STRIP_TAGS_RE = re.compile(r"<[^>]*>")
_SKIP = frozenset({"code", "pre", "a"})
_BLUE_RE = re.compile(r'<a href="/wiki/([a-z0-9/-]*)" class="wikilink">')
_BLUE_LINK_RE = re.compile(r'<a href="/wiki/([a-z0-9/-]*)" class="wikilink">([^<]*)</a>')


@dataclass(frozen=True)
class WikiRendered:
    html: str
    toc: list = field(default_factory=list)  # [{"level": 2, "id": "...", "text": "..."}]
    links: list = field(default_factory=list)  # target paths, in order, each once


@dataclass
class _Link:
    target: str  # as typed (unescaped)
    label: str  # as typed (unescaped)
    path: str | None = None


def render(body: str, *, base_path: str = "", read_level: int = 0) -> WikiRendered:
    """`base_path`: the page's path (siblings of bare titles go under its parent). `read_level`: the
    page's; a bare title resolves only to pages no more restricted (its readers may read them)."""
    sanitized = markup.render(body).html
    if not sanitized:
        return WikiRendered(html="")
    parts = _split_links(sanitized)
    found = [part for part in parts if isinstance(part, _Link)]
    if found:
        _resolve(found, base_path=base_path, read_level=read_level)
    out, links = [], {}
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part.path is None:
            out.append(html.escape(f"[[{part.target}]]" if part.label == part.target
                                   else f"[[{part.target}|{part.label}]]", quote=False))
        else:
            links[part.path] = None
            out.append(f'<a href="/wiki/{html.escape(part.path)}" class="wikilink">'
                       f"{html.escape(part.label, quote=False)}</a>")
    text, toc = _headings("".join(out))
    return WikiRendered(html=text, toc=toc, links=list(links))


def _split_links(sanitized: str) -> list:
    """The HTML as strings and `_Link`s (text outside code, pre and links only)."""
    parts: list = []
    skip_depth, pos, count = 0, 0, 0
    for tag in _TAG_RE.finditer(sanitized):
        if tag.start() > pos:
            text = sanitized[pos:tag.start()]
            if skip_depth or count >= MAX_LINKS or "[[" not in text:
                parts.append(text)
            else:
                count = _links_in(text, parts, count)
        name = tag.group(2).lower()
        if name in _SKIP:
            skip_depth = max(0, skip_depth + (-1 if tag.group(1) else 1))
        parts.append(tag.group(0))
        pos = tag.end()
    if pos < len(sanitized):
        text = sanitized[pos:]
        if skip_depth or count >= MAX_LINKS or "[[" not in text:
            parts.append(text)
        else:
            _links_in(text, parts, count)
    return parts


def _links_in(text: str, parts: list, count: int) -> int:
    pos = 0
    for match in _LINK_RE.finditer(text):
        if count >= MAX_LINKS:
            break
        inner = html.unescape(match.group(1))
        target, _sep, label = inner.partition("|")
        target, label = target.strip(), label.strip()
        if not target:
            continue
        parts.append(text[pos:match.start()])
        parts.append(_Link(target=target, label=label or target))
        pos = match.end()
        count += 1
    parts.append(text[pos:])
    return count


def _resolve(found: list[_Link], *, base_path: str, read_level: int) -> None:
    titles = {}
    for link in found:
        if "/" in link.target:
            link.path = paths.normalize(link.target)
        else:
            titles.setdefault(link.target.casefold(), []).append(link)
    if not titles:
        return
    from django.db.models import Q
    from django.db.models.functions import Lower

    from .models import Page

    parent = paths.parent_path(base_path) or ""
    fallbacks = {}  # title key -> (sibling path, top-level path)
    for key, links in titles.items():
        slug = paths.slug_for(links[0].target)
        fallbacks[key] = (paths.join(parent, slug), paths.join("", slug))
    candidates = {path for pair in fallbacks.values() for path in pair}
    matches: dict[str, list[str]] = {}
    existing: set[str] = set()
    rows = (Page.objects.annotate(lowered=Lower("title"))
            .filter(Q(lowered__in=[title.lower() for title in titles]) | Q(path__in=candidates),
                    is_deleted=False, read_level__lte=read_level)
            .values_list("title", "path"))
    for title, path in rows:
        matches.setdefault(title.casefold(), []).append(path)
        existing.add(path)
    for key, links in titles.items():
        hits = matches.get(key, [])
        sibling, top = fallbacks[key]
        if len(hits) == 1:
            target = hits[0]
        elif sibling not in existing and top in existing:
            target = top  # "[[community-rules]]" from deep down: the top-level page with that slug
        else:
            target = sibling  # an existing sibling, else a red link to create it there
        for link in links:
            link.path = target if paths.is_valid_path(target) else None


def _headings(text: str) -> tuple[str, list]:
    toc, used = [], set()

    def anchor(match):
        level, inner = int(match.group(1)), match.group(2)
        label = " ".join(html.unescape(_STRIP_TAGS_RE.sub("", inner)).split())
        base = "h-" + (slugify(label)[:60].strip("-") or "section")
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        toc.append({"level": level, "id": ident, "text": label})
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    if "<h" not in text:
        return text, toc
    return _HEADING_RE.sub(anchor, text), toc


def red_links(html_text: str, missing) -> str:
    """Stored HTML with the links to `missing` paths leading to creating the page (view time)."""
    missing = set(missing)
    if not missing or "wikilink" not in html_text:
        return html_text
    from django.utils.translation import gettext

    title = html.escape(gettext("This page does not exist yet"))

    def swap(match):
        path, label = match.group(1), match.group(2)
        if path not in missing:
            return match.group(0)
        query = f"path={path}&title={quote(html.unescape(label)[:200], safe='')}"
        return f'<a href="/wiki/_new/?{html.escape(query)}" class="wikilink new" title="{title}">{label}</a>'

    return _BLUE_LINK_RE.sub(swap, html_text)


def link_paths(html_text: str) -> list[str]:
    """The wiki paths the stored HTML links to (for a page whose links are not recorded yet)."""
    return list(dict.fromkeys(_BLUE_RE.findall(html_text)))
