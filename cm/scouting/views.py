"""/cm/talent/ (the talent board) and /cm/members/<username>/ (the member card): CMs and staff only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from community import talent
from community.decorators import member_required
from community.permissions.scouting import check_can_read_member_notes, check_can_scout
from community.views import page_or_404

from . import card, selectors, services
from .forms import MEDIA_LABELS, BoardFilters, NoteForm

BOARD_PAGE_SIZE = 20
DEFAULT_FILTERS = {"period": 90, "area": "", "skill": "", "verified": False, "media": ""}


@require_safe
@member_required
def board(request):
    """Members ranked by quality over 30 / 90 / 365 days, filtered; a fixed number of queries."""
    check_can_scout(request.user)
    form = BoardFilters(request.GET or None, areas=talent.area_choices())
    context = {"form": form, "last_run": selectors.last_run(), "media_labels": MEDIA_LABELS}
    if request.GET and not form.is_valid():
        context["rows"] = []
        return render(request, "cm/scouting/board.html", context, status=400)
    filters = form.filters() if form.is_bound else dict(DEFAULT_FILTERS)
    page = page_or_404(selectors.board_scores(**filters), request.GET.get("page"), BOARD_PAGE_SIZE)
    actions = card.actions()
    rows = selectors.board_rows(page.object_list)
    for row in rows:
        row.actions = [(action.label, action.url(row.member)) for action in actions]
    context.update({"page": page, "rows": rows, "filters": filters,
                    "keep": urlencode({key: value for key, value in filters.items() if value})})
    return render(request, "cm/scouting/board.html", context)


@require_POST
@member_required
def run_now(request):
    services.run_scores_now(actor=request.user)
    messages.success(request, _("The scores are being computed; reload the board in a minute."))
    return redirect("cm:talent")


@require_safe
@member_required
def member(request, username):
    """The member card: profile, activity, best content, reports, sanctions, skills, CM notes and
    the sections other areas register (cm.scouting.card)."""
    check_can_scout(request.user)
    check_can_read_member_notes(request.user)
    found = selectors.card_member(username)
    context = selectors.member_card(found, request.user)
    context["note_form"] = NoteForm()
    return render(request, "cm/scouting/member.html", context)


@require_POST
@member_required
def skill_verify(request, username, skill_id):
    check_can_scout(request.user)
    found = selectors.card_member(username)
    verified = request.POST.get("verified")
    if verified not in ("1", "0"):
        return HttpResponseBadRequest(_("Say whether the skill is verified (verified=1) or not (verified=0)."))
    changed = services.set_skill_verified(actor=request.user, member=found, skill_id=skill_id, verified=verified == "1")
    if changed:
        messages.success(request, _("Skill marked verified.") if verified == "1" else _("Skill no longer verified."))
    return redirect(reverse("cm:member", args=[found.username]) + "#skills")


@require_POST
@member_required
def note_add(request, username):
    check_can_scout(request.user)
    found = selectors.card_member(username)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(actor=request.user, member=found, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
    if not form.is_valid():  # the card again, the text kept, the message on the field
        context = selectors.member_card(found, request.user)
        context["note_form"] = form
        return render(request, "cm/scouting/member.html", context, status=400)
    messages.success(request, _("Note saved."))
    return redirect(reverse("cm:member", args=[found.username]) + "#notes")


@require_POST
@member_required
def note_delete(request, note_id):
    check_can_scout(request.user)
    note = services.delete_note(actor=request.user, note_id=note_id)
    if note is None:
        messages.info(request, _("This note was already deleted."))
        return redirect("cm:talent")
    messages.success(request, _("Note deleted."))
    return redirect(reverse("cm:member", args=[note.member.username]) + "#notes")
