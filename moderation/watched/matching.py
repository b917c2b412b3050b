"""The watched-word matcher: phrases compiled into regular expressions, cached per process.

A phrase is matched as whole words, ignoring case and accents ("cafe" catches "Café"), with `*`
standing for any letters ("spam*" catches "spammers"). Each letter of a phrase becomes a class of
its accented forms and its look-alikes in other scripts ("bаd" with a Cyrillic а: see
`lookalikes`), so the pattern runs on the text as written: the same matcher finds, blocks, holds
and masks (censor keeps the rest of the text untouched).

The compiled matcher is cached per process and rebuilt when the list changes: the services that
save or delete a WatchedWord call `changed()`, which bumps a version token in the shared cache
(Redis), which every process compares at most every RECHECK_SECONDS. In the process that made the
change the rebuild is immediate.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from community import markup, pagecache

from .lookalikes import LATIN_FOR, LOOKALIKES, occurs, scripts

log = logging.getLogger(__name__)

VERSION_KEY = "moderation:watched-words:version"
RECHECK_SECONDS = 2.0
MASK = "■"
MAX_WILDCARDS = 2
WILDCARD_LETTERS = 24

# Invisible characters used to split a word ("c\u200boin"): ignored when matching.
def _build_invisible() -> dict:
    """Characters that show nothing and may split a word ("via\u034fgra"): every format character
    (category Cf: zero-width spaces and joiners, soft hyphen, tags…), variation selectors, the
    combining grapheme joiner and the Hangul fillers."""
    codes = [code for code in range(0x110000) if unicodedata.category(chr(code)) == "Cf"]
    codes += list(range(0xFE00, 0xFE10)) + list(range(0xE0100, 0xE01F0))
    codes += [0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x180E]
    return dict.fromkeys(codes)


_INVISIBLE = _build_invisible()
INVISIBLE = _INVISIBLE  # shared with the spam checks (moderation/spam/obfuscation.py)
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def clean_phrase(phrase: str) -> str:
    """A phrase as stored: invisible and direction-control characters removed, spaces collapsed."""
    return " ".join((phrase or "").translate(_INVISIBLE).translate(_BIDI).split())


def normalize_phrase(phrase: str) -> str:
    """The phrase's identity: accents stripped, case folded, spaces collapsed, repeated * merged."""
    text = " ".join(_strip_accents(clean_phrase(phrase)).casefold().split())
    return re.sub(r"\*+", "*", text)


def _build_variants() -> dict[str, str]:
    """base letter -> the letter and its accented lower-case forms ("e" -> "eéèêëēĕėęě…")."""
    variants: dict[str, set[str]] = {}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(code).lower()
        base = _strip_accents(ch)
        if len(base) == 1 and base.isascii() and base.isalpha() and base != ch:
            variants.setdefault(base, {base}).add(ch)
    for letter in "abcdefghijklmnopqrstuvwxyz":  # full-width forms (ｉｄｉｏｔ) as shown on the page
        variants.setdefault(letter, {letter}).add(chr(ord(letter) - ord("a") + 0xFF41))
        variants[letter].update(LOOKALIKES.get(letter, ""))  # Cyrillic and Greek letters drawn alike
    for other, latin in LATIN_FOR.items():  # and the other way round, for a Cyrillic or Greek phrase
        variants[other] = {other}.union(*(variants[letter] for letter in latin))
    return {base: "".join(sorted(chars)) for base, chars in variants.items()}


_VARIANTS = _build_variants()


# What may split a shown word without showing: inline formatting in rendered HTML
# ("<strong>idi</strong>ot") and invisible characters. Masking allows them between letters
# rather than removing invisible characters from the text (emoji sequences need their joiners).
_SPLITTERS = (r"(?:</?(?:strong|em|b|i|s|u|del|ins|mark|code|sub|sup)>|["
              + "".join(re.escape(chr(code)) for code in sorted(_INVISIBLE)) + "])*")


# Digits and signs written for letters ("fr0bnicate", "$pam"): a match must still hold a letter,
# so that a number ("101") never reads as a word ("lol") — checked on each match (`lookalikes.occurs`),
# not by a lookahead, which would scan ahead from every position of a long word (quadratic).
_LEET = {"a": "4@", "b": "8", "e": "3", "g": "9", "i": "1!|", "l": "1|", "o": "0", "s": "5$", "t": "7"}
# Letters spaced out or dotted, one and the same separator between every letter ("f r o b",
# "f.r.o.b", "f - r - o - b"), for phrases of at least SPACED_MIN letters: a split anywhere else
# ("car tax") is ordinary text.
SPACED_MIN = 4
_SEPARATOR = r"[\s.\-_·•,/|+~*]{1,3}"
_group_names = itertools.count()


