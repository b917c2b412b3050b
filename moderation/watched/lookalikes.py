"""Look-alike letters: "bаd" written with a Cyrillic а still reads "bad", and must match it.

Two layers. Compatibility forms (full-width ｂａｄ, mathematical 𝐛𝐚𝐝, circled ⓑ) are folded by the
matcher itself (`prepare` normalizes with NFKD, the compatibility decomposition that NFKC also
uses). What Unicode normalization leaves alone — letters of another script drawn the same — is
this small hand-made table of the Cyrillic and Greek letters that look like Latin ones (in either
case: the matcher ignores case). A table, not Unicode's full confusables list (TR39): watched words
compare words of a few alphabets, and a dozen lines that a CM can read say exactly what is caught;
the usernames' skeleton check is a separate matter with its own rules.

A look-alike class alone would also make ordinary Russian or Greek text match a Latin word: "рот"
("mouth") is drawn like "pot". So a match counts when it shares a script with the phrase ("bаd":
Latin letters and one Cyrillic), or — written wholly in another script — when that script appears
nowhere else in the text ("Buy сосаіnе here": a disguise in English text). A Russian sentence
("Закрой рот") or a name written in Cyrillic alone never matches a Latin word, and the other way
round: the table works both ways, a Cyrillic watched word catches its Latin look-alike spelling.
"""

from __future__ import annotations

import re

# Latin letter -> the Cyrillic and Greek letters drawn like it, lower or upper case (В like B, Н like H).
LOOKALIKES = {
    "a": "аα",  # Cyrillic a, Greek alpha
    "b": "вβ",  # Cyrillic ve (В), Greek beta (Β)
    "c": "сϲ",  # Cyrillic es, Greek lunate sigma
    "d": "ԁ",  # Cyrillic komi de
    "e": "еε",  # Cyrillic ie, Greek epsilon (Ε)
    "h": "һнη",  # Cyrillic shha, en (Н), Greek eta (Η)
    "i": "іιӏ",  # Ukrainian i, Greek iota, Cyrillic palochka
    "j": "ј",  # Cyrillic je
    "k": "кκ",  # Cyrillic ka, Greek kappa
    "l": "ӏ",  # Cyrillic palochka
    "m": "мμ",  # Cyrillic em (М), Greek mu (Μ)
    "n": "η",  # Greek eta
    "o": "оο",  # Cyrillic o, Greek omicron
    "p": "рρ",  # Cyrillic er, Greek rho
    "q": "ԛ",  # Cyrillic qa
    "r": "г",  # Cyrillic ghe
    "s": "ѕ",  # Cyrillic dze
    "t": "тτ",  # Cyrillic te (Т), Greek tau
    "u": "υ",  # Greek upsilon
    "v": "νѵ",  # Greek nu, Cyrillic izhitsa
    "w": "ԝω",  # Cyrillic we, Greek omega
    "x": "хχ",  # Cyrillic ha, Greek chi
    "y": "уүγ",  # Cyrillic u, straight u, Greek gamma
    "z": "ζ",  # Greek zeta (Ζ)
}

# Each foreign letter -> the Latin letters it may stand for (a Cyrillic watched word's classes).
LATIN_FOR = {}
for _latin, _others in LOOKALIKES.items():
    for _other in _others:
        LATIN_FOR[_other] = LATIN_FOR.get(_other, "") + _latin

_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\uff21-\uff3a\uff41-\uff5a]"),
    "cyrillic": re.compile(r"[\u0400-\u0482\u048a-\u052f]"),
    "greek": re.compile(r"[\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u03ff\u1f00-\u1ffc]"),
}
_MARKUP = re.compile(r"<[^>]*>|&#?\w+;")


def scripts(text: str) -> frozenset[str]:
    """The scripts among Latin, Cyrillic and Greek whose letters occur in `text`."""
    return frozenset(name for name, letters in _SCRIPTS.items() if letters.search(text))


def occurs(regex: re.Pattern, phrase_scripts: frozenset[str], text: str, *, is_html: bool = False) -> list:
    """The matches of one phrase's `regex` in `text` that count (see the module's docstring)."""
    counted, foreign = [], []
    for match in regex.finditer(text):
        if not any(char.isalpha() for char in (_MARKUP.sub("", match.group(0)) if is_html else match.group(0))):
            continue  # digits and signs only ("101" for "lol"): a number, not a word
        written = scripts(_MARKUP.sub("", match.group(0)) if is_html else match.group(0))
        if not phrase_scripts or not written or written & phrase_scripts:
            counted.append(match)
        else:
            foreign.append((match, written))
    if foreign:
        rest, last = [], 0
        for match, _written in foreign:
            rest.append(text[last:match.start()])
            last = match.end()
        rest.append(text[last:])
        around = scripts(_MARKUP.sub(" ", " ".join(rest)) if is_html else " ".join(rest))
        disguise = frozenset().union(*(written for _match, written in foreign))
        if around & phrase_scripts and not around & disguise:
            counted.extend(match for match, _written in foreign)
            counted.sort(key=lambda match: match.start())
    return counted
