"""The spaces' own actions beside Wagtail's page serving."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import SpacePage


@require_POST
def follow(request, space_id):
    """Follow (`follow=1`) or stop following a live space; members only."""
    space = SpacePage.objects.live().public().filter(pk=space_id).first()
    if space is None:
        raise Http404(_("No such space."))
    if not request.user.is_authenticated:
        return redirect_to_login(space.url)
    following = request.POST.get("follow") == "1"
    services.set_follow(actor=request.user, space=space, following=following)
    messages.success(request, _("You follow this space: its new posts will be in your notifications.")
                     if following else _("You no longer follow this space."))
    return redirect(space.url)