def _letter_class(ch: str) -> str:
    if ch in _VARIANTS or ch in _LEET:
        return "[" + re.escape(_VARIANTS.get(ch, ch) + _LEET.get(ch, "")) + "]"
    return re.escape(ch)


def _spaced(letters: list[str], join: str) -> str:
    """The letters with one separator, the same each time (a named group, unique per pattern)."""
    name = f"sep{next(_group_names)}"
    classes = [_letter_class(ch) for ch in letters]
    return classes[0] + f"{join}(?P<{name}>{_SEPARATOR}){join}" + f"{join}(?P={name}){join}".join(classes[1:])


def pattern_for(phrase: str, *, html: bool = False) -> str:
    """The regular expression of one phrase (to be compiled with re.IGNORECASE). With html=True,
    inline formatting tags may sit between its letters (for masking rendered HTML)."""
    normalized = normalize_phrase(phrase)
    parts = []
    for ch in normalized:
        if ch == "*":
            # Bounded: with at most MAX_WILDCARDS of them, a hostile 64 KB text cannot make the
            # matcher backtrack for long (a wildcard never spans two words anyway).
            parts.append(rf"\w{{0,{WILDCARD_LETTERS}}}")
        elif ch == " ":
            parts.append(r"[\s\-_.]+")
        else:
            parts.append(_letter_class(ch))
    join = _SPLITTERS if html else ""
    body = join.join(parts)
    letters = [ch for ch in normalized if ch != " "]
    if "*" not in normalized and len(letters) >= SPACED_MIN:
        body = f"(?:{body}|{_spaced(letters, join)})"
    # Whole words only (a #hashtag counts), never inside an HTML entity such as &amp; or &#105;.
    return r"(?<![\w&@$])(?<!&#)" + body + r"(?![\w@$])"


def validate_phrase(phrase: str) -> str | None:
    """A message when the phrase cannot be a watched word, else None."""
    normalized = normalize_phrase(phrase or "")
    if len(re.findall(r"[^\W_]", normalized)) < 2:
        return _("A watched word needs at least two letters or digits besides *.")
    if len(normalized) > 100:
        return _("A watched word is at most 100 characters long.")
    if normalized.count("*") > MAX_WILDCARDS:
        return _("Use at most two * in a watched word.")
    if not re.search(r"\w", normalized):
        return _("A watched word needs letters or digits.")
    return None


@dataclass
class Rule:
    pk: int
    phrase: str
    action: str
    regex: re.Pattern
    scripts: frozenset = frozenset()  # of the phrase's letters: a match in another script alone may not count

    def occurs(self, text: str) -> bool:
        return bool(occurs(self.regex, self.scripts, text))


