"""The sentence where a watched word appears, for the brand-watch inbox: found with the watched
word's own pattern (case, accents, look-alike letters, spaced-out letters: what raised the alert),
cut at the sentence's ends, escaped, the word marked.

The text is what a reader sees: the item's rendered HTML as plain text when the kind stores it
(`<text field>_html`, rendered at write time: no Markdown work here), its other parts (a topic's
title) as written. Censored words around it are masked as everywhere else (`content.display`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from community import content, markup
from moderation.watched import normalize_phrase, pattern_for, prepare
from moderation.watched.lookalikes import occurs, scripts

AROUND = 160  # characters of the sentence kept on each side of the word, at most
_PLAIN_MAX = 100_000
_SENTENCE_END = re.compile(r"[.!?…。](?=\s)|\n")


@dataclass(frozen=True)
class Sentence:
    html: SafeString
    found: bool  # False: the word is no longer in the text (edited since); html is its beginning


def readable_text(kind: content.ContentKind, obj) -> str:
    """Every part of the item as a reader sees it, one per line, NFC (as the matcher's classes expect)."""
    main = kind.text(obj)
    rendered = getattr(obj, f"{kind.text_field}_html", None)
    parts = []
    for part in kind.parts(obj):
        if part and part == main and isinstance(rendered, str):
            parts.append(markup.excerpt(rendered, _PLAIN_MAX))
        elif part:
            parts.append(part)
    return unicodedata.normalize("NFC", "\n".join(parts))


class WordFinder:
    """The compiled patterns of the page's watched words (one compile per word and page)."""

    def __init__(self):
        self._compiled: dict[str, tuple[re.Pattern, frozenset]] = {}

    def spans(self, phrase: str, text: str) -> list[re.Match]:
        if phrase not in self._compiled:
            self._compiled[phrase] = (re.compile(pattern_for(phrase), re.IGNORECASE),
                                      scripts(normalize_phrase(phrase)))
        regex, phrase_scripts = self._compiled[phrase]
        return occurs(regex, phrase_scripts, text) if regex.search(text) else []


def _shown(text: str) -> str:
    return escape(content.display(text, is_html=False))


def sentence(text: str, phrase: str, finder: WordFinder) -> Sentence:
    """The sentence of `text` holding the first use of `phrase`, escaped, the word in <mark>."""
    found = finder.spans(phrase, text)
    if not found:
        # Written with invisible characters or accents the page shows: look where the matcher looked.
        prepared = prepare(text)
        found = finder.spans(phrase, prepared)
        text = prepared if found else text
    if not found:
        return Sentence(html=format_html("{}", content.display(Truncator(text).chars(2 * AROUND), is_html=False)),
                        found=False)
    match = found[0]
    start, end = match.start(), match.end()
    before_ends = list(_SENTENCE_END.finditer(text, 0, start))
    begin = before_ends[-1].end() if before_ends else 0
    after = _SENTENCE_END.search(text, end)
    finish = after.end() if after else len(text)
    prefix, suffix = "", ""
    if start - begin > AROUND:
        cut = text.find(" ", start - AROUND, start)
        begin = cut + 1 if cut != -1 else start - AROUND
        prefix = "…"
    if finish - end > AROUND:
        cut = text.rfind(" ", end, end + AROUND)
        finish = cut if cut != -1 else end + AROUND
        suffix = "…"
    html = (prefix + _shown(text[begin:start].lstrip()) + "<mark>" + escape(text[start:end]) + "</mark>"
            + _shown(text[end:finish].rstrip()) + suffix)
    return Sentence(html=mark_safe(html), found=True)  # every piece of member text escaped above
