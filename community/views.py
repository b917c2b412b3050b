from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from . import activity, selectors, services, skills
from . import home as home_page
from .decorators import require_safe_or_post
from .forms import MemberSearchForm, ProfileForm
from .models import Profile, Skill
from .permissions import (
    check_can_edit_profile,
    check_can_open_cms,
    check_can_view_profile,
    may_see_profile_text,
)

MEMBERS_PER_PAGE = 30


def page_or_404(queryset, number, per_page):
    paginator = Paginator(queryset, per_page)
    try:
        number = int(number or 1)
    except (TypeError, ValueError):
        raise Http404(_("Unknown page.")) from None
    if number < 1 or (number > paginator.num_pages):
        raise Http404(_("Unknown page."))
    return paginator.page(number)


@require_safe
def home(request):
    """Featured spaces and activity come from the sections the content apps register (community.home)."""
    members = selectors.newest_members(request.user, limit=8)
    counts = selectors.community_counts()
    return render(request, "community/home.html", {
        "newest_members": members, "counts": counts, "sections": home_page.sections_for(request),
    })


@require_safe
def member_list(request):
    """The directory: search by name, filter by skill (an unknown skill: the message, a 400)."""
    form = MemberSearchForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound else {}  # (the fields that were valid)
    query, skill = data.get("q", ""), data.get("skill", "")
    page = page_or_404(selectors.directory(request.user, query=query, skill=skill), request.GET.get("page"),
                       MEMBERS_PER_PAGE)
    return render(request, "community/member_list.html", {
        "page": page, "form": form, "query": query, "skill": skill, "page_keep": f"skill={skill}" if skill else "",
        "skill_label": Skill(skill).label if skill else "", "skill_choices": Skill.choices,
    }, status=200 if valid else 400)


@require_safe
def profile_detail(request, username):
    member = selectors.member_by_username(username)
    if member is None:
        raise Http404(_("No member with that name."))
    if member.username != username:
        return redirect(member.get_absolute_url(), permanent=True)
    try:
        check_can_view_profile(request.user, member)
    except PermissionDenied:
        raise Http404(_("No member with that name.")) from None
    streams = activity.streams()
    tab = request.GET.get("tab") or (streams[0].name if streams else "")
    stream = activity.stream(tab) if tab else None
    if tab and stream is None:
        raise Http404(_("No such tab on this profile."))
    profile = getattr(member, "profile", None) or Profile(user=member)
    is_self = request.user.is_authenticated and request.user.pk == member.pk
    show_bio = may_see_profile_text(request.user, profile)
    return render(request, "community/profile_detail.html", {
        "member": member,
        "profile": profile,
        "is_self": is_self,
        "show_bio": show_bio,
        "skills": skills.declared(member),
        "streams": streams,
        "shown": activity.page_of(stream, request.user, member, request.GET.get("page")) if stream else None,
    })


@require_safe_or_post
@login_required
def profile_edit(request):
    member = request.user
    if request.method != "POST":
        check_can_edit_profile(request.user, member)
    profile = getattr(member, "profile", None) or Profile(user=member)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, has_avatar=bool(profile.avatar))
        status = 400
        try:
            check_can_edit_profile(request.user, member)
        except PermissionDenied as exc:
            # Silenced (or suspended) meanwhile: keep what was typed, say why.
            form.is_valid()
            form.add_error(None, str(exc))
            return render(request, "community/profile_edit.html", {"form": form, "profile": profile,
                                                                  "member": member}, status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_profile(
                    actor=request.user, member=member,
                    display_name=data["display_name"], language=data["language"], bio=data["bio"],
                    website=data["website"], location=data["location"], avatar=data["avatar"],
                    remove_avatar=data.get("remove_avatar", False), skills=data["skills"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                status = getattr(exc, "status", 400)
                return render(request, "community/profile_edit.html", {"form": form, "profile": profile,
                                                                      "member": member}, status=status)
            if data["language"]:
                translation.activate(data["language"])
            messages.success(request, _("Your profile is saved."))
            response = redirect("community:profile_edit")
            if data["language"]:
                response.set_cookie("django_language", data["language"], samesite="Lax")
            else:  # "follow my browser": a language cookie left by the switch would win over it
                response.delete_cookie("django_language", samesite="Lax")
            return response
    else:
        form = ProfileForm(initial={
            "display_name": member.display_name, "language": member.language, "bio": profile.bio,
            "website": profile.website, "location": profile.location,
            "skills": [item.skill for item in skills.declared(member)],
        }, has_avatar=bool(profile.avatar))
        status = 200
    return render(request, "community/profile_edit.html", {"form": form, "profile": profile,
                                                          "member": member}, status=status)


@csrf_exempt  # choosing a language is harmless, and cached anonymous pages carry no CSRF token
@require_POST
def set_language(request):
    """The footer's language switch: a cookie for everyone, and the profile for members."""
    language = request.POST.get("language", "")
    if not translation.check_for_language(language) or language not in dict(_languages()):
        return HttpResponseBadRequest(_("Unknown language."))
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    services.set_language(actor=request.user, language=language)
    response = HttpResponseRedirect(next_url)
    response.set_cookie("django_language", language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


def csrf_failure(request, reason=""):
    """A form refused for its CSRF token, in the site's layout (Django's own page carries an inline
    style the Content-Security-Policy blocks), saying what to do; 403 as Django answers."""
    return render(request, "403_csrf.html", status=403)


@require_safe
def cms_door(request):
    """WAGTAILADMIN_LOGIN_URL: where Wagtail sends whoever may not open /cms/. A visitor goes to the
    one login of the site, and back; a member who is logged in but no editor gets a 403 saying so
    (the login page would send them straight back to /cms/, round and round)."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/cms/"
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, login_url=reverse("account_login"))
    check_can_open_cms(request.user)
    return HttpResponseRedirect(next_url)
