"""The member card (/cm/members/<username>/): sections and actions that the workspace's areas add.

An area registers, from its setup.ready():

    card.register_section("casting", template="cm/casting/includes/card_history.html",
                          data=lambda member, viewer: {"castings": ...}, order=50)
    card.register_action("cast", label=_("Cast into a space"),
                         url=lambda member: reverse("cm:cast", args=[member.username]), order=10)

The card renders each section's template with `data` (keep it to one or two queries: the card's
query count is the sum of its sections') and shows the actions as buttons; the talent board shows
the actions on each row too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    data: Callable[[object, object], dict]
    order: int = 100


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    url: Callable[[object], str]
    order: int = 100


_sections: dict[str, Section] = {}
_actions: dict[str, Action] = {}


def register_section(name: str, *, template: str, data: Callable[[object, object], dict], order: int = 100) -> Section:
    _sections[name] = Section(name=name, template=template, data=data, order=order)
    return _sections[name]


def register_action(name: str, *, label: str, url: Callable[[object], str], order: int = 100) -> Action:
    _actions[name] = Action(name=name, label=label, url=url, order=order)
    return _actions[name]


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def actions() -> list[Action]:
    return sorted(_actions.values(), key=lambda action: (action.order, action.name))
