"""Usernames that cannot pass for another: the confusable skeleton, and the rules a new name follows.

Two usernames are "the same name" when their skeletons are equal. The skeleton is Unicode's
(UTS #39, section 4: NFD, each character replaced by its confusables.txt prototype, NFD again),
taken after NFKC and made case-insensitive:

* NFKC first, so that compatibility forms (full-width `ｍember`, mathematical letters, ligatures)
  are the letters they stand for;
* the prototype mapping, then case folding, repeated until nothing changes (a prototype may fold
  to a letter that has a prototype of its own, and `M` must meet `m`, which confusables.txt maps to
  `rn`);
* the lower-case form of a capital that has a prototype follows that capital when the lower-case
  letter has no prototype of its own: `I` looks like `l`, so `i` does too, or `ADMIN` and `admin`
  would differ.

The prototypes come from the confusables.txt data that `confusable-homoglyphs` ships (it keeps the
pairs both ways; which side is the prototype is read from the shape of each group, see
`_prototypes`). Scripts (for names that mix alphabets) come from its copy of Scripts.txt.
Pure text: no model here (community.models stores the skeleton, community.adapters and the admin
refuse a taken one).
"""

from __future__ import annotations

import functools
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Longest skeleton stored (`User.username_skeleton`): twice the longest username, as `m` -> `rn`.
SKELETON_MAX = 300

# Letters that draw nothing (Hangul fillers, the blank Braille cell): a name must not be made of them.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# Scripts that may share one name (UTS #39 "highly restrictive"): Japanese, Chinese and Korean writing
# mix Han with their own syllabaries, and any of them may add Latin.
_SCRIPT_SETS = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_ANY_SCRIPT = frozenset({"COMMON", "INHERITED"})  # digits, punctuation, combining marks


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _unmarked(text: str) -> str:
    """`text` (in NFD) without its combining marks: `àdmin`, `membėr` and `çm` read as `admin`,
    `member` and `cm` at a glance. UTS #39 keeps accents apart; a community's members do not (two
    members `José` and `Jose` cannot both sign up — the second picks another name)."""
    return "".join(char for char in text if unicodedata.category(char) != "Mn")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each character with a prototype -> that prototype (the key's skeleton, before folding).

    confusable-homoglyphs stores confusables.txt as pairs in both directions: a source has one
    neighbour, its prototype; a prototype has its sources (a prototype is never a source). So a
    character with one neighbour that has several (or that is a sequence) is a source. In a group of
    exactly two single characters the data cannot tell which is which; either is a fine
    representative of the group, as long as it is the same one every time (the smaller).
    """
    from confusable_homoglyphs.confusables import confusables_data

    def plain(text):  # the data wraps right-to-left characters in LEFT-TO-RIGHT MARKs for display
        return text.replace("\u200e", "")

    neighbours: dict[str, set[str]] = {}
    for key, entries in confusables_data.items():
        neighbours.setdefault(plain(key), set()).update(plain(entry["c"]) for entry in entries)
    table = {}
    for char, others in neighbours.items():
        if len(char) != 1 or len(others) != 1:
            continue
        (other,) = others
        if len(other) > 1 or len(neighbours.get(other, ())) > 1:
            table[char] = other
        elif other < char:
            table[char] = other
    # Case: a capital's prototype is also its lower-case letter's, unless that letter has its own.
    for char, prototype in list(table.items()):
        folded = _nfd(char.casefold())
        if len(folded) == 1 and folded != char and folded not in table and _nfkc(char) == char:
            table[folded] = prototype.casefold()
    return table


def skeleton(username: str) -> str:
    """The form two look-alike usernames share: `аdmin`, `ADMIN`, `àdmin` and `adm1n` all give `adrnln`.
    For comparing only, never for showing."""
    table = _prototypes()
    text = _unmarked(_nfd(_nfkc(username or "")))
    for _round in range(8):  # a fixed point in 1-3 rounds for every character
        mapped = _unmarked(_nfd(_nfkc("".join(table.get(char, char) for char in text)).casefold()))
        if mapped == text:
            break
        text = mapped
    return text


def scripts(text: str) -> set[str]:
    """The writing systems of `text`'s letters (Scripts.txt names), common characters left out."""
    from confusable_homoglyphs.categories import unique_aliases

    return set(unique_aliases(text)) - _ANY_SCRIPT


def mixes_scripts(text: str) -> bool:
    """True when `text` mixes writing systems that do not go together (`аdmin`: Cyrillic and Latin)."""
    found = scripts(text)
    return len(found) > 1 and not any(found <= allowed for allowed in _SCRIPT_SETS)


def reserved_skeletons() -> frozenset[str]:
    return _reserved(tuple(settings.ACCOUNT_USERNAME_BLACKLIST))


@functools.cache
def _reserved(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(skeleton(name) for name in names)


def check_username_text(username: str, *, allow_reserved: bool = False) -> str:
    """`username` in NFKC, or a ValidationError saying why no one may take it: with invisible
    characters (blank letters, controls), mixing alphabets, too long once normalized, or (unless
    `allow_reserved`: staff in the admin) looking like a reserved name. Whether a member already
    has it is the model's question (`User.objects.confusable_with`)."""
    username = _nfkc(username or "")
    if any(char in BLANK_LETTERS or not char.isprintable() for char in username):
        raise ValidationError(_("A username cannot contain invisible characters."), code="invisible")
    found = scripts(username)
    if len(found) > 1 and mixes_scripts(username):
        raise ValidationError(
            _("Write your username in one alphabet (this one mixes %(scripts)s).")
            % {"scripts": ", ".join(sorted(name.replace("_", " ").title() for name in found))},
            code="mixed_scripts")
    if len(username) < getattr(settings, "ACCOUNT_USERNAME_MIN_LENGTH", 1):
        # Counted once normalized: `c` + a combining accent + `m` is the two letters `ćm`.
        raise ValidationError(_("This username is too short."), code="too_short")
    found_skeleton = skeleton(username)
    if len(username) > 150 or len(found_skeleton) > SKELETON_MAX:
        raise ValidationError(_("This username is too long."), code="too_long")
    if not allow_reserved and found_skeleton in reserved_skeletons():
        raise ValidationError(_("This username is reserved. Please choose another."), code="reserved")
    return username


def taken_error() -> ValidationError:
    return ValidationError(
        _("This username is taken, or looks too much like a member's username. Please choose another."),
        code="username_taken")
