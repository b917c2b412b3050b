"""View decorators shared by the apps.

Every view says which methods it serves, outermost: `require_safe` (GET, HEAD) for pages,
`require_POST` for actions, `require_safe_or_post` for a form page that posts to itself; any other
method answers 405 (and community.middleware.SiteMethodsMiddleware refuses PUT, PATCH, DELETE… for
every URL, third-party views included)."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

HTMX_STOP_POLLING = 286  # htmx swaps the (empty) answer and stops polling the element

require_safe_or_post = require_http_methods(["GET", "HEAD", "POST"])
require_safe_or_post.__doc__ = "A form page: GET and HEAD show it, POST sends it; anything else is 405."


def member_required(view):
    """`login_required` that also speaks htmx: a logged-out tab's htmx request is sent to the login
    page as a whole page (HX-Redirect), never gets the login page swapped into a fragment.

    Pages for a role (the moderation pages, the CM workspace) use it too, before their permission
    check: a visitor is asked to log in (?next= the page), a member without the role gets 403."""

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
