"""The wiki's pages: read a page (or offer to create a missing one), create, edit (with preview, the
three-way merge and the conflict screen), what links here, wanted pages."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from community.decorators import member_required, require_safe_or_post
from community.models import Visibility
from community.permissions import (
    can,
    check_can_create_page,
    check_can_edit_page,
    may_manage_wiki,
    may_view_content,
    readable_pages_filter,
)

from .. import paths, rendering
from ..forms import EditPageForm, NewPageForm
from ..models import Link, Page, Revision
from ..selectors import breadcrumbs_for, check_readable, find_page, page_view
from ..services import editing, watching

CHILDREN_SHOWN = 50
PER_PAGE = 50
DIFF_LINES_MAX = 2000


# --- reads ----------------------------------------------------------------------------------------


def shown_revision(user, page: Page) -> Revision:
    """What the viewer sees of `page`: its current revision; while its only revisions are held, the
    newest one to its author and community managers (Http404 to everyone else)."""
    if page.current_revision_id:
        return page.current_revision
    newest = page.revisions.select_related("author").order_by("-number").first()
    if newest is None or newest.status != Visibility.PENDING or not may_view_content(
            user, author_id=newest.author_id, status=newest.status, moderates=lambda: may_manage_wiki(user)):
        raise Http404(_("No such wiki page."))
    return newest


def _shown_pages(user):
    query = Page.objects.filter(readable_pages_filter(user))
    return query if may_manage_wiki(user) else query.exclude(current_revision=None)


def children(user, page: Page) -> list[Page]:
    return list(_shown_pages(user).filter(parent=page).only("title", "path").order_by("title", "pk")
                [:CHILDREN_SHOWN + 1])


def body_for(user, page: Page, revision: Revision) -> str:
    """The stored HTML with its links to pages `user` may not open turned red — missing, deleted or
    restricted pages look alike, so a link never tells that a hidden page exists (one query)."""
    if revision.pk == page.current_revision_id:
        html = page.body_html
        if "wikilink" not in html:
            return html
        hidden = Q(target__isnull=True) | ~readable_pages_filter(user, prefix="target__")
        missing = Link.objects.filter(hidden, source=page).values_list("target_path", flat=True)
    else:  # a held first revision: its links are not recorded yet
        html = revision.body_html
        linked = rendering.link_paths(html)
        missing = set(linked) - set(Page.objects.filter(readable_pages_filter(user), path__in=linked,
                                                        is_deleted=False).values_list("path", flat=True)) if linked else ()
    return rendering.red_links(html, list(missing)) if "wikilink" in html else html


# --- the page -------------------------------------------------------------------------------------


def _missing(request, path):
    """No page at `path`: the wiki's empty state for the root, else a 404 that offers to create it."""
    if path == "":
        may_start = can(check_can_edit_page, request.user, read_level_needed=0, edit_level=3, deleted=False)
        return render(request, "wiki/index.html", {"may_start": may_start})
    above = paths.parent_path(path)
    parent = find_page(above)
    may_create = False
    if parent is not None:
        check_readable(request.user, parent)
        may_create = can(check_can_create_page, request.user, parent_read_level=parent.read_level,
                         parent_edit_level=parent.edit_level, parent_deleted=parent.is_deleted)
    return render(request, "wiki/page_missing.html", {
        "path": path, "parent": parent, "parent_path": above, "may_create": may_create,
        "title": _title_from_path(path),
    }, status=404)


@require_safe
@page_view(missing=_missing)
def page(request, page):
    revision = shown_revision(request.user, page)
    kids = children(request.user, page)
    return render(request, "wiki/page.html", {
        "page": page, "tab": "read", "breadcrumbs": breadcrumbs_for(page, request.user),
        "revision": revision, "held": revision.pk != page.current_revision_id,
        "title": revision.title, "body_html": body_for(request.user, page, revision),
        "toc": page.toc if revision.pk == page.current_revision_id else revision.toc,
        "children": kids[:CHILDREN_SHOWN], "more_children": len(kids) > CHILDREN_SHOWN,
        "may_edit": can(check_can_edit_page, request.user, read_level_needed=page.read_level,
                        edit_level=page.edit_level, deleted=page.is_deleted),
        "watch": watching.watch_of(request.user, page), "manages": may_manage_wiki(request.user),
    })


# --- create ---------------------------------------------------------------------------------------


