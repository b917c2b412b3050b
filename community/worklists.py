"""Worklists: small lists of things waiting for a community manager that a content app shows on the
review queue (moderation imports no content app). The wiki registers "Wiki edits to patrol".

    worklists.register_worklist("wiki.patrol", label=_("Wiki edits to patrol"),
                                count=lambda viewer: …, url=lambda: reverse("wiki:patrol"),
                                items=lambda viewer, limit: […],
                                template="wiki/includes/patrol_worklist.html")

- `count(viewer) -> int`: how many wait for this viewer (0 when the viewer may not act on them:
  the panel is then not shown). One query at most.
- `items(viewer, limit) -> list`: the first few, asked only when `count` is not 0. One query.
- `url() -> str`: the full list.
- `template`: the fragment drawing the items (given `worklist`: label, count, url, items).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SHOWN = 5  # items per panel


@dataclass(frozen=True)
class Worklist:
    name: str
    label: Any
    count: Callable[[Any], int]
    url: Callable[[], str]
    items: Callable[[Any, int], list]
    template: str
    order: int = 100


@dataclass
class Panel:
    """A worklist as the queue shows it to one viewer."""

    name: str
    label: Any
    count: int
    url: str
    template: str
    items: list = field(default_factory=list)


_worklists: dict[str, Worklist] = {}


def register_worklist(name: str, *, label, count, url, items, template: str, order: int = 100) -> Worklist:
    worklist = Worklist(name=name, label=label, count=count, url=url, items=items, template=template, order=order)
    _worklists[name] = worklist
    return worklist


def worklists() -> list[Worklist]:
    return sorted(_worklists.values(), key=lambda worklist: (worklist.order, worklist.name))


def panels_for(viewer, *, limit: int = SHOWN) -> list[Panel]:
    """The worklists with something waiting for `viewer`: one count query each, plus one for the
    items of each that is not empty."""
    panels = []
    for worklist in worklists():
        count = worklist.count(viewer)
        if count:
            panels.append(Panel(name=worklist.name, label=worklist.label, count=count, url=worklist.url(),
                                template=worklist.template, items=list(worklist.items(viewer, limit))))
    return panels
