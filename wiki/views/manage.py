"""Managing a page: watching it, the watchlist, protection, moves, deletions, the log and the
discussion. A view reads the request, calls one service or selector, renders or answers 4xx."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from community.decorators import member_required, require_safe_or_post
from community.permissions import check_can_manage_wiki, may_manage_wiki, may_read_page
from community.permissions.wiki import check_can_delete_page, check_can_move_page, check_can_undelete_page
from community.views import page_or_404

from .. import paths
from ..models import EDIT_LEVELS, READ_LEVELS, Page, PageLog
from ..selectors import breadcrumbs_for, find_page, page_view
from ..services import deleting, discussion, moving, protection, watching
from .manage_forms import DiscussForm, MoveForm, ProtectForm, ReasonForm

WATCHLIST_PER_PAGE = 30
LOG_PER_PAGE = 30


def _context(request, page: Page, tab: str, **extra) -> dict:
    return {"page": page, "tab": tab, "breadcrumbs": breadcrumbs_for(page, request.user), **extra}


# --- Watching -------------------------------------------------------------------------------------------------

@require_POST
@member_required
@page_view
def watch(request, page):
    """Watch (`subtree=1`: with its sub-pages) or stop watching (`action=unwatch`). htmx gets the button back."""
    if request.POST.get("action") == "unwatch":
        watching.unwatch(actor=request.user, page=page)
        found = None
        notice = _("You no longer watch this page.")
    else:
        found = watching.watch(actor=request.user, page=page, subtree=request.POST.get("subtree") == "1")
        notice = (_("You watch this page and its sub-pages.") if found.subtree else _("You watch this page."))
    if request.htmx:
        return render(request, "wiki/includes/watch_button.html", {"page": page, "watch": found, "notice": notice})
    messages.success(request, notice)
    # From the watchlist (a fixed token, never a URL: no open redirect), back to the watchlist.
    return redirect(reverse("wiki:watchlist") if request.POST.get("next") == "watchlist" else page.get_absolute_url())


@require_safe
@member_required
def watchlist(request):
    rows = page_or_404(watching.watchlist(request.user), request.GET.get("page"), WATCHLIST_PER_PAGE)
    return render(request, "wiki/watchlist.html", {"rows": rows})


# --- Protection, moves, deletions -----------------------------------------------------------------------------

@require_safe_or_post
@member_required
@page_view
def protect(request, page):
    check_can_manage_wiki(request.user)
    status = 200
    if request.method == "POST":
        form = ProtectForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                protection.protect(actor=request.user, page=page, read_level=data["read_level"],
                                   edit_level=data["edit_level"], reason=data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The page's protection is saved."))
                return redirect(page.get_absolute_url())
    else:
        form = ProtectForm(initial={"read_level": page.read_level, "edit_level": page.edit_level})
    return render(request, "wiki/protect.html", _context(request, page, "manage", form=form), status=status)


@require_safe_or_post
@member_required
@page_view
def move(request, page):
    check_can_move_page(request.user, is_root=page.parent_id is None, deleted=page.is_deleted)
    status = 200
    if request.method == "POST":
        form = MoveForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            parent_path = paths.normalize(data["parent"]) or ""
            parent = find_page(parent_path)
            if parent is None or not may_read_page(request.user, read_level_needed=parent.read_level,
                                                   deleted=parent.is_deleted):
                form.add_error("parent", _("There is no page at /wiki/%(path)s.") % {"path": parent_path})
            else:
                try:
                    moved = moving.move(actor=request.user, page=page, title=data["title"], parent=parent,
                                        slug=data["slug"])
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("The page is moved. Its old address leads to it."))
                    return redirect(moved.get_absolute_url())
    else:
        parent_path = paths.parent_path(page.path) or ""
        form = MoveForm(initial={"title": page.title, "parent": parent_path, "slug": page.slug})
    return render(request, "wiki/move.html", _context(request, page, "manage", form=form), status=status)


@require_safe_or_post
@member_required
@page_view
def delete(request, page):
    check_can_delete_page(request.user, is_root=page.parent_id is None, deleted=page.is_deleted)
    below = deleting.subtree_of(page).filter(is_deleted=False).exclude(pk=page.pk).count()
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        count = deleting.delete(actor=request.user, page=page, reason=form.cleaned_data["reason"])
        messages.success(request, ngettext("The page is deleted. It can be restored.",
                                           "The page and its sub-pages are deleted (%(count)d pages). "
                                           "They can be restored.", count) % {"count": count})
        return redirect(page.get_absolute_url())
    return render(request, "wiki/delete.html", _context(request, page, "manage", form=form, below=below),
                  status=400 if form.is_bound else 200)


@require_safe_or_post
@member_required
@page_view
def undelete(request, page):
    check_can_manage_wiki(request.user)
    if not page.is_deleted and request.method != "POST":  # nothing to restore: said, not refused
        return render(request, "wiki/undelete.html", _context(request, page, "manage", not_deleted=True))
    parent_deleted = page.parent_id is not None and Page.objects.filter(pk=page.parent_id, is_deleted=True).exists()
    check_can_undelete_page(request.user, deleted=page.is_deleted, parent_deleted=parent_deleted)
    with_it = deleting.subtree_of(page).filter(is_deleted=True, deleted_at=page.deleted_at).exclude(pk=page.pk).count()
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        deleting.undelete(actor=request.user, page=page, reason=form.cleaned_data["reason"])
        messages.success(request, _("The page is restored."))
        return redirect(page.get_absolute_url())
    return render(request, "wiki/undelete.html", _context(request, page, "manage", form=form, with_it=with_it),
                  status=400 if form.is_bound else 200)


# --- The log and the discussion -------------------------------------------------------------------------------

@require_safe
@page_view
def log(request, page):
    entries = page_or_404(PageLog.objects.filter(page=page).select_related("actor").order_by("-created_at", "-pk"),
                          request.GET.get("page"), LOG_PER_PAGE)
    read_labels, edit_labels = dict(READ_LEVELS), dict(EDIT_LEVELS)
    for entry in entries.object_list:
        if entry.action == PageLog.Action.PROTECT:
            new = entry.detail.get("new", {})
            entry.read_label = read_labels.get(new.get("read_level"), "")
            entry.edit_label = edit_labels.get(new.get("edit_level"), "")
    return render(request, "wiki/log.html", _context(request, page, "log", entries=entries,
                                                     manages=may_manage_wiki(request.user)))


@require_safe_or_post
@page_view
def discuss(request, page):
    """GET: the page's topic if it has one, else a small composer (the member's own first message,
    a suggested sentence to start from); POST: start the topic with that text (once) and go there."""
    topic = page.discussion_topic if page.discussion_topic_id else None
    if topic is not None:
        return redirect(topic.get_absolute_url())
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.path)
    refusal = None
    if request.user.is_authenticated:
        try:
            discussion.check_can_start(request.user, page)
        except PermissionDenied as exc:
            if request.method == "POST":
                raise
            refusal = exc.args[0] if exc.args else ""  # shown instead of the form
    status = 200
    if request.method == "POST":
        form = DiscussForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                topic = discussion.start_discussion(actor=request.user, page=page, body=form.cleaned_data["body"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(topic.get_absolute_url())
    else:
        form = DiscussForm(initial={"body": discussion.suggested_body(page)})
    return render(request, "wiki/discuss.html", _context(
        request, page, "discuss", refusal=refusal, form=form, topic_title=discussion.topic_title(page),
        login_url=redirect_to_login(request.path).url), status=status)
