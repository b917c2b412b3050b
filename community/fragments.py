"""Rendered fragments of repeated blocks (a post, a topic row, a forum row) kept in the cache under
a key made of everything they show — for members as for visitors, whom the page cache spares anyway.

A topic page shows 20 posts; rendering each one through the template engine costs more than the
page's queries. But a post's block only changes when what it shows changes, so it is rendered once
and kept under a key that *is* its inputs: `key_of(item)` returns every value the fragment shows
(the post's text, status, counters, its author's name and avatar, the viewer's relation to it —
liked, may edit, may moderate …). Nothing has to be invalidated: an edit, a like, a rename makes a
new key, and the old entry ages out (TTL). What no key can see — how all member text is shown (a
watched word censored at display time) and the role badges — bumps the page cache's `DISPLAY`
generation, which is part of every key, as are the language and the time zone.

Per-viewer parts are fragments of their own, keyed by the viewer's relation to the item (not by
the viewer), so members with the same relation share them. A form in a fragment carries the
viewer's CSRF token: it is rendered with a placeholder and the real token is put in after the
cache, only into fragments whose template declares forms (`csrf=True`) — fragments that show member
text never do, so no text can smuggle the placeholder in.

One `get_many` per page for all its fragments (`render_parts`; plus the `DISPLAY` generation: a
`get`, once per request), and one `set_many` for the misses — after a first level in the process
(the most recently used fragments, bounded: `LOCAL_MAX`), which the shared cache is asked only for
what it lacks. A cache outage degrades to rendering (django-redis ignores the errors: `get_many`
answers nothing).
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from . import pagecache

TTL = 24 * 3600  # seconds: entries are never stale (content-addressed), the TTL only frees memory
CSRF_SLOT = "csrf-slot-0f3a9c"  # what a fragment's {% csrf_token %} holds until the real token goes in
VERSION = 1  # bump when what a fragment shows changes in a way neither its key nor its templates' sources show


def _template(name: str):
    """The compiled template and a digest of its source (a deploy that changes it changes the keys);
    kept for the process's life, except under DEBUG where templates change while it runs."""
    return _load(name) if settings.DEBUG else _kept(name)


def _load(name: str):
    template = get_template(name).template
    return template, hashlib.blake2b(template.source.encode(), digest_size=6).hexdigest()


_kept = functools.cache(_load)


def _prefix(request) -> str:
    """What every key of this request starts with: the language, the time zone and the `DISPLAY`
    generation (read once per request)."""
    where = (get_language(), get_current_timezone_name())
    memo = getattr(request, "_fragment_prefixes", None)
    if memo is None:
        memo = {}
        try:
            request._fragment_prefixes = memo
        except AttributeError:
            pass
    if where not in memo:
        display = getattr(request, "_display_generation", None)  # read with the member's row
        if display is None:
            display = pagecache.generations([])[0]
        memo[where] = f"frag:{VERSION}:{where[0]}:{where[1]}:{display}:"
    return memo[where]


@dataclass
class Part:
    """One template rendered for many items of a page. `key_of(item)` must return a tuple of plain
    values (str, int, bool, None, dates, tuples of those): everything the fragment shows. `context`
    is what every item's fragment may read besides the item (URL prefixes, the viewer's flags): it
    must hold nothing the keys do not show. `includes` names the templates it includes, whose
    sources are part of the key like its own. `csrf`: its forms get the reader's token."""

    template: str
    items: list
    key_of: Callable
    context: dict = field(default_factory=dict)
    name: str = "item"
    csrf: bool = False
    includes: tuple[str, ...] = ()


def render_parts(request, parts: list[Part]) -> list[list[SafeString]]:
    """The fragments of every part, in order: one `get_many` for all of them, one `set_many` for
    the misses."""
    prefix = _prefix(request)
    planned, wanted = [], []
    for part in parts:
        items = list(part.items)
        template, digest = _template(part.template)
        digest += "".join(_template(included)[1] for included in part.includes)
        start = f"{prefix}{part.template}:{digest}:"
        keys = [start + hashlib.blake2b(repr(part.key_of(item)).encode(), digest_size=16).hexdigest()
                for item in items]
        planned.append((part, template, items, keys))
        wanted.extend(keys)
    found = _local_get(wanted)
    if len(found) < len(wanted):
        fetched = cache.get_many([key for key in wanted if key not in found])
        _local_put(fetched)
        found.update(fetched)
    missing, results = {}, []
    for part, template, items, keys in planned:
        out, context = [], None
        for key, item in zip(keys, items, strict=True):
            html = found.get(key)
            if html is None:
                if context is None:
                    context = Context({**part.context, "csrf_token": CSRF_SLOT if part.csrf else ""},
                                      autoescape=True)
                with context.push({part.name: item}):
                    html = template.render(context)
                missing[key] = str(html)
            out.append(html)
        if part.csrf and any(CSRF_SLOT in html for html in out):  # a visitor's fragments hold no form:
            token = get_token(request)                             # no token, no CSRF cookie for them
            out = [html.replace(CSRF_SLOT, token) for html in out]
        results.append([mark_safe(html) for html in out])
    if missing:
        cache.set_many(missing, TTL)
        _local_put(missing)
    return results


# The first level: this process's most recently used fragments. A key *is* what the fragment shows
# (with the DISPLAY generation, read from the shared cache every request), so a local copy is as
# right as the shared one, and a page whose fragments are all here asks the shared cache for none.
# Copies live LOCAL_TTL seconds at most: should the DISPLAY counter vanish from the shared cache
# (evicted, flushed) and count up again to a value it had, an old copy outlives it by that much.
LOCAL_MAX = 4000  # fragments
LOCAL_MAX_BYTES = 16 * 1024 * 1024  # and characters of HTML in all (a post's text may be 64 kB)
LOCAL_TTL = 60.0
_local: OrderedDict[str, tuple[float, str]] = OrderedDict()
_local_size = 0
_local_lock = threading.Lock()


def _local_get(keys: list[str]) -> dict[str, str]:
    global _local_size
    found, now = {}, time.monotonic()
    with _local_lock:
        for key in keys:
            kept = _local.get(key)
            if kept is not None:
                if kept[0] < now:
                    del _local[key]
                    _local_size -= len(kept[1])
                    continue
                _local.move_to_end(key)
                found[key] = kept[1]
    return found


def _local_put(fragments: dict[str, str]) -> None:
    global _local_size
    expires = time.monotonic() + LOCAL_TTL
    with _local_lock:
        for key, html in fragments.items():
            if len(html) > LOCAL_MAX_BYTES // 64:
                continue  # a very long post stays in the shared cache only
            old = _local.pop(key, None)
            if old is not None:
                _local_size -= len(old[1])
            _local[key] = (expires, html)
            _local_size += len(html)
        while _local and (len(_local) > LOCAL_MAX or _local_size > LOCAL_MAX_BYTES):
            _key, (_expires, html) = _local.popitem(last=False)
            _local_size -= len(html)


def clear_local() -> None:
    """Forget this process's copies (tests, after clearing the shared cache)."""
    global _local_size
    with _local_lock:
        _local.clear()
        _local_size = 0


class Renderer:
    """`render_parts` for one part at a time, with a context shared by the parts of a page."""

    def __init__(self, request, context: dict):
        self.request = request
        self.context = context

    def render(self, template_name: str, items: Iterable, *, key_of: Callable, name: str = "item",
               csrf: bool = False, includes: tuple[str, ...] = ()) -> list[SafeString]:
        return render_parts(self.request, [Part(template_name, list(items), key_of, self.context, name, csrf,
                                                includes)])[0]
