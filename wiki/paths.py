"""Page paths: "guides/getting-started/" (each segment a slug, a trailing slash; "" is the root).

Slugs are ASCII (`[a-z0-9]` words joined by single hyphens) so that a path is one spelling of one
page; a title that slugifies to nothing gets "page" (numbered "page-2", … when taken at creation). A segment never starts with "_": the page
actions live there (`…/_edit/`, `…/_history/`) and so do the wiki's special pages (`/wiki/_recent/`).
"""

from __future__ import annotations

import re

from django.utils.text import slugify

SLUG_MAX = 80
DEPTH_MAX = 12
SEGMENT = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# A path inside a URL pattern (possibly empty: the root). Loose on purpose (one level of groups):
# lookups compare with stored paths, which are valid (`is_valid_path`).
PATH_PATTERN = r"(?P<path>(?:[a-z0-9-]+/)*)"
_SEGMENT_RE = re.compile(rf"^{SEGMENT}$")


FALLBACK_SLUG = "page"


def slugify_title(title: str) -> str:
    """The title as an ASCII slug (Django's slugify folds accents with NFKD: "Café" → "cafe"); "" when
    nothing is left ("שלום", "!!!")."""
    slug = slugify(title or "")[:SLUG_MAX].strip("-_").replace("_", "-")
    return re.sub(r"-{2,}", "-", slug)


def slug_for(title: str) -> str:
    """The slug of a title, "page" when nothing is left of it (page creation then numbers it:
    "page-2", "page-3"…, editing._free_slug)."""
    return slugify_title(title) or FALLBACK_SLUG


def depth(path: str) -> int:
    """How many segments a path has (0 for the root)."""
    return len(path[:-1].split("/")) if path else 0


def is_valid_path(path: str) -> bool:
    if path == "":
        return True
    if not path.endswith("/"):
        return False
    segments = path[:-1].split("/")
    return len(segments) <= DEPTH_MAX and all(_SEGMENT_RE.match(s) and len(s) <= SLUG_MAX for s in segments)


def normalize(text: str) -> str | None:
    """A path as a member may type it ("Guides/Getting started", "/wiki/guides/x") → "guides/getting-started/",
    or None when nothing is left of it."""
    text = (text or "").strip()
    if text.startswith("/wiki/"):
        text = text[len("/wiki/"):]
    segments = [slug_for(part) for part in text.strip("/").split("/") if part.strip()]
    if not segments:
        return None
    return "/".join(segments[:DEPTH_MAX]) + "/"


def parent_path(path: str) -> str | None:
    """The parent's path ("" for a top-level page), None for the root."""
    if path == "":
        return None
    head, _sep, _last = path[:-1].rpartition("/")
    return f"{head}/" if head else ""


def ancestor_paths(path: str) -> list[str]:
    """The paths above `path`, root first ("" , "guides/", ...), without `path` itself."""
    out, current = [], parent_path(path)
    while current is not None:
        out.append(current)
        current = parent_path(current)
    return out[::-1]


def join(parent: str, slug: str) -> str:
    return f"{parent}{slug}/"
