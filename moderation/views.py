from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from community import content, worklists
from community.decorators import member_required, require_safe_or_post
from community.models import User
from community.permissions import can, check_can_moderate, check_can_report, check_can_sanction
from community.views import page_or_404

from . import reports, review, sanctions, selectors, watched
from .forms import ReportForm, WatchedWordForm
from .models import AuditLogEntry, Decision, ReportReason, Sanction, SanctionKind, WatchedAction, WatchedWord

QUEUE_PAGE_SIZE = 25
LOG_PAGE_SIZE = 50
SANCTIONS_PAGE_SIZE = 20  # a member's sanctions, and the log lines about them, per page


@require_safe
@member_required
def queue(request):
    """The review queue: reported and held items of every kind, one fixed set of queries per page."""
    check_can_moderate(request.user)
    kind_names = {kind.name for kind in content.kinds()}
    kind = request.GET.get("kind") if request.GET.get("kind") in kind_names else ""
    reason = request.GET.get("reason") if request.GET.get("reason") in ReportReason.values else ""
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.SORTS else "newest"
    rows = selectors.queue_rows(kind=kind or None, reason=reason or None, sort=sort)
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    items = selectors.queue_items(selectors.refs_of(page.object_list))
    # Content deleted outside the services (the Django admin, an account deletion) shows once as
    # "no longer exists", and leaves the index.
    review.drop_gone([(item.ref.kind, item.ref.object_id) for item in items if item.obj is None])
    return render(request, "moderation/queue.html", {
        "page": page, "items": items,
        "kinds": content.kinds(), "reasons": ReportReason.choices, "decisions": Decision.choices,
        "kind": kind, "reason": reason, "sort": sort, "back_to": request.get_full_path(),
        "filters": f"kind={kind}&reason={reason}&sort={sort}",
        "worklists": worklists.panels_for(request.user),  # e.g. wiki edits to patrol (registered by apps)
    })


