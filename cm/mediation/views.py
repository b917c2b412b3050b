"""/cm/watch/ (the brand-watch inbox) and /cm/escalations/ (escalations to staff): each view reads
the request, calls one service or selector, renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from community.decorators import member_required, require_safe_or_post
from community.permissions.mediation import check_can_escalate, check_can_mediate, may_show_watched_text
from community.views import page_or_404

from ..models import EscalationStatus
from . import escalations as escalating
from . import selectors, services
from .forms import EscalationForm

WATCH_PAGE_SIZE = 20
ESCALATIONS_PAGE_SIZE = 25


@require_safe
@member_required  # a visitor is asked to log in; a member without the role gets 403
def watch(request):
    """The watched-word alerts, newest first, shared among CMs: open, mine, done."""
    check_can_mediate(request.user)
    show = request.GET.get("show") if request.GET.get("show") in selectors.SHOWS else "open"
    page = page_or_404(selectors.alert_rows(request.user, show), request.GET.get("page"), WATCH_PAGE_SIZE)
    return render(request, "cm/mediation/watch.html", {
        "page": page, "alerts": selectors.inbox_alerts(page.object_list), "show": show,
        "back_to": request.get_full_path(), "filters": f"show={show}",
    })


_CHANGES = {
    "take": (services.take_alert, gettext_lazy("You took this alert: the other community managers see that it is yours."),
             gettext_lazy("This alert was already yours.")),
    "release": (services.release_alert, gettext_lazy("You gave this alert back: any community manager may take it."),
                gettext_lazy("This alert was not yours to give back.")),
    "done": (services.close_alert, gettext_lazy("Alert closed."), gettext_lazy("This alert was already closed.")),
    "reopen": (services.reopen_alert, gettext_lazy("Alert reopened: any community manager may take it."),
               gettext_lazy("This alert was already open.")),
}


@require_POST
@member_required
def watch_change(request, alert_id, change):
    """Take, give back, close or reopen an alert. htmx gets the alert's row in its new state."""
    service, done_message, unchanged_message = _CHANGES[change]
    level = messages.SUCCESS
    try:
        _state, changed = service(actor=request.user, hit_id=alert_id)
        message = str(done_message if changed else unchanged_message)
        level = messages.SUCCESS if changed else messages.INFO
    except services.AlertGone:
        raise Http404(_("This alert no longer exists.")) from None
    except services.AlertTaken as taken:
        message = _("Taken by %(name)s (@%(username)s) before you: it is theirs.") % {
            "name": taken.by.name, "username": taken.by.username}
        level = messages.WARNING
    except services.AlertClosed as closed:
        who = closed.by.name if closed.by else _("someone")
        message = _("Already closed by %(name)s: reopen it first.") % {"name": who}
        level = messages.WARNING
    if request.htmx:
        alert = selectors.inbox_alert(alert_id)
        alert.message, alert.message_level = message, ("success" if level == messages.SUCCESS else "warning")
        return render(request, "cm/mediation/includes/alert.html", {"alert": alert})
    messages.add_message(request, level, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("cm:watch")
    return redirect(target)


def _target(what, *, kind=None, object_id=None, report_id=None, username=None):
    try:
        if what == "report":
            return escalating.report_target(report_id)
        if what == "member":
            return escalating.member_target(username)
        return escalating.item_target(kind, object_id)
    except escalating.TargetGone:
        raise Http404(_("Nothing to escalate here: it no longer exists.")) from None


@require_safe_or_post
@member_required
def escalate(request, what, kind=None, object_id=None, report_id=None, username=None):
    """Escalate an item, a report or a member to staff with a note (GET: the form, POST: send)."""
    check_can_escalate(request.user)
    target = _target(what, kind=kind, object_id=object_id, report_id=report_id, username=username)
    form = EscalationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                escalation, created = escalating.escalate(actor=request.user, target=target,
                                                          note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if created:
                    messages.success(request, _("Escalated to staff: you will be told when they answer."))
                else:
                    messages.info(request, _("This was already escalated to staff (by %(name)s): your note was "
                                             "added to that escalation.") % {
                        "name": escalation.escalated_by.name if escalation.escalated_by else _("someone")})
                return redirect(reverse("cm:escalations") + f"#escalation-{escalation.pk}")
    obj = target.obj
    text_shown = obj is not None and may_show_watched_text(status=target.kind.status(obj),
                                                           deleted=target.kind.is_deleted(obj))
    return render(request, "cm/mediation/escalate.html", {
        "form": form, "target": target, "what": what, "text_shown": text_shown,
        "excerpt": target.kind.excerpt(obj, 400) if text_shown else "",
        "existing": target.open_escalation().select_related("escalated_by").first(),
    }, status=status)


@require_safe
@member_required
def escalations(request):
    """The CMs' escalations to staff, with their state and staff's answer."""
    check_can_escalate(request.user)
    status = request.GET.get("status") if request.GET.get("status") in EscalationStatus.values else ""
    page = page_or_404(selectors.escalation_rows(status), request.GET.get("page"), ESCALATIONS_PAGE_SIZE)
    return render(request, "cm/mediation/escalations.html", {
        "page": page, "status": status, "statuses": EscalationStatus.choices, "filters": f"status={status}",
    })
