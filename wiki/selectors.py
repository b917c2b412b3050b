"""Finding a page from a URL — the one place every wiki URL goes through (read permission, deleted
pages, redirects from moved pages).

`@page_view` turns the URL's `path` into `page`: a page the viewer may not read is a 404 (its
existence is not told); an old path of a moved page redirects (GET) to the same action at the new
path; a deleted page is shown only to community managers.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect

from community.permissions import check_can_read_page

from .models import Page, Redirect


def find_page(path: str) -> Page | None:
    """The page at `path` with its current revision's facts and author (not its text: the page row
    carries the rendered HTML; `current_revision.body` costs a query where it is needed)."""
    return (Page.objects.filter(path=path).select_related("current_revision__author")
            .defer("current_revision__body", "current_revision__body_html", "current_revision__added_text",
                   "current_revision__toc").first())


def readable_page(actor, path: str) -> Page:
    """The page at `path` if `actor` may read it, else Http404."""
    page = find_page(path)
    if page is None:
        raise Http404("No such wiki page.")
    check_can_read_page(actor, read_level_needed=page.read_level, deleted=page.is_deleted)
    return page


def check_readable(actor, page: Page) -> None:
    check_can_read_page(actor, read_level_needed=page.read_level, deleted=page.is_deleted)


def page_view(view=None, *, missing=None):
    """Decorate a view taking `(request, page, **kwargs)`. `missing(request, path)` answers when no page
    lives at the path (the page view offers to create it); by default a 404."""

    def decorate(fn):
        @wraps(fn)
        def wrapper(request, path="", **kwargs):
            page = find_page(path)
            if page is None:
                moved = Redirect.objects.filter(old_path=path).select_related("page").first()
                if moved is not None and request.method in ("GET", "HEAD"):
                    check_readable(request.user, moved.page)
                    target = request.path.replace(f"/wiki/{path}", f"/wiki/{moved.page.path}", 1)
                    query = request.META.get("QUERY_STRING")
                    return redirect(f"{target}?{query}" if query else target)
                if missing is not None:
                    return missing(request, path)
                raise Http404("No such wiki page.")
            check_readable(request.user, page)
            return fn(request, page, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def breadcrumbs_for(page: Page, actor=None) -> list[Page]:
    """The pages above `page`, top first, the root left out (the header's "Wiki" link is the root):
    one query by path prefixes (none for the root and top-level pages). Given `actor`, only the
    ancestors they may read (a title they may not read is not told)."""
    from community.permissions import readable_pages_filter

    from .paths import ancestor_paths

    wanted = [path for path in ancestor_paths(page.path) if path]
    if not wanted:
        return []
    found = Page.objects.filter(path__in=wanted).only("pk", "path", "title", "read_level", "is_deleted")
    if actor is not None:
        found = found.filter(readable_pages_filter(actor))
    return sorted(found, key=lambda crumb: len(crumb.path))