def _title_from_path(path: str) -> str:
    last = path.rstrip("/").rpartition("/")[2]
    return last.replace("-", " ").capitalize()


class _BadTarget(Exception):
    pass


def _new_target(request):
    """(parent, fixed slug or None, initial title) from ?path= or ?parent=&title=; None parent: the root."""
    if "path" in request.GET:
        path = request.GET["path"]
        if not paths.is_valid_path(path):
            raise _BadTarget(_("“%(path)s” is not a valid wiki address: lower-case letters, digits and hyphens, "
                               "separated by slashes, ending with a slash.") % {"path": path[:200]})
        if path == "":
            return None, None, ""
        parent = _existing_parent(request, paths.parent_path(path))
        return parent, path.rstrip("/").rpartition("/")[2], request.GET.get("title", "")[:200] or _title_from_path(path)
    if "parent" in request.GET:
        parent_path = request.GET["parent"]
        if not paths.is_valid_path(parent_path):
            raise _BadTarget(_("“%(path)s” is not a valid wiki address.") % {"path": parent_path[:200]})
        return _existing_parent(request, parent_path), None, request.GET.get("title", "")[:200]
    root = find_page("")
    if root is not None:
        check_readable(request.user, root)
    return root, None, request.GET.get("title", "")[:200]


def _existing_parent(request, parent_path: str) -> Page:
    parent = find_page(parent_path)
    if parent is None:
        raise _BadTarget(_("The page above it, /wiki/%(path)s, does not exist yet: create it first.")
                         % {"path": parent_path})
    check_readable(request.user, parent)
    return parent


def _check_create(user, parent):
    if parent is None:
        check_can_edit_page(user, read_level_needed=0, edit_level=3, deleted=False)
    else:
        check_can_create_page(user, parent_read_level=parent.read_level, parent_edit_level=parent.edit_level,
                              parent_deleted=parent.is_deleted)


@require_safe_or_post
def new(request):
    path = request.GET.get("path")
    if not request.user.is_authenticated and request.method == "GET" and path and paths.is_valid_path(path):
        return redirect("wiki:page", path)  # a visitor's red link: the missing page ("Log in to create it")
    return _new(request)


