"""Patrol: the list of edits waiting for a community manager's look, and the Patrol button (also
drawn on recent changes and in the review queue's panel)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from community.decorators import member_required
from community.permissions import check_can_manage_wiki, check_can_read_page
from community.views import page_or_404

from .. import changes
from ..models import Revision
from ..services import patrol as patrolling

PATROL_PAGE_SIZE = 50
LIST_FIELDS = ("pk", "number", "created_at", "summary", "minor", "size_delta", "status", "patrolled",
               "page__id", "page__path", "page__title", "author__id", "author__username", "author__display_name")


def patrol_rows(viewer):
    """The unpatrolled edits as the list shows them: the page and author joined, no text loaded."""
    return patrolling.unpatrolled(viewer).select_related("page", "author").only(*LIST_FIELDS)


@require_safe
@member_required
def patrol(request):
    """Edits by new members waiting for a patrol, newest first (a count and a page: two queries)."""
    check_can_manage_wiki(request.user)
    number = changes.url_number(request.GET.get("page"), default=1, message=_("Unknown page."))
    page = page_or_404(patrol_rows(request.user), number, PATROL_PAGE_SIZE)
    return render(request, "wiki/patrol.html", {"page": page, "back_to": request.get_full_path()})


@require_POST
@member_required
def patrol_revision(request, revision_id):
    """POST: mark one edit patrolled. htmx gets the button's place back ("Patrolled"); a plain form
    goes back where it came from (`next`, this site only) or to the patrol list."""
    check_can_manage_wiki(request.user)
    revision_id = changes.url_number(revision_id, message=_("No such wiki edit."))
    revision = (Revision.objects.filter(pk=revision_id).select_related("page")
                .only("pk", "number", "page_id", "patrolled", "page__id", "page__read_level", "page__is_deleted",
                      "page__path").first())
    if revision is None:
        raise Http404(_("No such wiki edit."))
    check_can_read_page(request.user, read_level_needed=revision.page.read_level, deleted=revision.page.is_deleted)
    changed = patrolling.patrol(actor=request.user, revision=revision)
    if request.htmx:
        # On the patrol list, the list's count is sent again (out of band): it must not go stale.
        on_list = (request.htmx.current_url_abs_path or "").split("?")[0] == reverse("wiki:patrol")
        counter = patrolling.unpatrolled_count(request.user) if on_list else None
        return render(request, "wiki/patrol_answer.html",
                      {"revision": revision, "changed": changed, "counter": counter})
    if changed:
        messages.success(request, _("Edit marked as patrolled."))
    else:
        messages.info(request, _("This edit was already patrolled."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("wiki:patrol")
    return redirect(target)
