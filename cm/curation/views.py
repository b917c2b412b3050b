"""/cm/curation/: the home page as members see it, the featured items in order, announcements.
And /announcements/<id>/dismiss/: anyone closes a banner."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from community.decorators import member_required, require_safe_or_post
from community.permissions.curation import check_can_curate

from ..models import Announcement, Feature
from . import selectors, services
from .forms import AnnouncementForm, FeatureForm


def _back():
    return redirect("cm:curation")


@require_safe
@member_required  # a visitor is asked to log in; a member without the role gets 403
def curation(request):
    check_can_curate(request.user)
    return render(request, "cm/curation/index.html", {**selectors.curation_overview(request.user),
                                                      "feature_form": FeatureForm()})


@require_safe_or_post
@member_required
def feature_new(request):
    check_can_curate(request.user)
    if request.method != "POST":
        form = FeatureForm(initial={"kind": request.GET.get("kind", ""), "item": request.GET.get("item", "")})
        return render(request, "cm/curation/feature_form.html", {"form": form})
    form = FeatureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_feature(actor=request.user, kind=data["kind"], text=data["item"],
                                 starts_at=data["starts_at"], ends_at=data["ends_at"], note=data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Featured."))
            return _back()
    return render(request, "cm/curation/feature_form.html", {"form": form}, status=400)


@require_POST
@member_required
def feature_move(request, feature_id):
    check_can_curate(request.user)
    feature = get_object_or_404(Feature, pk=feature_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest(_("Move it up or down."))
    services.move_feature(actor=request.user, feature=feature, direction=direction)
    return _back()


@require_POST
@member_required
def feature_end(request, feature_id):
    check_can_curate(request.user)
    feature = get_object_or_404(Feature, pk=feature_id)
    if services.end_feature(actor=request.user, feature=feature):
        messages.success(request, _("It is no longer featured."))
    return _back()


@require_POST
@member_required
def feature_remove(request, feature_id):
    check_can_curate(request.user)
    feature = get_object_or_404(Feature, pk=feature_id)
    if services.remove_feature(actor=request.user, feature=feature):
        messages.success(request, _("Removed."))
    return _back()


@require_safe_or_post
@member_required
def announcement_edit(request, announcement_id=None):
    """Publish (no id) or change an announcement."""
    check_can_curate(request.user)
    announcement = get_object_or_404(Announcement, pk=announcement_id) if announcement_id is not None else None
    if request.method != "POST":
        form = AnnouncementForm.for_announcement(announcement) if announcement else AnnouncementForm()
        return render(request, "cm/curation/announcement_form.html", {"form": form, "announcement": announcement})
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            services.save_announcement(actor=request.user, announcement=announcement, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The announcement is saved."))
            return _back()
    return render(request, "cm/curation/announcement_form.html", {"form": form, "announcement": announcement},
                  status=400)


@require_POST
@member_required
def announcement_end(request, announcement_id):
    check_can_curate(request.user)
    announcement = get_object_or_404(Announcement, pk=announcement_id)
    if services.end_announcement(actor=request.user, announcement=announcement):
        messages.success(request, _("The announcement is over."))
    return _back()


@csrf_exempt  # visitors: closing a banner for the visit is harmless, and their pages carry no CSRF token
@require_POST
def dismiss(request, announcement_id):
    """Close a banner (a member: for good; a visitor: for the visit). htmx gets an empty answer that
    replaces the banner; a plain form goes back where it came from."""
    if request.user.is_authenticated:  # a member's dismissal is a write: their token is checked
        refused = CsrfViewMiddleware(lambda req: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    announcement = get_object_or_404(Announcement, pk=announcement_id)
    services.dismiss_announcement(actor=request.user, announcement=announcement, session=request.session)
    if getattr(request, "htmx", False):
        return HttpResponse("")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    return HttpResponseRedirect(next_url)