@dataclass
class Matcher:
    """The enabled watched words, compiled: one combined regex per action for the fast "no match"."""

    rules: list[Rule] = field(default_factory=list)
    combined: dict[str, re.Pattern] = field(default_factory=dict)
    # The censor words, letters possibly split by inline tags: (regex, the phrase's scripts) each,
    # and all of them in one regex for the fast "nothing to mask" of most texts.
    censor_html: list[tuple[re.Pattern, frozenset]] = field(default_factory=list)
    censor_any: re.Pattern | None = None

    @classmethod
    def build(cls, words) -> Matcher:
        rules = [Rule(pk, phrase, action, re.compile(pattern_for(phrase), re.IGNORECASE),
                      scripts(normalize_phrase(phrase)))
                 for pk, phrase, action in words]
        combined = {}
        for action in {rule.action for rule in rules}:
            alternatives = "|".join(f"(?:{rule.regex.pattern})" for rule in rules if rule.action == action)
            combined[action] = re.compile(alternatives, re.IGNORECASE)
        censored = [rule for rule in rules if rule.action == "censor"]
        censor_html = [(re.compile(pattern_for(rule.phrase, html=True), re.IGNORECASE), rule.scripts)
                       for rule in censored]
        censor_any = (re.compile("|".join(f"(?:{regex.pattern})" for regex, _scripts in censor_html),
                                 re.IGNORECASE) if censor_html else None)
        return cls(rules=rules, combined=combined, censor_html=censor_html, censor_any=censor_any)

    def find(self, text: str, actions=None) -> list[Rule]:
        """The rules (of `actions`, or all) whose phrase occurs in `text`."""
        text = prepare(text)
        found = []
        for action, regex in self.combined.items():
            if actions is not None and action not in actions:
                continue
            if regex.search(text):
                found.extend(rule for rule in self.rules if rule.action == action and rule.occurs(text))
        return found

    def mask(self, text: str, *, is_html: bool) -> str:
        """`text` with the censored words' letters replaced by ■. A match may span inline tags and
        invisible characters ("<strong>idi</strong>ot", "idi\u200bot"): its tags are kept, the rest
        masked. In HTML, only text is touched: never an attribute, a URL or a tag name."""
        if self.censor_any is None or not text:
            return text
        text = unicodedata.normalize("NFC", text)  # i + combining acute → í, which the classes know
        if not self.censor_any.search(text):
            return text
        # Each word's matches that count (a look-alike alone in another script may not), the longest
        # first where two start together ("acme corp" over "acme").
        spans = sorted(((match.start(), match.end()) for regex, phrase_scripts in self.censor_html
                        for match in occurs(regex, phrase_scripts, text, is_html=is_html)),
                       key=lambda span: (span[0], -span[1]))
        out, last = [], 0
        for start, end in spans:
            if start < last:
                continue  # overlapping another censored word's match, already masked
            if is_html and text.rfind("<", 0, start) > text.rfind(">", 0, start):
                continue  # inside a tag
            out.append(text[last:start])
            out.append(_TAG_OR_CHAR.sub(lambda m: m.group(1) or MASK, text[start:end]))
            last = end
        out.append(text[last:])
        return "".join(out)


_TAG_OR_CHAR = re.compile(r"(<[^>]*>)|.", re.S)


def prepare(text: str) -> str:
    """Text as the matcher reads it: compatibility forms folded (ｆｕｌｌwidth), invisible marks gone,
    accents and other combining marks dropped (the letter classes match the bare letters)."""
    folded = unicodedata.normalize("NFKD", (text or "").translate(_INVISIBLE))
    return unicodedata.normalize("NFC", "".join(ch for ch in folded if not unicodedata.combining(ch)))


def parts_as_written_and_shown(parts) -> str:
    """Each part (a title, a body) as written and as rendered, each rendered on its own: a title
    opening a code fence cannot turn the body into code that hides its words."""
    return "\n".join(as_written_and_shown(part) for part in parts if part)


def as_written_and_shown(text: str) -> str:
    """The source and the text a reader sees once it is rendered: "vi&#97;gra" and "**via**gra"
    both read "viagra" on the page, so the checks read both."""
    if not text:
        return ""
    return f"{text}\n{markup.render_plain(text)}"


# --- The cached matcher ----------------------------------------------------------------------------

_local = {"token": None, "matcher": None, "checked": 0.0}


def _load() -> Matcher:
    from ..models import WatchedWord

    return Matcher.build(WatchedWord.objects.filter(enabled=True).order_by("pk")
                         .values_list("pk", "phrase", "action"))


def matcher() -> Matcher:
    """The current matcher: local, re-validated against the shared version token every few seconds."""
    now = time.monotonic()
    current = _local["matcher"]
    if current is not None and now - _local["checked"] < RECHECK_SECONDS:
        return current
    token = cache.get(VERSION_KEY)
    if current is None or token is None or token != _local["token"]:
        if token is None:
            token = uuid.uuid4().hex
            cache.set(VERSION_KEY, token, None)
        current = _load()
        _local["matcher"], _local["token"] = current, token
    _local["checked"] = now
    return current


def changed() -> None:
    """The list changed: this process rebuilds at once, the others within RECHECK_SECONDS."""
    _local["matcher"] = None
    token = uuid.uuid4().hex
    cache.set(VERSION_KEY, token, None)

    def after_commit():
        _local["matcher"] = None
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        pagecache.bump([pagecache.DISPLAY])  # cached pages show censored words as they are now

    transaction.on_commit(after_commit)


def reset(empty: bool = False) -> None:
    """Forget the local matcher (tests). With empty=True, start from an empty list without a query."""
    if empty:
        token = uuid.uuid4().hex
        cache.set(VERSION_KEY, token, None)
        _local.update(token=token, matcher=Matcher.build([]), checked=time.monotonic())
    else:
        _local.update(token=None, matcher=None, checked=0.0)


