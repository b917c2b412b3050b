"""The featured spaces' registry: what the CM workspace's casting drives, without importing the app
that hosts the spaces (the core and the workspace import no content app; DESIGN.md).

The content app that hosts featured spaces (blogs, on Wagtail) registers one `Host` in its ready():
the kinds of space it offers and the operations casting needs. Each operation checks its actor
(community managers cast) and runs in the caller's transaction:

    spaces.register(spaces.Host(
        name="blogs", kinds=lambda: [("column", _("Column")), …],
        create=create,        # (actor, owner, kind, title) -> SpaceRef   (the space, its group, the Contributors role)
        pause=pause,          # (actor, space_id) -> SpaceRef   hidden from the public, content kept
        resume=resume,        # (actor, space_id) -> SpaceRef   active again
        retire=retire,        # (actor, space_id) -> SpaceRef   a read-only archive
        hand_over=hand_over,  # (actor, space_id, new_owner) -> SpaceRef
        read=read,            # (ids) -> {id: SpaceRef}, one query whatever the number of ids
        held_by=held_by,      # (user) -> [SpaceRef], the spaces a member owns, one query
    ))

The workspace then calls `spaces.create(actor=…, owner=…, kind=…, title=…)`, `spaces.pause(…)`,
`spaces.read(ids)`… A space is known by its id alone (the page id for blogs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .registries import unknown

# A space's state. ACTIVE: public, its holders write. PAUSED: hidden from the public (404 for readers;
# its holders and CMs still see it), content kept. RETIRED: a read-only archive (readable, no new
# posts or edits, comments closed).
ACTIVE, PAUSED, RETIRED = "active", "paused", "retired"
STATES = ((ACTIVE, _("Active")), (PAUSED, _("Paused")), (RETIRED, _("Archive")))
STATE_LABELS = dict(STATES)


@dataclass(frozen=True)
class SpaceRef:
    """What the workspace knows of a space: plain values, never the host's model."""

    id: int
    title: str
    url: str
    owner_id: int
    owner_name: str
    kind: str
    state: str

    @property
    def state_label(self):
        return STATE_LABELS.get(self.state, self.state)

    @property
    def is_paused(self) -> bool:
        return self.state == PAUSED

    @property
    def is_retired(self) -> bool:
        return self.state == RETIRED


@dataclass(frozen=True)
class Host:
    name: str
    kinds: Callable[[], list[tuple[str, object]]]
    create: Callable[..., SpaceRef]
    pause: Callable[..., SpaceRef]
    resume: Callable[..., SpaceRef]
    retire: Callable[..., SpaceRef]
    hand_over: Callable[..., SpaceRef]
    read: Callable[[Iterable[int]], dict[int, SpaceRef]]
    held_by: Callable[[object], list[SpaceRef]]


_host: Host | None = None


def register(host: Host) -> Host:
    """The one host of featured spaces (registering it again, at a second ready(), is harmless)."""
    global _host
    if _host is not None and _host.name != host.name:
        raise ValueError(f"featured spaces are already hosted by {_host.name!r}, not {host.name!r}")
    _host = host
    return host


def host() -> Host | None:
    if _host is None:
        unknown("no app hosts featured spaces: register one with community.spaces.register()")
    return _host


def kinds() -> list[tuple[str, object]]:
    """The kinds of space on offer, as (value, label) choices; none without a host."""
    found = host()
    return list(found.kinds()) if found is not None else []


def kind_label(kind: str):
    return dict(kinds()).get(kind, kind)


def _required() -> Host:
    found = host()
    if found is None:
        raise LookupError("no app hosts featured spaces")
    return found


def create(*, actor, owner, kind: str, title: str) -> SpaceRef:
    return _required().create(actor=actor, owner=owner, kind=kind, title=title)


def pause(*, actor, space_id: int) -> SpaceRef:
    return _required().pause(actor=actor, space_id=space_id)


def resume(*, actor, space_id: int) -> SpaceRef:
    return _required().resume(actor=actor, space_id=space_id)


def retire(*, actor, space_id: int) -> SpaceRef:
    return _required().retire(actor=actor, space_id=space_id)


def hand_over(*, actor, space_id: int, new_owner) -> SpaceRef:
    return _required().hand_over(actor=actor, space_id=space_id, new_owner=new_owner)


def read(ids: Iterable[int]) -> dict[int, SpaceRef]:
    """The spaces of these ids (missing ones are left out), in one query."""
    ids = sorted({pk for pk in ids if pk})
    if not ids:
        return {}
    found = host()
    return found.read(ids) if found is not None else {}


def get(space_id: int | None) -> SpaceRef | None:
    return read([space_id]).get(space_id) if space_id else None


def held_by(user) -> list[SpaceRef]:
    """The spaces `user` owns, by title."""
    found = host()
    return found.held_by(user) if found is not None else []
