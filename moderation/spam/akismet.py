"""Akismet (akismet.com), used only when settings.AKISMET_API_KEY is set.

The HTTP call goes through a *transport*, `transport(url, data) -> str` (the response body), so
tests replace it with a fake one (there is no network here). Akismet answers "true" (spam) or
"false" (ham); anything else, or a network failure, makes the checker abstain with a reason code
rather than fail the whole check: Tribune's own checkers still decide.
"""

from __future__ import annotations

import logging
import urllib.parse
import urllib.request

from django.conf import settings

from . import ABSTAIN, Contribution, Sample, threshold
from .conf import setting

log = logging.getLogger(__name__)

COMMENT_TYPES = {"forums.post": "forum-post", "community.profile": "signup"}


def urllib_transport(url: str, data: dict) -> str:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers={
        "User-Agent": "Tribune/0.1 | spam-check", "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=setting("AKISMET_TIMEOUT")) as response:  # noqa: S310
        return response.read(200).decode("utf-8", "replace")


class AkismetChecker:
    name = "akismet"

    def __init__(self, transport=None, api_key: str | None = None):
        self.transport = transport
        self.api_key = api_key

    def check(self, sample: Sample) -> Contribution:
        key = self.api_key if self.api_key is not None else setting("AKISMET_API_KEY")
        if not key:
            return ABSTAIN
        author = sample.author
        data = {
            "blog": settings.SITE_URL,
            "user_ip": "",  # Tribune does not keep members' IP addresses
            "comment_type": COMMENT_TYPES.get(sample.kind, "comment"),
            "comment_author": getattr(author, "username", "") or "",
            "comment_author_email": getattr(author, "email", "") or "",
            "comment_content": sample.text,
            "comment_date_gmt": sample.at.isoformat(),
            "blog_lang": "en, fr",
            "blog_charset": "UTF-8",
        }
        try:
            transport = self.transport or urllib_transport  # looked up late: tests replace it
            answer = transport(f"https://{key}.rest.akismet.com/1.1/comment-check", data).strip().lower()
        except Exception:  # network down, timeout: Tribune's own checkers still decide
            log.warning("Akismet unavailable", exc_info=True)
            return Contribution(0.0, ("akismet:unavailable",))
        if answer == "true":
            return Contribution(threshold(), ("akismet:spam",))
        if answer == "false":
            return Contribution(-1.0, ("akismet:ham",))
        return Contribution(0.0, ("akismet:invalid-answer",))
