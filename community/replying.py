"""Replying where an item lives, and naming that place: what each content app tells lists that
show items of every kind (the brand-watch inbox of the CM workspace) without being imported by them.

A content app registers, in its ready() (forums/replying.py, blogs/replying.py):

    replying.register_reply_form("forums.post", lambda post: reverse("forums:reply", args=[post.topic_id]))
    replying.register_place("forums.post", lambda post: post.topic.title)

- `reply_form_url(kind_name, obj)`: the address of the app's own reply form for that item (a forum
  post: its topic's reply form quoting it; a comment: the reply-to-comment form), or "" when the
  kind has none. The app's view serves it as a whole page, and as a fragment (the form alone) to an
  htmx GET, so that a list opens the composer in place; the form posts to the app's own view, where
  every check runs (permissions, sanctions, watched words, spam).
- `place(kind_name, obj)`: the title of where the item lives (a topic's title, a space post's
  title), from what the kind's `list_related` already loaded: no query. "" when the kind says nothing.
"""

from __future__ import annotations

from collections.abc import Callable

_reply_forms: dict[str, Callable[[object], str]] = {}
_places: dict[str, Callable[[object], str]] = {}


def register_reply_form(kind: str, url_fn: Callable[[object], str]) -> None:
    """`url_fn(obj) -> str`: the app's reply form for an item of content kind `kind` ("" for none)."""
    _reply_forms[kind] = url_fn


def register_place(kind: str, title_fn: Callable[[object], str]) -> None:
    """`title_fn(obj) -> str`: the title of the place an item of `kind` lives in (no query)."""
    _places[kind] = title_fn


def reply_form_url(kind: str, obj) -> str:
    url_fn = _reply_forms.get(kind)
    return (url_fn(obj) or "") if url_fn is not None else ""


def place(kind: str, obj) -> str:
    title_fn = _places.get(kind)
    return (title_fn(obj) or "") if title_fn is not None else ""


def has_reply_form(kind: str) -> bool:
    return kind in _reply_forms
