"""/cm/: the workspace's front page (the community health dashboard)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from community import selectors
from community.decorators import member_required
from community.permissions import check_can_use_cm_workspace


@require_safe
@member_required  # a visitor is asked to log in; a member without the role gets 403
def dashboard(request):
    check_can_use_cm_workspace(request.user)
    return render(request, "cm/dashboard.html", {"counts": selectors.community_counts()})
