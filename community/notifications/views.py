"""Notification pages: the inbox, the bell fragment, read marks, preferences, unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import User
from . import KINDS, member_kinds, services, staff_kinds
from .delivery import read_unsubscribe_token
from .models import Notification
from .selectors import PER_PAGE, inbox_groups


@login_required
def inbox(request):
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404(_("Unknown page.")) from None
    groups, total = inbox_groups(request.user, page=max(page, 1))
    num_pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    if page < 1 or page > num_pages:
        raise Http404(_("Unknown page."))
    return render(request, "community/notifications.html", {
        "groups": groups, "kinds": KINDS, "page_number": page, "num_pages": num_pages,
        "has_previous": page > 1, "has_next": page < num_pages,
    })


@login_required
def bell(request):
    return render(request, "community/includes/bell.html", {})


@login_required
def go(request, notification_id):
    """Open a notification: it (and its group) becomes read, then on to the exact post."""
    notification = Notification.objects.filter(pk=notification_id, recipient=request.user).first()
    if notification is None:
        raise Http404(_("No such notification."))
    services.mark_group_read(user=request.user, group_key=notification.group_key)
    url = notification.url or "/"
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = "/"
    return HttpResponseRedirect(url)


@require_POST
@login_required
def mark_all_read(request):
    services.mark_all_read(user=request.user)
    if request.htmx:
        return render(request, "community/includes/bell.html", {})
    messages.success(request, _("All notifications are marked as read."))
    return redirect("community:notifications")


@login_required
def preferences(request):
    user = request.user
    is_cm = bool(staff_kinds()) and _is_cm(user)
    kinds = member_kinds() + (staff_kinds() if is_cm else [])
    current = dict(user.notification_preferences.values_list("kind", "channel"))
    alert_settings = getattr(user, "alert_settings", None) if is_cm else None
    errors = {}
    if request.method == "POST":
        chosen = {kind.name: request.POST.get(f"channel-{kind.name}", "") for kind in kinds}
        bad = [name for name, channel in chosen.items() if channel not in KINDS[name].channels]
        quiet = _parse_quiet_hours(request.POST) if is_cm else None
        if quiet is False:
            errors["quiet"] = _("Enter quiet hours as two times like 22:00 and 07:00, or leave both empty.")
        if bad:
            errors["channels"] = _("Choose one of the offered channels for every kind.")
        if not errors:
            services.set_preferences(user=user, channels=chosen)
            if is_cm:
                services.set_quiet_hours(user=user, start=quiet[0], end=quiet[1],
                                         time_zone=request.POST.get("time_zone", "UTC"))
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("community:notification_preferences")
        current.update({k: v for k, v in chosen.items() if v})
    rows = [(kind, current.get(kind.name, kind.default_channel)) for kind in kinds]
    return render(request, "community/notification_preferences.html", {
        "rows": rows, "is_cm": is_cm, "alert_settings": alert_settings, "errors": errors,
        "posted": request.POST if request.method == "POST" else None,
    }, status=400 if errors else 200)


def _is_cm(user):
    from ..permissions import state_for

    return state_for(user).is_community_manager


def _parse_quiet_hours(data):
    from datetime import time

    start, end = (data.get("quiet_start") or "").strip(), (data.get("quiet_end") or "").strip()
    if not start and not end:
        return (None, None)
    try:
        parsed = [time.fromisoformat(value) for value in (start, end)]
    except ValueError:
        return False
    return tuple(parsed)


@csrf_exempt  # mail clients POST here without a session (RFC 8058 one-click)
def unsubscribe(request, token):
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    user = User.objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    if found[1] not in KINDS and found[1] != services.DIGEST:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    kind = KINDS.get(found[1])
    if request.method == "POST":
        services.unsubscribe(user=user, kind_name=found[1])
        return render(request, "community/unsubscribe.html", {"done": True, "kind": kind, "member": user})
    return render(request, "community/unsubscribe.html", {"kind": kind, "member": user, "token": token})