@require_POST
@member_required
def decide(request):
    """POST kind, id, decision: one click in the queue. htmx gets the item's row in its new state."""
    check_can_moderate(request.user)
    kind_name = request.POST.get("kind", "")
    try:
        object_id = int(request.POST.get("id", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Which item? The id is missing or not a number."))
    if request.POST.get("decision") not in Decision.values:
        return HttpResponseBadRequest(_("Unknown decision."))
    try:
        decision = reports.decide(actor=request.user, kind_name=kind_name, object_id=object_id,
                                  decision=request.POST["decision"], reason=request.POST.get("reason", ""))
    except reports.ContentGone:
        if request.htmx and kind_name in {kind.name for kind in content.kinds()}:
            # htmx swaps only 2xx answers: replace the row by "no longer exists" rather than do nothing.
            missing = selectors.QueueItem(ref=selectors.QueueRef(kind_name, object_id),
                                          kind=content.get_kind(kind_name), obj=None)
            return render(request, "moderation/includes/queue_item.html", {"item": missing})
        raise Http404(_("This item no longer exists.")) from None
    message = reports.decision_message(decision)
    if request.htmx:
        item = selectors.queue_item(kind_name, object_id)
        return render(request, "moderation/includes/queue_item.html",
                      {"item": item, "decisions": Decision.choices, "just_decided": message})
    messages.success(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("moderation:queue")
    return redirect(target)


@require_safe
@member_required
def audit_log(request):
    check_can_moderate(request.user)
    page = Paginator(selectors.audit_log(), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/auditlogentry_list.html", {"page": page})


@require_safe_or_post
@member_required
def report(request, kind, object_id):
    """A member reports an item: GET shows the form, POST files it."""
    try:
        content_kind, obj = reports.get_item(kind, object_id)
    except reports.ContentGone:
        raise Http404(_("No such content.")) from None
    try:
        check_can_report(request.user, obj)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(content_kind.url(obj))
    form = ReportForm(request.POST or None)
    context = {"form": form, "kind": content_kind, "obj": obj, "url": content_kind.url(obj),
               "excerpt": content_kind.text(obj)}
    if request.method != "POST":
        return render(request, "moderation/report_form.html", context)
    if not form.is_valid():
        return render(request, "moderation/report_form.html", context, status=400)
    try:
        _report, created = reports.report_content(
            actor=request.user, kind_name=kind, object_id=object_id,
            reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You cannot report this."))
        return redirect(content_kind.url(obj))
    except reports.TooManyReports:
        context["limited"] = _("You have sent many reports in the last hour. Please wait a little; "
                               "your note is kept below.")
        return render(request, "moderation/report_form.html", context, status=429)
    if created:
        messages.success(request, _("Thank you: your report was sent to the moderators."))
    else:
        messages.success(request, _("Your report was updated."))
    return redirect(content_kind.url(obj))


# --- Sanctions -------------------------------------------------------------------------------------


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Sanction"), choices=SanctionKind.choices)
    reason = forms.CharField(label=gettext_lazy("Reason (the member will see it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    days = forms.IntegerField(label=gettext_lazy("Days (silence and suspension)"), required=False,
                              min_value=1, max_value=sanctions.MAX_DAYS)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in sanctions.DURATION_KINDS and not cleaned.get("days") and "days" not in self.errors:
            self.add_error("days", _("How many days? Between 1 and %(max)d.") % {"max": sanctions.MAX_DAYS})
        return cleaned


class RemoveAllContentForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("Yes, remove everything this member has published"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


def _member_page(request, member, *, form=None, remove_form=None, status=200):
    """The sanction history (?page=) and the audit log lines about the member (?log_page=) are two
    lists paged on their own; an unknown page of either answers 404, as the member directory and the
    forums do."""
    history = page_or_404(Sanction.objects.filter(member=member).select_related("created_by", "lifted_by"),
                          request.GET.get("page"), SANCTIONS_PAGE_SIZE)
    log = page_or_404(AuditLogEntry.objects.filter(kind=sanctions.MEMBER_KIND, object_id=member.pk)
                      .select_related("actor"), request.GET.get("log_page"), SANCTIONS_PAGE_SIZE)
    return render(request, "moderation/sanction_member.html", {
        "member": member, "form": form or SanctionForm(), "remove_form": remove_form or RemoveAllContentForm(),
        "history": history, "log": log, "can_sanction": can(check_can_sanction, request.user, member),
        # Each list's page links keep the other list's page.
        "keep_log_page": f"log_page={log.number}" if log.number > 1 else "",
        "keep_history_page": f"page={history.number}" if history.number > 1 else "",
    }, status=status)


@require_safe_or_post
@member_required
def member_sanctions(request, username):
    """A CM's page about one member: sanction form, sanction history, "remove all content"."""
    check_can_moderate(request.user)
    member = get_object_or_404(User, username=username)
    if request.method != "POST":
        return _member_page(request, member)
    form = SanctionForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, form=form, status=400)
    try:
        sanction = sanctions.sanction_member(actor=request.user, member=member, kind=form.cleaned_data["kind"],
                                             reason=form.cleaned_data["reason"], days=form.cleaned_data["days"])
    except ValueError as exc:
        form.add_error(None, str(exc))
        return _member_page(request, member, form=form, status=400)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return _member_page(request, member, form=form, status=403)
    messages.success(request, sanctions.sanction_message(sanction.kind))
    return redirect("moderation:member", username=member.username)


@require_POST
@member_required
def remove_member_content(request, username):
    """POST with a confirmation box: remove everything the member published (restorable)."""
    check_can_moderate(request.user)
    member = get_object_or_404(User, username=username)
    form = RemoveAllContentForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, remove_form=form, status=400)
    try:
        sanctions.remove_all_content(actor=request.user, member=member, reason=form.cleaned_data["reason"])
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return _member_page(request, member, remove_form=form, status=403)
    messages.success(request, _("Everything this member published is being removed; it takes a moment. "
                                "The audit log will say how many items were removed."))
    return redirect("moderation:member", username=member.username)


@require_POST
@member_required
def lift_sanction(request, sanction_id):
    check_can_moderate(request.user)
    sanction = get_object_or_404(Sanction.objects.select_related("member"), pk=sanction_id)
    try:
        lifted = sanctions.lift_sanction(actor=request.user, sanction=sanction)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("moderation:member", username=sanction.member.username)
    if lifted:
        messages.success(request, _("The sanction was lifted."))
    else:
        messages.info(request, _("This sanction had already ended."))
    return redirect("moderation:member", username=sanction.member.username)


@require_safe
@member_required
def my_sanctions(request):
    """A member's own sanction history, with the reasons; warnings are acknowledged here."""
    history = page_or_404(Sanction.objects.filter(member=request.user), request.GET.get("page"),
                          SANCTIONS_PAGE_SIZE)
    return render(request, "moderation/sanction_my_list.html", {"history": history})


@require_POST
@member_required
def acknowledge_warning(request, sanction_id):
    sanction = get_object_or_404(Sanction, pk=sanction_id, member=request.user, kind=SanctionKind.WARN)
    if sanctions.acknowledge_warning(actor=request.user, sanction=sanction):
        messages.success(request, _("Thank you: the warning is acknowledged."))
    else:
        messages.info(request, _("This warning was already acknowledged or lifted."))
    return redirect("moderation:my_sanctions")


# --- Watched words ---------------------------------------------------------------------------------


@require_safe
@member_required
def watched_words(request):
    """The list of watched words, with how often each was found, and the form to add one."""
    check_can_moderate(request.user)
    words = (WatchedWord.objects.annotate(hit_count=Count("hits", distinct=True))
             .prefetch_related("watchers").order_by("action", "normalized"))
    return render(request, "moderation/watched_words.html", {"words": words, "actions": WatchedAction.choices})


def _word_form_page(request, form, *, word=None, preview=None, status=200):
    return render(request, "moderation/watched_word_form.html",
                  {"form": form, "word": word, "preview": preview, "window_days": watched.PREVIEW_WINDOW.days},
                  status=status)


@require_safe_or_post
@member_required
def watched_word_edit(request, word_id=None):
    """Add (no id) or change a watched word. The "Test" button shows what the rule would have caught
    in the last 30 days of content, without saving anything."""
    check_can_moderate(request.user)
    word = get_object_or_404(WatchedWord, pk=word_id) if word_id is not None else None
    if request.method != "POST":
        initial = {"watch": True} if word is None else {"watch": word.watchers.filter(pk=request.user.pk).exists()}
        return _word_form_page(request, WatchedWordForm(instance=word, initial=initial), word=word)
    form = WatchedWordForm(request.POST, instance=word or WatchedWord())
    if not form.is_valid():
        return _word_form_page(request, form, word=word, status=400)
    if "test" in request.POST:
        return _word_form_page(request, form, word=word, preview=watched.preview_rule(form.cleaned_data["phrase"]))
    try:
        saved = watched.save_word(actor=request.user, word=form.save(commit=False), watch=form.cleaned_data["watch"])
    except ValidationError as exc:  # saved meanwhile by a concurrent request
        form.add_error("phrase", exc)
        return _word_form_page(request, form, word=word, status=400)
    messages.success(request, _("“%(phrase)s” is saved.") % {"phrase": saved.phrase})
    return redirect("moderation:watched_words")


@require_POST
@member_required
def watched_word_delete(request, word_id):
    check_can_moderate(request.user)
    word = get_object_or_404(WatchedWord, pk=word_id)
    if watched.delete_word(actor=request.user, word=word):
        messages.success(request, _("“%(phrase)s” is no longer watched.") % {"phrase": word.phrase})
    return redirect("moderation:watched_words")
