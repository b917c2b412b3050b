"""What can be featured on the home page, registered by the content apps (the core and the CM
workspace import none of them).

A content app registers each kind of thing a community manager may feature — a forum topic, a
space, a post in a space, later a wiki page — in its ready():

    featuring.register("forums.topic", label=_("Forum topic"), group=featuring.PIECE,
                       resolve=resolve_topics, lookup=lookup_topic)

- `resolve(ids, viewer) -> {id: Card}` reads the items in one or two queries (whatever the number
  of ids) and returns only those `viewer` may read *and* that are public now: a deleted, held,
  unpublished, paused or private item is simply missing from the answer, never an error.
- `lookup(text) -> id | None` turns what a CM pasted (the item's address on this site, with or
  without the scheme and host, or its bare id) into the item's id, or None when it names nothing of
  this kind. It checks the form of the text (and may ask one query); whether the item is readable
  is `resolve`'s business.
- `latest(limit) -> [id, …]` (optional): the newest items of this kind that every reader sees, for
  the demo seed and as suggestions.

`resolve_many([(kind, id), …], viewer)` resolves a mixed list with one call per kind present.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from .registries import unknown
from .rows import MAX_ID

SPACE = "space"  # a featured space (a column, a channel, a gallery, a podcast)
PIECE = "piece"  # a featured piece (a topic, a post, a wiki page)


@dataclass(frozen=True)
class Card:
    """One featured item as the home page shows it (plain text: templates escape it)."""

    title: str
    url: str
    kind_label: str = ""  # "Forum topic", "Podcast", "Column post"…
    excerpt: str = ""
    image_url: str = ""
    author: str = ""  # the author's display name
    author_url: str = ""


@dataclass(frozen=True)
class Featurable:
    name: str
    label: object  # a (lazy) translated string
    resolve: Callable[[list[int], object], dict[int, Card]]
    lookup: Callable[[str], int | None]
    group: str = PIECE
    latest: Callable[[int], list[int]] | None = None


_kinds: dict[str, Featurable] = {}


def register(name: str, *, label, resolve: Callable, lookup: Callable, group: str = PIECE,
             latest: Callable | None = None) -> Featurable:
    featurable = Featurable(name=name, label=label, resolve=resolve, lookup=lookup, group=group, latest=latest)
    _kinds[name] = featurable
    return featurable


def get(name: str) -> Featurable | None:
    """The registered kind, or None for a name nobody registered (raises in tests and DEBUG)."""
    featurable = _kinds.get(name)
    if featurable is None:
        unknown(f"Unknown featured kind {name!r}")
    return featurable


def is_registered(name: str) -> bool:
    return name in _kinds


def kinds() -> list[Featurable]:
    """Spaces first, then pieces; by name within each group."""
    return sorted(_kinds.values(), key=lambda kind: (kind.group != SPACE, kind.name))


def choices() -> list[tuple[str, object]]:
    return [(kind.name, kind.label) for kind in kinds()]


def resolve_many(items: Iterable[tuple[str, int]], viewer) -> dict[tuple[str, int], Card]:
    """Cards for `(kind, id)` pairs that `viewer` may read now: one `resolve` per kind present.
    A kind no longer registered (an app removed) shows nothing."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for name, object_id in items:
        if object_id not in by_kind[name]:
            by_kind[name].append(object_id)
    cards = {}
    for name, ids in by_kind.items():
        featurable = _kinds.get(name)
        if featurable is None:
            unknown(f"Unknown featured kind {name!r}")
            continue
        for object_id, card in featurable.resolve(ids, viewer).items():
            cards[(name, object_id)] = card
    return cards


def latest(name: str, limit: int = 5) -> list[int]:
    """The newest public items of a kind (none if the kind does not say)."""
    featurable = _kinds.get(name)
    if featurable is None or featurable.latest is None:
        return []
    return list(featurable.latest(limit))


def lookup(name: str, text: str) -> int | None:
    featurable = get(name)
    if featurable is None:
        return None
    return as_id(featurable.lookup((text or "").strip()))


# --- Helpers for the apps' lookups -----------------------------------------------------------------

_BARE_ID = re.compile(r"#?([0-9]{1,18})")


def as_id(value) -> int | None:
    """An id taken from pasted text ("12", a URL's `<int:…>`), or None when it cannot name a row:
    not a number, or outside 1 … 2**63 - 1 (a bigger one would overflow the database's integer)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def bare_id(text: str) -> int | None:
    """"12" or "#12": an id typed as such."""
    match = _BARE_ID.fullmatch((text or "").strip())
    return as_id(match.group(1)) if match else None


def site_path(text: str) -> str | None:
    """The path of an address pasted from this site ("https://host/forums/t/12-x/?page=2#p5",
    "/forums/t/12-x/", "forums/t/12-x/"), or None when it is not an address. The host is not
    checked: only the path is resolved against this site's URLs, and nothing is fetched."""
    text = (text or "").strip()
    if not text or any(char.isspace() for char in text):
        return None
    try:
        parts = urlsplit(text if "://" in text or text.startswith("/") else "/" + text)
    except ValueError:
        return None
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    path = parts.path or "/"
    return path if path.startswith("/") else "/" + path


def resolve_path(text: str):
    """Django's `resolve()` of a pasted address's path: a ResolverMatch, or None."""
    path = site_path(text)
    if path is None:
        return None
    try:
        return resolve(path)
    except Resolver404:
        if not path.endswith("/"):
            try:
                return resolve(path + "/")
            except Resolver404:
                return None
        return None
