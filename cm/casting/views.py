"""The casting pages of the workspace (/cm/casting/…), for the CMs who cast: the board, the
invitation form, a casting's terms and history with its steps, a space's history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from community import spaces
from community.content import MAX_ID
from community.decorators import member_required, require_safe_or_post
from community.models import User
from community.permissions.casting import check_can_be_cast, check_can_manage_castings

from . import selectors, services, steps
from .forms import CastForm, HandOverForm, RenewForm, cast_initial, renew_initial


def _id_or_404(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise Http404(_("Not found."))
    return value


@require_safe
@member_required
def board(request):
    """Open invitations, current terms (ending soon first), terms over with their space still open,
    paused and retired spaces."""
    check_can_manage_castings(request.user)
    asked = {name: request.GET.get(f"{name}_page") for name in selectors.SECTIONS}
    lists = selectors.board(asked)
    keep = {name: "&".join(f"{other}_page={page.number}" for other, page in lists.items()
                           if other != name and page.number > 1) for name in lists}
    return render(request, "cm/casting/board.html", {"lists": lists, "keep": keep})


@require_safe_or_post
@member_required
def cast(request, username):
    """The invitation form, prefilled (?kind= chooses the kind); POST sends the invitation."""
    check_can_manage_castings(request.user)
    member = get_object_or_404(User, username=username, is_active=True)
    problem = None
    try:
        check_can_be_cast(member)
    except PermissionDenied as exc:
        problem = str(exc)
    form = CastForm(request.POST if request.method == "POST" else None,
                    initial=cast_initial(member, request.GET.get("kind", "")))
    context = {"member": member, "form": form, "problem": problem,
               "history": selectors.of_member(member, limit=10)}
    if request.method != "POST":
        return render(request, "cm/casting/cast_form.html", context)
    if problem is not None:
        return render(request, "cm/casting/cast_form.html", context, status=409)
    if not form.is_valid():
        return render(request, "cm/casting/cast_form.html", context, status=400)
    try:
        casting, created = services.cast(actor=request.user, member=member, **form.cleaned_data)
    except services.CastingError as exc:
        form.add_error(None, exc)
        return render(request, "cm/casting/cast_form.html", context, status=400)
    except PermissionDenied as exc:  # the member was sanctioned meanwhile
        context["problem"] = str(exc)
        return render(request, "cm/casting/cast_form.html", context, status=409)
    if created:
        messages.success(request, _("Invitation sent: %(name)s is told on the site and by email.") % {"name": member.name})
    else:
        messages.info(request, _("%(name)s already has an open invitation of this kind: here it is.") % {
            "name": member.name})
    return redirect("cm:casting_detail", casting.pk)


def _detail(request, casting_id, *, status=200, error=None, renew_form=None, hand_over_form=None):
    found = selectors.casting(_id_or_404(casting_id))
    if found is None:
        raise Http404(_("No such casting."))
    ids = [found.pk]
    related = selectors.space_castings(found.space_id) if found.space_id else []
    ids += [other.pk for other in related if other.pk != found.pk]
    return render(request, "cm/casting/detail.html", {
        "casting": found, "steps": selectors.steps_of(ids), "related": [c for c in related if c.pk != found.pk],
        "error": error, "actions": steps.available(found),
        "renew_form": renew_form or RenewForm(initial=renew_initial(found)),
        "hand_over_form": hand_over_form or HandOverForm(),
    }, status=status)


@require_safe
@member_required
def detail(request, casting_id):
    check_can_manage_castings(request.user)
    return _detail(request, casting_id)


DONE = {
    "withdraw": gettext_lazy("Invitation withdrawn: the member is told."),
    "pause": gettext_lazy("Space paused: hidden from the public, content kept. The owner is told."),
    "resume": gettext_lazy("Space open to the public again. The owner is told."),
    "retire": gettext_lazy("Space retired: a read-only archive. The owner is told."),
    "end": gettext_lazy("Term ended. The owner is told."),
    "revoke": gettext_lazy("Guest-expert badge revoked. The member is told."),
    "renew": gettext_lazy("Term renewed. The owner is told."),
    "hand_over": gettext_lazy("Space handed over: both members are told."),
}


def _step(request, casting_id, name, run):
    check_can_manage_castings(request.user)
    try:
        result = run()
    except services.CastingError as exc:
        return _detail(request, casting_id, status=409, error=" ".join(exc.messages))
    except PermissionDenied as exc:  # the member (or new owner) is under a sanction
        return _detail(request, casting_id, status=409, error=str(exc))
    messages.success(request, DONE[name])
    return redirect("cm:casting_detail", result.pk)


@require_POST
@member_required
def withdraw(request, casting_id):
    return _step(request, casting_id, "withdraw",
                 lambda: services.withdraw(actor=request.user, casting_id=_id_or_404(casting_id)))


def _space_step_view(name):
    @require_POST
    @member_required
    def view(request, casting_id):
        return _step(request, casting_id, name,
                     lambda: steps.space_step(actor=request.user, casting_id=_id_or_404(casting_id), name=name))

    view.__name__ = name
    view.__doc__ = f"POST: {name} the casting's space."
    return view


pause = _space_step_view("pause")
resume = _space_step_view("resume")
retire = _space_step_view("retire")


@require_POST
@member_required
def end(request, casting_id):
    return _step(request, casting_id, "end", lambda: steps.end_term(actor=request.user, casting_id=_id_or_404(casting_id)))


@require_POST
@member_required
def revoke(request, casting_id):
    return _step(request, casting_id, "revoke", lambda: steps.revoke_badge(
        actor=request.user, casting_id=_id_or_404(casting_id), note=request.POST.get("note", "")[:500]))


@require_POST
@member_required
def renew(request, casting_id):
    check_can_manage_castings(request.user)
    form = RenewForm(request.POST)
    if not form.is_valid():
        return _detail(request, casting_id, status=400, renew_form=form)
    return _step(request, casting_id, "renew", lambda: steps.renew(
        actor=request.user, casting_id=_id_or_404(casting_id), ends_on=form.cleaned_data["ends_on"]))


@require_POST
@member_required
def hand_over(request, casting_id):
    check_can_manage_castings(request.user)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        return _detail(request, casting_id, status=400, hand_over_form=form)
    return _step(request, casting_id, "hand_over", lambda: steps.hand_over(
        actor=request.user, casting_id=_id_or_404(casting_id), new_owner=form.member))


@require_safe
@member_required
def space_history(request, space_id):
    """Every casting of one space and their steps: who held it, when, what was decided."""
    check_can_manage_castings(request.user)
    space = spaces.get(_id_or_404(space_id))
    if space is None:
        raise Http404(_("No such space."))
    castings = selectors.space_castings(space.id)
    return render(request, "cm/casting/space_history.html", {
        "space": space, "castings": castings, "steps": selectors.steps_of(c.pk for c in castings)})
