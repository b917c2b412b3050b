"""What every registry of the spine does with a name nobody registered.

A content kind, an event kind or a notification kind that was never registered is a programming
error (a typo, an app that forgot to register): in tests and with DEBUG it raises at once, in
production it is logged loudly (ERROR) and the caller carries on as best it can, so that one
forgotten registration never takes the site down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings

log = logging.getLogger("tribune.registries")


class NotRegistered(LookupError):
    """A name that no registry knows (raised in tests and DEBUG only)."""


def unknown(message: str) -> None:
    if settings.DEBUG or getattr(settings, "TESTING", False):
        raise NotRegistered(message)
    log.error("%s — register it in the owning app's ready()", message)


# community.content hands over its name check at import time, so that the registries that name a
# content kind (the outbox's events, the notification sources) check it without importing it back.
_content_kind_check: Callable[[str], None] | None = None


def set_content_kind_check(fn: Callable[[str], None]) -> None:
    global _content_kind_check
    _content_kind_check = fn


def check_content_kind(name: str) -> None:
    """An unregistered content kind raises in tests and DEBUG, is logged in production (a no-op
    before community.content is imported)."""
    if _content_kind_check is not None:
        _content_kind_check(name)
