"""Notification pages: the inbox, the bell fragment, read marks, preferences, unsubscribe.

Every page but `unsubscribe` is for members: a visitor is sent to the login page, except that an htmx
request (a tab left open after the session ended) is never answered with the login page to swap
into the header."""


from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from ..decorators import HTMX_STOP_POLLING, member_required, require_safe_or_post  # noqa: F401
from ..models import User
from ..permissions import may_choose_staff_alerts
from ..views import page_or_404
from . import selectors, services
from .delivery import read_unsubscribe_token
from .forms import PreferencesForm, time_zone_names
from .registry import KINDS, member_kinds, staff_kinds

BELL = "community/includes/bell.html"
@require_safe
@member_required
@never_cache
def inbox(request):
    page = page_or_404(selectors.inbox_groups(request.user), request.GET.get("page"), selectors.PER_PAGE)
    groups = selectors.load_groups(request.user, page.object_list)
    return render(request, "community/notifications.html", {"page": page, "groups": groups})


@require_safe
@member_required
@never_cache
def bell(request):
    return render(request, BELL)


@require_safe
@member_required
def go(request, notification_id):
    """Open a notification: its line of the inbox becomes read, then on to the exact post."""
    notification = _own_notification(request.user, notification_id)
    services.mark_group_read(actor=request.user, group_key=notification.group_key)
    inbox_url = reverse("community:notifications")
    if not selectors.target_visible(request.user, notification):
        messages.info(request, _("That content is no longer available."))
        return HttpResponseRedirect(inbox_url)
    url = notification.url
    # The URL was captured at fan-out: only ever a page of this site.
    if not isinstance(url, str) or not url or not url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        url = inbox_url
    return HttpResponseRedirect(url)


@require_POST
@member_required
def mark_read(request, notification_id):
    """Mark one line of the inbox read. htmx gets the line again and the bell (out of band)."""
    notification = _own_notification(request.user, notification_id)
    services.mark_group_read(actor=request.user, group_key=notification.group_key)
    if request.htmx:
        group = selectors.group_for(request.user, notification.group_key)
        return render(request, "community/includes/notification_read.html", {"group": group})
    return HttpResponseRedirect(_inbox_page_url(request.POST.get("page")))


@require_POST
@member_required
def mark_all_read(request):
    services.mark_all_read(actor=request.user)
    if request.htmx:
        return render(request, BELL)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("community:notifications")


@require_safe_or_post
@member_required
def preferences(request):
    user = request.user
    is_cm = may_choose_staff_alerts(user)
    kinds = member_kinds() + (staff_kinds() if is_cm else [])
    form = PreferencesForm(request.POST if request.method == "POST" else None, kinds=kinds,
                           current=selectors.preferences_of(user),
                           alert_settings=selectors.alert_settings_of(user) if is_cm else None,
                           with_quiet_hours=is_cm)
    if form.is_bound:
        if form.is_valid():
            services.save_preferences(actor=user, channels=form.channels(), quiet_hours=form.quiet_hours())
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("community:notification_preferences")
    return render(request, "community/notification_preferences.html", {
        "form": form, "is_cm": is_cm, "time_zones": time_zone_names() if is_cm else (),
    }, status=400 if form.is_bound else 200)


def _own_notification(user, notification_id):
    notification = selectors.notification_for(user, notification_id)
    if notification is None:  # someone else's does not exist for this member
        raise Http404(_("No such notification."))
    return notification


def _inbox_page_url(page) -> str:
    url = reverse("community:notifications")
    try:
        number = int(page)
    except (TypeError, ValueError):
        return url
    return f"{url}?page={number}" if number > 1 else url


@csrf_exempt  # mail clients POST here without a session (RFC 8058 one-click)
@require_safe_or_post
def unsubscribe(request, token):
    """GET shows a confirmation (link scanners follow links); POST, from that page or from a mail
    client's one-click (`List-Unsubscribe=One-Click`), unsubscribes. The signed token is the
    only credential: no session needed."""
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
        services.unsubscribe(actor=user, kind_name=found[1])
        return render(request, "community/unsubscribe.html", {"done": True, "kind": kind, "member": user})
    return render(request, "community/unsubscribe.html", {"kind": kind, "member": user, "token": token})
