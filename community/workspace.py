"""Pages of the shared core that later issues fill: the CM workspace, search."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .decorators import member_required
from .forms import MemberSearchForm
from .permissions import check_can_use_cm_workspace


@require_safe
@member_required  # a visitor is asked to log in; a member without the role gets 403
def cm_dashboard(request):
    check_can_use_cm_workspace(request.user)
    return render(request, "community/cm_dashboard.html", {"counts": selectors.community_counts()})


@require_safe
def search(request):
    form = MemberSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    members = list(selectors.members_for(request.user, query=query)[:20]) if query else []
    return render(request, "community/search.html", {"form": form, "query": query, "members": members})
