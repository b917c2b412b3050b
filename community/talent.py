"""The talent registry: what each content app tells the CM's talent board about its members.

The core imports no content app. Each app registers, from its ready():

- its **signal kinds** — a name, a label, the sentence that says *why* a member ranks ("%(value)s
  likes per post"), a weight, and how the value is scaled (`linear` or `log`, capped; a ratio names
  its `basis`, the count it is a ratio of, so that one lucky post counts less than five good ones);
- one **provider**: `fn(window) -> Contributions`, the signals of every member active in the window,
  computed with a few aggregate queries (never a query per member), plus optionally each member's
  best pieces (title, url, score, and the name of a registered **piece kind**), weekly activity counts (the sparkline), the kinds of media they
  post (text, images, video, audio) and the areas they post in (a forum, a space: key and name);
- optionally an **areas** function: `fn() -> [(key, label), …]` for the board's area filter (one query).

    talent.register_signal(talent.SignalKind("forums.likes_per_post", _("Likes per post"),
                           ngettext_lazy("%(value)s like per post", "%(value)s likes per post", "value"),
                           weight=3.0, cap=10, basis="forums.posts"))
    talent.register_piece_kind("forums.reply", pgettext_lazy("noun", "Reply"))
    talent.register_provider("forums", forum_signals, areas=forum_areas)

The nightly job stores names and numbers only (a signal's name and value, a piece's kind name): the
words are chosen when a page is drawn, in the reader's language (`SignalKind.says`, `piece_kind_label`).

The workspace (cm.scouting) runs every provider for 30 / 90 / 365 days in a nightly Celery job,
combines the signals into one score (the formula is in cm/scouting/scoring.py and
docs/workspace/scouting.md) and stores it; the board reads only that table.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .registries import unknown

# The kinds of media a member posts, a fixed vocabulary (the board filters by it).
TEXT, IMAGES, VIDEO, AUDIO = "text", "images", "video", "audio"
MEDIA = (TEXT, IMAGES, VIDEO, AUDIO)

LINEAR, LOG = "linear", "log"


def media_labels() -> dict:
    return {TEXT: _("Text"), IMAGES: _("Images"), VIDEO: _("Video"), AUDIO: _("Audio")}


@dataclass(frozen=True)
class SignalKind:
    """One signal a provider reports. `sentence` is a lazy string (or an ngettext_lazy on "value")
    with `%(value)s`; the score adds `weight × scaled(value)` (see cm/scouting/scoring.py)."""

    name: str
    label: Any
    sentence: Any
    weight: float
    scale: str = LINEAR
    cap: float | None = None
    # A ratio (likes per post) names the count it is a ratio of: its points are damped while that
    # count is small (n / (n + CONFIDENCE)), so that one lucky post does not outrank steady quality.
    basis: str | None = None
    # Shown with this many decimals in the why ("2.5 likes per post"); counts are whole numbers.
    decimals: int = 0

    def says(self, value: float) -> str:
        """The why, as words in the active language: "12 likes per post". A count is given to the
        sentence as an int (an ngettext_lazy on "value" chooses its plural form); a value with
        decimals as text formatted for the active language ("2.5", "2,5"; give such a signal a plain
        gettext_lazy sentence)."""
        if self.decimals:
            return str(self.sentence % {"value": number_format(value, self.decimals)})
        return str(self.sentence % {"value": int(round(value))})


@dataclass(frozen=True)
class Window:
    """The period scored: [since, until). Week 0 is the oldest week of the window."""

    since: datetime
    until: datetime

    @classmethod
    def last(cls, days: int, *, until: datetime) -> Window:
        return cls(since=until - timedelta(days=days), until=until)

    @property
    def weeks(self) -> int:
        return max(1, math.ceil((self.until - self.since).total_seconds() / (7 * 86400)))

    def week_of(self, when: datetime) -> int:
        """The week index of a moment inside the window (0 … weeks - 1, clamped)."""
        if when is None:
            return 0
        if not isinstance(when, datetime):  # a date
            when = datetime(when.year, when.month, when.day, tzinfo=self.since.tzinfo)
        index = int((when - self.since).total_seconds() // (7 * 86400))
        return min(max(index, 0), self.weeks - 1)


@dataclass
class Piece:
    title: str
    url: str
    score: float
    kind: str = ""  # the name of a registered piece kind ("forums.topic"): its label is shown


@dataclass
class Contribution:
    """What one provider says about one member for one window."""

    signals: dict[str, float] = field(default_factory=dict)
    pieces: list[Piece] = field(default_factory=list)
    weekly: Counter = field(default_factory=Counter)  # week index -> items
    media: set[str] = field(default_factory=set)
    areas: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (name, items)

    def signal(self, name: str, value: float) -> Contribution:
        if value:
            self.signals[name] = self.signals.get(name, 0) + value
        return self

    def piece(self, title: str, url: str, score: float, kind: str = "") -> Contribution:
        """One of the member's pieces; `kind` names a registered piece kind (stored as the name)."""
        if kind and kind not in _piece_kinds:
            unknown(f"unknown piece kind {kind!r}: register it with community.talent.register_piece_kind()")
        self.pieces.append(Piece(title=title, url=url, score=score, kind=kind))
        return self

    def active(self, week: int, items: int = 1) -> Contribution:
        if items:
            self.weekly[week] += items
        return self

    def posts_media(self, *kinds: str) -> Contribution:
        for kind in kinds:
            if kind not in MEDIA:
                unknown(f"unknown media kind {kind!r}: one of {MEDIA}")
                continue
            self.media.add(kind)
        return self

    def posts_in(self, key: str, name: str, items: int = 1) -> Contribution:
        _name, count = self.areas.get(key, (name, 0))
        self.areas[key] = (name, count + items)
        return self


