"""Event kinds, declared once (`declare(name, queue=…)`) and kept as constants: the spine's own
here, each app's in its own `events.py`. Pure: no model, no database, so that any registry may
import it without an import cycle (community.events, which records and delivers, builds on it)."""

from __future__ import annotations

from dataclasses import dataclass

from .registries import unknown

QUEUES = ("default", "spam", "notifications", "email")


@dataclass(frozen=True)
class EventKind:
    name: str
    queue: str = "default"
    # A later announcement of the same news: "content.published" (held content released by a CM)
    # tells whoever "content.created" would have told, so a notification source registered for
    # `announces` serves this kind too — one registration, whatever the verb.
    announces: str | None = None


_kinds: dict[str, EventKind] = {}


def declare(name: str, *, queue: str = "default", announces: str | None = None) -> str:
    """Declare an event kind (once, at import time of the module that owns it); returns its name,
    to be kept as that module's constant."""
    if queue not in QUEUES:
        raise ValueError(f"event kind {name!r}: unknown queue {queue!r} (one of {', '.join(QUEUES)})")
    if announces is not None and announces not in _kinds:
        raise ValueError(f"event kind {name!r} announces {announces!r}, which is not declared")
    existing = _kinds.get(name)
    if existing is not None and existing != EventKind(name, queue, announces):
        raise ValueError(f"event kind {name!r} is already declared differently")
    _kinds[name] = EventKind(name, queue, announces)
    return name


def event_kind(name: str) -> EventKind | None:
    return _kinds.get(name)


def is_declared(name: str) -> bool:
    return name in _kinds


def check_declared(name: str, *, what: str = "event kind") -> None:
    if name not in _kinds:
        unknown(f"unknown {what} {name!r}: declare it with community.events.declare()")


def queue_for(name: str) -> str:
    kind = _kinds.get(name)
    return kind.queue if kind is not None else "default"


def kinds_on(queue: str) -> list[str]:
    """The declared kinds whose events travel on `queue`."""
    return [kind.name for kind in _kinds.values() if kind.queue == queue]


def family(name: str) -> list[str]:
    """The kind and the kinds it announces again (content.published -> [published, created])."""
    names = []
    while name and name not in names:
        names.append(name)
        kind = _kinds.get(name)
        name = kind.announces if kind is not None else None
    return names


def publication_key(content_kind: str, object_id: int) -> str:
    """The idempotency key of the one "content.published" event of an item (held, then released)."""
    return f"content.published:{content_kind}:{object_id}"


# The spine's own kinds. Content services do not record these by hand: community.content's
# `content_created()` / `content_changed()` do, with the content kind in the payload.
CONTENT_CREATED = declare("content.created", queue="spam")  # checks run first, then the fan-out
CONTENT_CHANGED = declare("content.changed", queue="spam")
CONTENT_PUBLISHED = declare("content.published", queue="notifications", announces=CONTENT_CREATED)
WELCOME = declare("community.welcome", queue="email")

