"""What every writer of member text needs, whatever the content kind: cleaning and size limits,
Markdown rendered once (before the transaction opens), mentions resolved to members, and the
double-submit fingerprint. Forum posts use it today; blog comments and wiki revisions tomorrow.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import identity, markup
from .models import User

BODY_MAX_BYTES = 64 * 1024
TITLE_MAX = 200
MAX_MENTIONS = 50
# The same text by the same member in the same place within this window is a double submit.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)

# Bidirectional embedding/override/isolate controls: they can make a title read as another one.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Control characters (C0 but the spaces that split() turns into one, DEL, C1): never shown.
_CONTROLS = "".join(chr(c) for c in [*range(0x20), *range(0x7f, 0xa0)] if not chr(c).isspace())
# A title drops these (and the controls), keeping the joiners that emoji and some scripts need:
# zero width space, word joiner, byte order mark.
_TITLE_DROPS = dict.fromkeys(map(ord, _CONTROLS + _BIDI_CONTROLS + "\u200b\u2060\ufeff"))
_BLANK_LETTERS = identity.BLANK_LETTERS  # Hangul fillers, the blank Braille cell


def has_visible(text: str) -> bool:
    """Whether `text` shows anything: a letter, digit, punctuation mark or symbol that draws (not
    only spaces, controls, zero-width or combining characters, Hangul fillers)."""
    return any(unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LETTERS for char in text or "")


# A body keeps its line breaks and tabs; it drops the other controls and the direction controls
# (an override makes "hi\u202eevil" read backwards; isolates too: text never needs them typed).
_BODY_DROPS = dict.fromkeys(map(ord, (_CONTROLS + _BIDI_CONTROLS).replace("\t", "").replace("\n", "").replace("\r", "")))


def strip_text(text: str) -> str:
    """Member text as stored (a post, a bio): control and direction characters dropped, outer blank
    space trimmed."""
    return (text or "").translate(_BODY_DROPS).strip()


def clean_body(body: str, *, max_bytes: int = BODY_MAX_BYTES) -> str:
    """The text as stored (`strip_text`); refused when nothing visible is left (zero-width spaces,
    blank Braille cells) or past `max_bytes` of UTF-8 (a clear message for the form)."""
    body = strip_text(body)
    if not has_visible(body):
        raise ValidationError(_("Write something first."), code="empty")
    if len(body.encode("utf-8")) > max_bytes:
        raise ValidationError(_("This text is too long: at most %(size)d KB.") % {"size": max_bytes // 1024},
                              code="too_long")
    return body


def clean_title(title: str, *, max_length: int = TITLE_MAX, empty_message: str | None = None) -> str:
    """A one-line title: control and direction characters, zero-width spaces dropped, spaces
    collapsed; refused when nothing visible is left or longer than `max_length` characters."""
    title = " ".join((title or "").translate(_TITLE_DROPS).split())
    if not has_visible(title):
        raise ValidationError(empty_message or _("Give it a title."), code="empty")
    if len(title) > max_length:
        raise ValidationError(_("The title is too long: at most %(max)d characters.") % {"max": max_length},
                              code="too_long")
    return title


def clean_name(name: str) -> str:
    """A name as shown beside a member's posts (display name, location): one line (CR, LF, TAB and
    runs of spaces become one space), without control or format characters (direction controls and
    marks, zero-width spaces and joiners, the byte order mark, soft hyphens) or blank letters;
    "" when nothing visible is left."""
    words = ("".join(char for char in word if unicodedata.category(char) not in ("Cc", "Cf")
                     and char not in _BLANK_LETTERS) for word in (name or "").split())
    name = " ".join(" ".join(words).split())
    return name if has_visible(name) else ""


def slug_for(title: str, *, fallback: str = "item") -> str:
    return (slugify(title, allow_unicode=True) or fallback)[:200]


def fingerprint(author_id: int, body: str) -> str:
    """What identifies "the same text by the same member" (double submits), without storing it twice."""
    return hashlib.sha256(f"{author_id}\n{body}".encode()).hexdigest()


def mentioned_ids(usernames, *, exclude_id=None) -> list[int]:
    """The active members named by `@username` (at most MAX_MENTIONS names; one query, none without
    names), sorted; never `exclude_id` (the author)."""
    if not usernames:
        return []
    query = Q()
    for name in list(usernames)[:MAX_MENTIONS]:
        query |= Q(username__iexact=name)
    ids = User.objects.filter(query, is_active=True).exclude(pk=exclude_id).values_list("pk", flat=True)
    return sorted(ids)


@dataclass(frozen=True)
class Written:
    """A member's text, cleaned and rendered once, ready to be saved."""

    body: str
    html: str
    mentions: list[str] = field(default_factory=list)  # usernames as written
    fingerprint: str = ""


def prepare(*, author, body: str, max_bytes: int = BODY_MAX_BYTES) -> Written:
    """Clean and render `body` by `author` — call it before the transaction opens, so that rendering
    (the costly part) never holds a lock."""
    body = clean_body(body, max_bytes=max_bytes)
    rendered = markup.render(body)
    return Written(body=body, html=rendered.html, mentions=list(rendered.mentions),
                   fingerprint=fingerprint(author.pk, body))


def lock_author(author) -> None:
    """Serialize one member's writes in this transaction (so a double submit finds the first copy)."""
    User.objects.select_for_update(no_key=True).filter(pk=author.pk).values_list("pk", flat=True).first()
