"""Disguised words, undone and counted: what a spammer does to slip a word past a filter.

`reveal(text)` returns the text as a reader sees it (the disguise removed) and the tricks it found:

- invisible characters inside a word ("cas\u200bino": zero-width spaces and joiners, soft hyphens,
  every format character of Unicode category Cf);
- look-alike letters: a word mixing Latin with Cyrillic or Greek letters drawn the same ("саsinо" with
  a Cyrillic с, а and о). The letters are mapped with the watched words' table
  (moderation/watched/lookalikes.py), so both checks read a disguise the same way. Every letter of the
  table is Cyrillic or Greek, so a word holding one of them and a Latin letter mixes scripts: no
  per-character script lookup is needed (one cost 1.5 s for a 100 KB word);
- spaced or dotted letters ("c a s i n o", "v.i.a.g.r.a", "f-r-e-e"): four single letters or more;
- digits for letters inside a word ("m0ney", "c4sino", "fr33"), not version numbers or product names
  ("mp3", "h264", "k8s", "rtx4090");
- a link's dot written out ("quick-cash dot com").

Members almost never do any of this; a spammer must, to get past a word list. It costs them the reader's
trust too, which is why it is a strong sign (ObfuscationChecker) and the classifier reads the revealed text.

Every post goes through these patterns: each must stay linear in the length of the text (no start
inside a run that an earlier start already scanned; tests/moderation/test_spam_bounds.py times them
on hostile 100 KB inputs).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from moderation.watched.lookalikes import LATIN_FOR

_INVISIBLE_IN_WORD = re.compile(r"(?<=\w)[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064"
                                r"\u206a-\u206f\ufeff]+(?=\w)")
# Each look-alike letter, lower or upper case, -> the Latin letter it is read as.
_TO_LATIN = {ord(form): latin[0] for other, latin in LATIN_FOR.items() for form in {other, other.upper()}
             if form.lower() == other}
# A whole word holding at least one look-alike letter (one start per word: the lookbehind).
_LOOKALIKE_WORD = re.compile(r"(?<!\w)\w*[" + "".join(map(chr, _TO_LATIN)) + r"]\w*")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
# One separator, the same all along ("v.i.a.g.r.a"), so that "U.S.A. e.g." stays as written.
_SPACED = re.compile(r"(?<![\w.\-])[^\W\d_]([ .\-_*·•|/]{1,2})(?:[^\W\d_]\1){2,}[^\W\d_](?![\w\-])")
_SEPARATORS = re.compile(r"[ .\-_*·•|/]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"})
# A word (from its start: the lookbehind) with a digit between two letters, taken whole (possessive: no
# backtracking over the word's letters, quadratic on a long one), or letters then digits ("fr33").
_LEET_WORD = re.compile(r"(?<![\w@$])(?=[a-z$0-9]*[a-z][0134$][a-z])[a-z$0-9]++(?![\w@])"
                        r"|(?<![\w@$])[a-z]{2,}[0134]{2,}(?![\w@$])", re.I)
# Tried from the start of a run of letters, digits and hyphens only ("a-a-a-…" would otherwise be
# scanned again from each letter).
_DOT_WORD = re.compile(r"(?i)(?<![a-z0-9-])-*\b[a-z0-9-]{3,}\s*(?:\(|\[)?\s*(?:dot|point)\s*(?:\)|\])?\s*"
                       r"(?:com|net|org|fr|xyz|top|io|shop|site|online|club|info|biz)\b")


@dataclass(frozen=True)
class Revealed:
    text: str
    tricks: Counter = field(default_factory=Counter)
    examples: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return sum(self.tricks.values())


@cache
def _format_characters() -> re.Pattern:
    """Every format character (Unicode category Cf) as one class, built once (about 0.1 s): a test of
    each character of each post cost as much for 100 KB."""
    ranges, previous = [], None
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) != "Cf":
            continue
        if previous is not None and code == previous + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
        previous = code
    return re.compile("[" + "".join(f"\\U{start:08x}-\\U{end:08x}" for start, end in ranges) + "]+")


def _strip_invisible(text: str) -> tuple[str, int]:
    if text.isascii():
        return text, 0
    found = len(_INVISIBLE_IN_WORD.findall(text))
    text = _INVISIBLE_IN_WORD.sub("", text)
    # Any other format character goes too (uncounted: emoji joiners and bidi marks are everyday text).
    return _format_characters().sub("", text), found


@lru_cache(maxsize=4096)
def _unmix(word: str) -> str | None:
    """The Latin spelling of a Latin word written with look-alike letters of another script, else None."""
    latin = word.translate(_TO_LATIN)
    if latin == word or not _ASCII_LETTER.search(word):
        return None  # no look-alike, or a word wholly in another script (mixed only with digits)
    return latin


def _is_leet(word: str) -> bool:
    letters = sum(ch.isalpha() for ch in word)
    return letters >= 2 and len(word) >= 4 and any(ch in "0134$" for ch in word)


def reveal(text: str) -> Revealed:
    tricks: Counter = Counter()
    examples: list[str] = []
    text = unicodedata.normalize("NFKC", text or "")  # full-width and mathematical letters are letters
    text, invisible = _strip_invisible(text)
    if invisible:
        tricks["invisible"] += invisible

    def unmix(match: re.Match) -> str:
        latin = _unmix(match.group(0))
        if latin is None:
            return match.group(0)
        tricks["lookalike"] += 1
        examples.append(latin)
        return latin

    if not text.isascii():
        text = _LOOKALIKE_WORD.sub(unmix, text)

    def join_spaced(match: re.Match) -> str:
        joined = _SEPARATORS.sub("", match.group(0))
        if match.group(1) == "." and joined.isupper():
            return match.group(0)  # an acronym: S.N.C.F.
        tricks["spaced"] += 1
        examples.append(joined)
        return joined

    text = _SPACED.sub(join_spaced, text)

    def unleet(match: re.Match) -> str:
        word = match.group(0)
        if not _is_leet(word):
            return word
        tricks["digits"] += 1
        plain = word.translate(_LEET)
        examples.append(plain)
        return f"{word} {plain}"

    text = _LEET_WORD.sub(unleet, text)
    dotted = _DOT_WORD.findall(text)
    if dotted:
        tricks["dot-written"] += len(dotted)
    return Revealed(text=text, tricks=tricks, examples=tuple(dict.fromkeys(examples))[:5])
