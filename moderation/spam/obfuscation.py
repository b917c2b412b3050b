"""Disguised words, undone and counted: what a spammer does to slip a word past a filter.

`reveal(text)` returns the text as a reader sees it (the disguise removed) and the tricks it found:

- invisible characters inside a word ("cas\u200bino": zero-width spaces and joiners, soft hyphens,
  every format character of Unicode category Cf);
- look-alike letters: a word mixing Latin with Cyrillic or Greek letters drawn the same ("саsinо" with
  a Cyrillic с, а and о). The letters are mapped with the watched words' table
  (moderation/watched/lookalikes.py), so both checks read a disguise the same way; whether a word
  mixes scripts is asked of `confusable_homoglyphs` (already kept for usernames), which knows every
  script, not only the three of the table;
- spaced or dotted letters ("c a s i n o", "v.i.a.g.r.a", "f-r-e-e"): four single letters or more;
- digits for letters inside a word ("m0ney", "c4sino", "fr33"), not version numbers or product names
  ("mp3", "h264", "k8s", "rtx4090");
- a link's dot written out ("quick-cash dot com").

Members almost never do any of this; a spammer must, to get past a word list. It costs them the reader's
trust too, which is why it is a strong sign (ObfuscationChecker) and the classifier reads the revealed text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from confusable_homoglyphs import confusables

from moderation.watched.lookalikes import LATIN_FOR
from moderation.watched.matching import INVISIBLE

_INVISIBLE_IN_WORD = re.compile(r"(?<=\w)[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064"
                                r"\u206a-\u206f\ufeff]+(?=\w)")
# Every format character (Unicode category Cf), for str.translate: the watched words' table.
_FORMAT_CHARACTERS = INVISIBLE
# Letters beyond Latin (with its accents and extensions): only words holding one may mix scripts.
_BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")
_WORD = re.compile(r"\w+")
# One separator, the same all along ("v.i.a.g.r.a"), so that "U.S.A. e.g." stays as written.
_SPACED = re.compile(r"(?<![\w.\-])[^\W\d_]([ .\-_*·•|/]{1,2})(?:[^\W\d_]\1){2,}[^\W\d_](?![\w\-])")
_SEPARATORS = re.compile(r"[ .\-_*·•|/]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"})
_LEET_WORD = re.compile(r"(?<![\w@$])(?=[\w$]*[a-z])[a-z$0-9]*[a-z][0134$][a-z][a-z$0-9]*(?![\w@])"
                        r"|(?<![\w@$])[a-z]{2,}[0134]{2,}(?![\w@$])", re.I)
_DOT_WORD = re.compile(r"(?i)\b[a-z0-9-]{3,}\s*(?:\(|\[)?\s*(?:dot|point)\s*(?:\)|\])?\s*"
                       r"(?:com|net|org|fr|xyz|top|io|shop|site|online|club|info|biz)\b")


@dataclass(frozen=True)
class Revealed:
    text: str
    tricks: Counter = field(default_factory=Counter)
    examples: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return sum(self.tricks.values())


def _strip_invisible(text: str) -> tuple[str, int]:
    if text.isascii():
        return text, 0
    found = len(_INVISIBLE_IN_WORD.findall(text))
    text = _INVISIBLE_IN_WORD.sub("", text)
    # Any other format character goes too (uncounted: emoji joiners and bidi marks are everyday text).
    return text.translate(_FORMAT_CHARACTERS), found


@lru_cache(maxsize=4096)
def _unmix(word: str) -> str | None:
    """The Latin spelling of a word that mixes scripts with look-alike letters, else None."""
    if word.isascii() or not _BEYOND_LATIN.search(word) or not confusables.is_mixed_script(word):
        return None
    if not any("a" <= ch.lower() <= "z" for ch in word):
        return None  # a word wholly in another script (mixed only with digits): not a disguise
    latin = "".join(LATIN_FOR.get(ch.lower(), ch)[0] if ch.lower() in LATIN_FOR else ch for ch in word)
    return latin if latin != word else None


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
        text = _WORD.sub(unmix, text)

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