@member_required
def _new(request):
    try:
        parent, slug, title = _new_target(request)
    except _BadTarget as exc:
        return render(request, "wiki/new.html", {"problem": str(exc)}, status=400)
    target = paths.join(parent.path, slug) if slug else ("" if parent is None else None)
    existing = find_page(target) if target is not None else None
    if existing is not None and existing.is_deleted:
        # Not a loop back to the 404: say what holds the address (restoring it is a manager's call).
        return render(request, "wiki/new.html", {
            "problem": _("A page at this address was deleted; a community manager can restore it."),
            "deleted_page": existing, "manages": may_manage_wiki(request.user)}, status=409)
    if existing is not None:
        messages.info(request, _("This page exists already."))
        return redirect(existing.get_absolute_url())
    context = {"parent": parent, "target": target, "breadcrumbs": [parent] if parent and parent.path else []}
    status = 200
    if request.method == "POST":
        form = NewPageForm(request.POST)
        status = 400
        try:
            _check_create(request.user, parent)
        except PermissionDenied as exc:
            form.is_valid()
            form.add_error(None, str(exc))
            return render(request, "wiki/new.html", {**context, "form": form}, status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                revision = editing.create_page(actor=request.user, parent=parent, title=data["title"],
                                               body=data["body"], summary=data["summary"], slug=slug)
            except ValidationError as exc:
                form.add_error(None, exc)
                status = getattr(exc, "status", 400)
            else:
                _saved_message(request, revision, _("The page is created."))
                return redirect(revision.page.get_absolute_url())
    else:
        _check_create(request.user, parent)
        form = NewPageForm(initial={"title": title})
    return render(request, "wiki/new.html", {**context, "form": form}, status=status)


def _saved_message(request, revision, text):
    if revision.status != Visibility.PUBLISHED:
        text = _("Your edit is saved and waits for a moderator's review before everyone sees it.")
    merged = getattr(revision, "merged_with", None)
    if merged is not None:
        text = _("Your changes are saved. %(name)s saved the page while you were editing: your edit was merged "
                 "with theirs.") % {"name": merged.author.name}
    messages.success(request, text)


# --- edit -----------------------------------------------------------------------------------------


def _edit_context(request, page, **extra):
    return {"page": page, "tab": "edit", "breadcrumbs": breadcrumbs_for(page, request.user), **extra}


@require_safe_or_post
@member_required
@page_view
def edit(request, page):
    head = shown_revision(request.user, page)
    facts = {"read_level_needed": page.read_level, "edit_level": page.edit_level, "deleted": page.is_deleted}
    if request.method != "POST":
        try:
            check_can_edit_page(request.user, **facts)
        except PermissionDenied as exc:  # "View source": the text, read-only, and why it cannot be edited
            return render(request, "wiki/edit.html", _edit_context(
                request, page, refusal=str(exc), source=head.body), status=403)
        form = EditPageForm(initial={"title": head.title, "body": head.body, "base": head.number})
        return render(request, "wiki/edit.html", _edit_context(request, page, form=form))
    form = EditPageForm(request.POST)
    try:
        check_can_edit_page(request.user, **facts)
    except PermissionDenied as exc:
        form.is_valid()
        form.add_error(None, str(exc))
        return render(request, "wiki/edit.html", _edit_context(request, page, form=form), status=403)
    if not form.is_valid():
        return render(request, "wiki/edit.html", _edit_context(request, page, form=form), status=400)
    data = form.cleaned_data
    if "preview" in request.POST:
        return render(request, "wiki/edit.html", _edit_context(request, page, form=form,
                                                               preview=_preview(request.user, data["body"], page)))
    try:
        revision = editing.save_revision(actor=request.user, page=page, body=data["body"], base=data["base"],
                                         title=data["title"], summary=data["summary"], minor=data["minor"])
    except editing.EditConflict as conflict:
        return _conflict(request, page, conflict, minor=data["minor"])
    except ValidationError as exc:  # NoChange, PublishRefused (429 past a limit), too long
        form.add_error(None, exc)
        return render(request, "wiki/edit.html", _edit_context(request, page, form=form),
                      status=getattr(exc, "status", 400))
    _saved_message(request, revision, _("Your changes are saved."))
    return redirect(page.get_absolute_url())


def _preview(user, body: str, page: Page) -> str:
    rendered = rendering.render(body, base_path=page.path, read_level=page.read_level)
    if not rendered.links:
        return rendered.html
    existing = set(Page.objects.filter(readable_pages_filter(user), path__in=rendered.links, is_deleted=False)
                   .values_list("path", flat=True))
    return rendering.red_links(rendered.html, [path for path in rendered.links if path not in existing])


def line_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, line) of a unified line diff: kind "del", "ins", "hunk" or "same" (bounded)."""
    out = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"@": "hunk", "-": "del", "+": "ins"}.get(line[:1], "same")
        out.append((kind, line[1:] if kind != "hunk" else "…"))
        if len(out) >= DIFF_LINES_MAX:
            break
    return out


def _conflict(request, page, conflict: editing.EditConflict, *, minor: bool):
    """The editor's own text back, the current version beside it, the diff; saving again is deliberate."""
    current = conflict.current
    form = EditPageForm(initial={"title": conflict.title, "body": conflict.mine, "summary": conflict.summary,
                                 "minor": minor, "base": current.number if current else 0})
    current_body = current.body if current else ""
    return render(request, "wiki/conflict.html", _edit_context(
        request, page, form=form, current=current, diff=line_diff(current_body, conflict.mine)), status=409)


# --- links ----------------------------------------------------------------------------------------


@require_safe
@page_view
def links_here(request, page):
    shown_revision(request.user, page)
    sources = (_shown_pages(request.user)
               .filter(Q(links_out__target=page) | Q(links_out__target_path=page.path))
               .distinct().only("title", "path").order_by("title", "pk"))
    listing = Paginator(sources, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "wiki/links_here.html", {
        "page": page, "tab": "links", "breadcrumbs": breadcrumbs_for(page, request.user), "listing": listing})


@require_safe
def wanted(request):
    readable = readable_pages_filter(request.user, prefix="source__") & ~Q(source__current_revision=None)
    rows = (Link.objects.filter(readable, target__isnull=True).values("target_path")
            .annotate(count=Count("source", distinct=True)).order_by("-count", "target_path"))
    listing = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for row in listing.object_list:
        row["title"] = _title_from_path(row["target_path"])
    return render(request, "wiki/wanted.html", {"listing": listing})
