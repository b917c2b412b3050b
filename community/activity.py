"""A member's activity on their public profile: streams that the content apps register (the core
imports none of them).

An app registers a stream in its ready() (forums/activity.py, blogs/activity.py, later the wiki):

    activity.register_activity(
        "forums.topics", label=_("Topics"), empty=_("No topics yet."), order=10,
        items=lambda viewer, member: Topic.objects.filter(author=member, …),  # what VIEWER may read
        template="forums/includes/activity_topics.html")

`items(viewer, member)` returns a queryset (or a list) of what `viewer` may read of `member`'s
activity, newest first, with its joins in place: the stream applies the one visibility rule
(`community.permissions`) and its place's read access itself — the profile shows what it is given.
The profile shows one tab per stream and the items of the open one (`?tab=<name>&page=N`),
paginated by PER_PAGE: a count and a page, plus what `items` costs to build (keep it fixed: the
profile's query count is the member's plus the open stream's). The template gets `items` (the
page's objects), `member` and `viewer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator

PER_PAGE = 15


@dataclass(frozen=True)
class Stream:
    name: str
    label: str
    items: Callable[[object, object], object]
    template: str
    empty: str = ""
    order: int = 100


_streams: dict[str, Stream] = {}


def register_activity(name: str, *, label, items: Callable[[object, object], object], template: str,
                      empty="", order: int = 100) -> Stream:
    stream = Stream(name=name, label=label, items=items, template=template, empty=empty, order=order)
    _streams[name] = stream
    return stream


def streams() -> list[Stream]:
    return sorted(_streams.values(), key=lambda stream: (stream.order, stream.name))


def stream(name: str) -> Stream | None:
    """The stream called `name`, or None (a tab name comes from the address: bad input, not a
    programming error — the profile answers 404)."""
    return _streams.get(name)


@dataclass(frozen=True)
class Shown:
    """The open tab as the profile renders it."""

    stream: Stream
    page: object  # a Paginator page


def page_of(stream: Stream, viewer, member, number) -> Shown:
    """The open stream's page `number`: a number that is not one gives the first page, one past
    the end the last (Paginator.get_page), never an error."""
    paginator = Paginator(stream.items(viewer, member), PER_PAGE)
    return Shown(stream=stream, page=paginator.get_page(number))
