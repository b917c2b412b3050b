"""A page's history, its old revisions, diffs and reverts; recent changes across the wiki, their
feed; a member's contributions.

Every URL carrying a page path goes through `@page_view` (read permission, deleted pages,
redirects); every revision shown is checked with the one text rule (`may_read_text`) on every
request — a cached diff caches the HTML, never the permission.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from community import selectors as community_selectors
from community.decorators import require_safe_or_post
from community.models import Visibility
from community.permissions import (
    can,
    check_can_edit_page,
    check_can_read_text,
    check_can_view_profile,
    may_manage_wiki,
    may_read_text,
)

from .. import changes, diffing
from ..feeds import RecentChangesFeed
from ..history_rows import history_rows
from ..models import Revision
from ..selectors import breadcrumbs_for, page_view
from ..services import history as history_service
from ..services.editing import NoChange

DIFF_CACHE_SECONDS = 7 * 24 * 3600
DIFF_CACHE_VERSION = 1


def _header(request, page, tab="history") -> dict:
    return {"page": page, "tab": tab, "breadcrumbs": breadcrumbs_for(page, request.user),
            "may_edit": can(check_can_edit_page, request.user, read_level_needed=page.read_level,
                            edit_level=page.edit_level, deleted=page.is_deleted),
            "is_wiki_manager": may_manage_wiki(request.user)}


@require_safe
@page_view
def history(request, page):
    paginator = changes.CountedPaginator(changes.page_history(page), changes.PER_PAGE, count=page.revision_count)
    try:
        shown = paginator.page(changes.url_number(request.GET.get("page"), default=1,
                                                  message="No such page of the history."))
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of the history.") from None
    rows = changes.row_facts(request.user, list(shown.object_list), page=page)
    readable = [row.number for row in rows if row.readable]
    header = _header(request, page)
    compare_to = readable[0] if readable else None
    compare_from = readable[1] if len(readable) > 1 else None
    return render(request, "wiki/history.html", {
        **header, "shown": shown, "rows": rows, "compare_to": compare_to, "compare_from": compare_from,
        "row_html": history_rows(rows, page=page, compare_from=compare_from, compare_to=compare_to,
                                 may_edit=header["may_edit"], is_wiki_manager=header["is_wiki_manager"],
                                 viewer=request.user),
    })


def _revision_or_404(page, number):
    revision = get_object_or_404(page.revisions.select_related("author"), number=_number(number, None))
    revision.page = page
    return revision


@require_safe
@page_view
def revision(request, page, number):
    revision = _revision_or_404(page, number)
    readable = may_read_text(request.user, revision)
    if not readable and revision.status == Visibility.REMOVED:
        raise Http404("No such revision.")
    return render(request, "wiki/revision.html", {
        **_header(request, page), "revision": revision, "readable": readable,
        "current": page.current_revision,
        "previous_number": revision.number - 1 if revision.number > 1 else None,
        "next_number": revision.number + 1 if revision.number < page.last_number else None,
    })


def _number(raw, default):
    """A revision number from the URL (`default` when absent): not a number or out of range, a 404."""
    return changes.url_number(raw, default=default, message="No such revision.")


def diff_between(actor, page, old_number, new_number, mode) -> tuple:
    """(old revision or None, new revision, the diff) — both revisions of `page` and readable by
    `actor` (else Http404), the diff from the cache or computed once. `old_number` 0: the empty text."""
    wanted = {n for n in (old_number, new_number) if n}
    found = {revision.number: revision for revision in
             page.revisions.filter(number__in=wanted).select_related("author").defer(*changes.TEXT_FIELDS)}
    if set(found) != wanted or not new_number:
        raise Http404("No such revision.")
    for revision in found.values():
        revision.page = page
        check_can_read_text(actor, revision)
    old, new = found.get(old_number), found[new_number]
    key = f"wiki:diff:{DIFF_CACHE_VERSION}:{old.pk if old else 0}:{new.pk}:{mode}"
    rendered = cache.get(key)
    if rendered is None:
        bodies = dict(Revision.objects.filter(pk__in=[r.pk for r in found.values()]).values_list("pk", "body"))
        rendered = diffing.render_diff(bodies.get(old.pk, "") if old else "", bodies[new.pk], mode=mode)
        cache.set(key, rendered, DIFF_CACHE_SECONDS)
    return old, new, rendered


@require_safe
@page_view
def diff(request, page):
    current = page.current_revision.number if page.current_revision_id else page.last_number
    new_number = _number(request.GET.get("to"), current)
    raw_from = request.GET.get("from")
    old_number = _number(raw_from, new_number - 1)
    if raw_from not in (None, "") and old_number < 1:
        raise Http404("No such revision.")
    mode = request.GET.get("view") if request.GET.get("view") in diffing.MODES else "inline"
    old, new, rendered = diff_between(request.user, page, old_number, new_number, mode)
    return render(request, "wiki/diff.html", {
        **_header(request, page), "old": old, "new": new, "diff": rendered, "mode": mode,
        "other_mode": "side" if mode == "inline" else "inline",
    })


@require_safe_or_post
@page_view
def revert(request, page, number):
    target = _revision_or_404(page, number)
    check_can_read_text(request.user, target)
    check_can_edit_page(request.user, read_level_needed=page.read_level, edit_level=page.edit_level,
                        deleted=page.is_deleted)
    status, error = 200, None
    if request.method == "POST":
        try:
            history_service.revert(actor=request.user, page=page, number=target.number)
        except Revision.DoesNotExist:
            raise Http404("No such revision.") from None
        except NoChange:
            messages.info(request, _("Revision %(number)s is already the current text: nothing was saved.")
                          % {"number": target.number})
            return redirect("wiki:history", page.path)
        except ValidationError as refused:
            status, error = 400, " ".join(refused.messages)
        else:
            messages.success(request, _("The page was reverted to revision %(number)s.") % {"number": target.number})
            return redirect(page.get_absolute_url())
    current_number = page.current_revision.number if page.current_revision_id else page.last_number
    old, new, rendered = diff_between(request.user, page, current_number, target.number, "inline")
    return render(request, "wiki/revert.html", {
        **_header(request, page), "target": target, "current_number": current_number, "diff": rendered,
        "same": current_number == target.number or (rendered["added"] == 0 and rendered["removed"] == 0),
        "error": error,
    }, status=status)


@require_safe
def recent(request):
    filters = changes.Filters.from_query(request.GET)
    shown = changes.cut(changes.recent_changes(request.user, filters), request.GET.get("page"))
    is_manager = may_manage_wiki(request.user)
    return render(request, "wiki/recent.html", {
        "filters": filters, "query": filters.as_query(), "shown": shown, "is_wiki_manager": is_manager,
        "rows": changes.row_facts(request.user, shown.rows),
        "feed_url": reverse("wiki:recent_feed") + (f"?{filters.as_query()}" if filters.as_query() else ""),
    })


@require_safe
def contributions(request, username):
    member = community_selectors.member_by_username(username)
    if member is None:
        raise Http404(_("No member with that name."))
    try:
        check_can_view_profile(request.user, member)
    except PermissionDenied:
        raise Http404(_("No member with that name.")) from None
    shown = changes.cut(changes.contributions_for(request.user, member), request.GET.get("page"))
    return render(request, "wiki/contributions.html", {
        "member": member, "shown": shown, "rows": changes.row_facts(request.user, shown.rows),
        "is_wiki_manager": may_manage_wiki(request.user),
    })


recent_feed = require_safe(RecentChangesFeed())
