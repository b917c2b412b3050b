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

One `get_many` per page (plus the `DISPLAY` generation: a `get`), and one `set_many` for the
misses. A cache outage degrades to rendering (django-redis ignores the errors: `get_many` answers
nothing).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable

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


class Renderer:
    """Renders one template for many items of a page, through the cache.

    `context` is what every item's fragment may read besides the item (URL prefixes, the topic, the
    viewer's flags); it must not hold anything the keys do not show."""

    def __init__(self, request, context: dict):
        self.request = request
        self.context = context
        self._prefix = None

    def prefix(self) -> str:
        if self._prefix is None:
            display = pagecache.generations([])[0]
            self._prefix = f"frag:{VERSION}:{get_language()}:{get_current_timezone_name()}:{display}:"
        return self._prefix

    def render(self, template_name: str, items: Iterable, *, key_of: Callable, name: str = "item",
               csrf: bool = False, includes: tuple[str, ...] = ()) -> list[SafeString]:
        """The fragment of each item, in order. `key_of(item)` must return a tuple of plain values
        (str, int, bool, None, dates, tuples of those): everything the fragment shows. `includes`
        names the templates it includes, whose sources are part of the key like its own."""
        items = list(items)
        if not items:
            return []
        template, digest = _template(template_name)
        digest += "".join(_template(included)[1] for included in includes)
        prefix = f"{self.prefix()}{template_name}:{digest}:"
        keys = [prefix + hashlib.blake2b(repr(key_of(item)).encode(), digest_size=16).hexdigest()
                for item in items]
        found = cache.get_many(keys)
        missing = {}
        out = []
        context = None
        for key, item in zip(keys, items, strict=True):
            html = found.get(key)
            if html is None:
                if context is None:
                    context = Context({**self.context, "csrf_token": CSRF_SLOT if csrf else ""}, autoescape=True)
                with context.push({name: item}):
                    html = template.render(context)
                missing[key] = str(html)
            out.append(html)
        if missing:
            cache.set_many(missing, TTL)
        if csrf and any(CSRF_SLOT in html for html in out):  # a visitor's fragments hold no form:
            token = get_token(self.request)                   # no token, no CSRF cookie for them
            out = [html.replace(CSRF_SLOT, token) for html in out]
        return [mark_safe(html) for html in out]
