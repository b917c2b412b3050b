"""View decorators shared by the apps."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse

HTMX_STOP_POLLING = 286  # htmx swaps the (empty) answer and stops polling the element


def member_required(view):
    """`login_required` that also speaks htmx: a logged-out tab's htmx request is sent to the login
    page as a whole page (HX-Redirect), never gets the login page swapped into a fragment."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if getattr(request, "htmx", False):
            if request.method in ("GET", "HEAD"):
                # A poll (the bell) from a logged-out tab: it goes away and stops asking.
                return HttpResponse(status=HTMX_STOP_POLLING)
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(request.htmx.current_url_abs_path or "/").url
            return response
        return redirect_to_login(request.get_full_path())

    return wrapper
