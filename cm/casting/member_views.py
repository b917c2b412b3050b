"""A member's invitations (/invitations/…): the cast member reads the terms and answers; another
member is not told an invitation exists (404); a CM reads it but cannot answer for the member."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from community.content import MAX_ID
from community.decorators import member_required
from community.permissions.casting import check_can_view_invitation

from . import selectors, services
from .notifications import terms_text


def _casting_or_404(user, casting_id):
    if not 0 < casting_id <= MAX_ID:
        raise Http404(_("No such invitation."))
    found = selectors.casting(casting_id)
    if found is None:
        raise Http404(_("No such invitation."))
    check_can_view_invitation(user, member_id=found.member_id)
    return found


@require_safe
@member_required
def invitations(request):
    """My invitations and terms, newest first."""
    page = selectors.invitations_page(request.user, request.GET.get("page"))
    return render(request, "cm/casting/invitations.html", {"page": page})


def _page(request, casting_id, *, status=200, error=None):
    found = _casting_or_404(request.user, casting_id)
    return render(request, "cm/casting/invitation.html", {
        "casting": found, "terms": terms_text(found), "error": error,
        "answerable": found.is_open and request.user.pk == found.member_id,
    }, status=status)


@require_safe
@member_required
def invitation(request, casting_id):
    return _page(request, casting_id)


def _answer(request, casting_id, run):
    _casting_or_404(request.user, casting_id)  # another member's: 404, before anything else
    try:
        return run()
    except services.CastingError as exc:
        return _page(request, casting_id, status=409, error=" ".join(exc.messages))
    except PermissionDenied as exc:
        return _page(request, casting_id, status=403, error=str(exc))


@require_POST
@member_required
def accept(request, casting_id):
    def run():
        casting = services.accept(actor=request.user, casting_id=casting_id)
        found = selectors.casting(casting.pk)
        if found.space is not None:
            messages.success(request, _("Welcome aboard! Your space “%(title)s” is open: write your first post in "
                                        "the editors' area.") % {"title": found.space.title})
            return redirect(found.space.url or "invitations:detail", *([] if found.space.url else [casting.pk]))
        messages.success(request, _("Welcome aboard: you are now a guest expert."))
        return redirect("invitations:detail", casting.pk)

    return _answer(request, casting_id, run)


@require_POST
@member_required
def decline(request, casting_id):
    def run():
        services.decline(actor=request.user, casting_id=casting_id, note=request.POST.get("note", "")[:500])
        messages.info(request, _("You declined the invitation. Thank you for your answer: the community manager is told."))
        return redirect("invitations:list")

    return _answer(request, casting_id, run)
