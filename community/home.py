"""The home page's sections, filled by the content apps (the core imports none of them).

An app registers a section in its ready(): a template to include and a function giving its data
for the viewer (one or two queries: the home page's query count is the sum of its sections').

    home.register_section("forums.latest", template="forums/includes/home_latest.html",
                          data=lambda request: {"topics": latest_activity(request.user, limit=8)}, order=20)

A section goes in one of three places: "main" (the default: the cards in columns under the welcome),
"lead" (full width, between the welcome and the columns: the community managers' featured picks) or
"top" (above everything: banners such as the community managers' announcements).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    data: Callable[[object], dict]
    order: int = 100
    place: str = "main"


@dataclass(frozen=True)
class Shown:
    """A section as the page renders it: `{% include shown.template with data=shown.data %}`."""

    name: str
    template: str
    data: dict
    place: str = "main"


PLACES = ("top", "lead", "main")


_sections: dict[str, Section] = {}


def register_section(name: str, *, template: str, data: Callable[[object], dict], order: int = 100,
                     place: str = "main") -> Section:
    if place not in PLACES:
        raise ValueError(f"A home section goes in one of {PLACES}, not {place!r}")
    section = Section(name=name, template=template, data=data, order=order, place=place)
    _sections[name] = section
    return section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def sections_for(request) -> list[Shown]:
    return [Shown(name=section.name, template=section.template, data=section.data(request), place=section.place)
            for section in sections()]
