"""A page cache for anonymous visitors, invalidated by writes through generation counters.

A cached page is stored under its URL, language and the current values of a few generation
counters (e.g. the forum's and the topic's). Services bump the counters *after commit*
(`bump_after_commit`), so the next visitor's key changes and the page is rendered afresh: a new
post is visible at once, and nothing is ever deleted by pattern. A reader that rendered old data
before the commit stored it under the old generation, which nobody asks for any more.

Only requests that cannot be personal are served from the cache: GET or HEAD, no session cookie
(so surely anonymous, and no flash messages), no messages cookie. Everything else goes straight
to the view.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

log = logging.getLogger(__name__)

PAGE_TTL = 300  # seconds: a bound on staleness for what no counter tracks (a renamed author)
GENERATION_TTL = 7 * 24 * 3600


def _gen_key(name: str) -> str:
    return f"gen:{name}"


# Every cached page depends on this one too: what changes how all member text is shown (a censored
# watched word) bumps it with `bump_after_commit([DISPLAY])`.
DISPLAY = "site:display"


def generation_key(name: str) -> str:
    """The cache key of a generation counter (for a caller that reads it in its own round trip)."""
    return _gen_key(name)


def generations(names: Iterable[str]) -> list:
    names = [DISPLAY, *names]
    values = cache.get_many([_gen_key(name) for name in names])
    return [values.get(_gen_key(name), 0) for name in names]


# One round trip for all the counters a write bumps (a reply bumps three): each goes up by one, or
# starts at 1 when missing (any new value differs from "missing"), with the generations' TTL.
_BUMP_SCRIPT = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('INCRBY', key, 1)
  else redis.call('SET', key, 1, 'EX', ARGV[1]) end
end
return #KEYS
"""


def bump(names: Iterable[str]) -> None:
    """Never raises: it runs after commit, where an error would turn a saved post into a 500.
    If the cache is unreachable, cached pages age out within PAGE_TTL."""
    names = list(names)
    get_client = getattr(getattr(cache, "client", None), "get_client", None)  # django-redis
    if get_client is not None and names:
        keys = [cache.make_and_validate_key(_gen_key(name)) for name in names]
        try:
            get_client(write=True).eval(_BUMP_SCRIPT, len(keys), *keys, GENERATION_TTL)
        except Exception:
            log.warning("could not bump page generations %s", names, exc_info=True)
        return
    for name in names:
        key = _gen_key(name)
        try:
            try:
                cache.incr(key)
            except ValueError:  # not there yet (or evicted): any new value differs from "missing"
                cache.set(key, 1, GENERATION_TTL)
        except Exception:
            log.warning("could not bump page generation %s", name, exc_info=True)


def bump_after_commit(names: Iterable[str]) -> None:
    names = list(names)
    transaction.on_commit(lambda: bump(names))


def is_cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not getattr(request, "htmx", False)
    )


def cache_anonymous_page(depends_on: Callable[..., list[str]], params: tuple[str, ...] = ("page",)):
    """Decorate a view whose anonymous rendering depends only on the path, the query parameters
    named in `params`, the language and the generation counters `depends_on(**view_kwargs)`.
    Other query parameters are not part of the key (they cannot multiply cache entries)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not getattr(settings, "PAGE_CACHE_ENABLED", True) or not is_cacheable_request(request):
                return view(request, *args, **kwargs)
            names = depends_on(**kwargs)
            gens = generations(names)
            query = "&".join(f"{name}={request.GET.get(name, '')}" for name in params)
            raw = f"{request.path}?{query}|{get_language()}|{gens}"
            key = "page:" + hashlib.sha1(raw.encode()).hexdigest()
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming and not response.cookies:
                    cache.set(key, (response.content, response["Content-Type"]), PAGE_TTL)
                    response["X-Page-Cache"] = "miss"
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            return response

        return wrapper

    return decorator