class Contributions(dict):
    """member id -> Contribution, made on first use: `found[author_id].signal("forums.posts", 3)`."""

    def __missing__(self, member_id: int) -> Contribution:
        self[member_id] = Contribution()
        return self[member_id]


@dataclass(frozen=True)
class Provider:
    name: str
    fn: Callable[[Window], Contributions]
    areas: Callable[[], list[tuple[str, str]]] | None = None


_signals: dict[str, SignalKind] = {}
_providers: dict[str, Provider] = {}
_piece_kinds: dict[str, Any] = {}


def register_piece_kind(name: str, label) -> str:
    """A kind of piece a provider names among a member's best ("forums.topic"): `label` is a lazy
    translated noun ("Topic"), shown in the reader's language."""
    _piece_kinds[name] = label
    return name


def piece_kind_label(stored: str) -> str:
    """The label of a stored piece kind in the active language; a kind no longer registered (or a
    label stored before kinds had names) is shown as stored."""
    label = _piece_kinds.get(stored)
    return str(label) if label is not None else stored


def register_signal(kind: SignalKind) -> SignalKind:
    if kind.scale not in (LINEAR, LOG):
        raise ValueError(f"signal {kind.name!r}: scale must be {LINEAR!r} or {LOG!r}")
    _signals[kind.name] = kind
    return kind


def register_provider(name: str, fn: Callable[[Window], Contributions], *,
                      areas: Callable[[], list[tuple[str, str]]] | None = None) -> Provider:
    _providers[name] = Provider(name=name, fn=fn, areas=areas)
    return _providers[name]


def signal_kind(name: str) -> SignalKind | None:
    """A registered signal kind; an unknown name raises in tests and DEBUG (logged in production)."""
    kind = _signals.get(name)
    if kind is None:
        unknown(f"unknown talent signal {name!r}: register it with community.talent.register_signal()")
    return kind


def known_signal(name: str) -> SignalKind | None:
    """A signal kind by name, or None (a score stored before a kind was withdrawn is still shown)."""
    return _signals.get(name)


def signal_kinds() -> list[SignalKind]:
    return list(_signals.values())


def providers() -> list[Provider]:
    return [_providers[name] for name in sorted(_providers)]


def area_choices() -> list[tuple[str, str]]:
    """Every area a member may be filtered by: one query per provider that has areas."""
    choices = []
    for provider in providers():
        if provider.areas is not None:
            choices.extend(provider.areas())
    return choices


def collect(window: Window) -> Contributions:
    """Every provider's contributions for the window, merged per member."""
    merged = Contributions()
    for provider in providers():
        for member_id, found in provider.fn(window).items():
            into = merged[member_id]
            for name, value in found.signals.items():
                into.signal(name, value)
            into.pieces.extend(found.pieces)
            into.weekly.update(found.weekly)
            into.media |= found.media
            for key, (name, items) in found.areas.items():
                into.posts_in(key, name, items)
    return merged
