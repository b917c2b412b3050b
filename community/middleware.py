import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import translation

from .permissions import check_can_use_cms_site_wide_tools, check_not_sanctioned

# HTML forms and htmx send nothing else; each view narrows this further (require_safe, require_POST).
SITE_METHODS = ("GET", "HEAD", "POST")


class SiteMethodsMiddleware:
    """PUT, PATCH, DELETE, OPTIONS… answer 405 before any view runs, ours or a library's (allauth's
    form views treat PUT as POST, the admin's views serve any method)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SITE_METHODS:
            return HttpResponseNotAllowed(SITE_METHODS)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (settings.CONTENT_SECURITY_POLICY), plus per-path exceptions:
    the directives of the longest prefix of `CONTENT_SECURITY_POLICY_BY_PATH` that the path starts
    with replace the site's; a view's own `@csp_replace` still wins."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        by_path = getattr(settings, "CONTENT_SECURITY_POLICY_BY_PATH", None) or {}
        prefixes = [prefix for prefix in by_path if request.path_info.startswith(prefix)]
        if prefixes and not report_only:
            parts.replace = {**by_path[max(prefixes, key=len)], **(parts.replace or {})}
        return parts


class MemberStateMiddleware:
    """After authentication: end the session of a banned or suspended member at once, and speak
    the member's preferred language (the profile wins over the browser; visitors get the
    language cookie or Accept-Language through LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            try:
                check_not_sanctioned(user)
            except PermissionDenied as exc:
                logout(request)
                messages.error(request, str(exc))
                return redirect("account_login")
            if user.language and user.language != translation.get_language():
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class IncompleteFormMiddleware:
    """A form that arrives without a field its view reads (`request.POST["…"]`: a forged or
    truncated post — Wagtail's editor reads a StreamField's `body-count` so) is a bad request, 400,
    not a server error. Browsers sending the forms as served never meet it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render
        from django.utils.datastructures import MultiValueDictKeyError

        if isinstance(exception, MultiValueDictKeyError) and request.method == "POST":
            # Logged with its traceback: a view of ours reading a field its own form lacks is a bug.
            logging.getLogger("django.request").warning("Incomplete form %s: %s", request.path, exception,
                                                        exc_info=exception)
            return render(request, "400.html", status=400)
        from django.core.exceptions import ValidationError

        if isinstance(exception, ValidationError) and request.method == "POST" and request.path.startswith("/cms/"):
            # Wagtail's create view validates a page again on save, uncaught: two creations of the
            # same page crossing (an autosave and Publish, a double click) end here. A conflict, 409.
            logging.getLogger("django.request").warning("Editor conflict %s: %s", request.path, exception)
            return render(request, "400.html", {"reason": " ".join(exception.messages)}, status=409)
        return None


class EditorsAreaFence:
    """Wagtail's site-wide tools under /cms/ (bulk actions, the page types report) show the titles
    of pages anywhere in the tree, whatever the user may edit: only CMs and staff reach them
    (`permissions.check_can_use_cms_site_wide_tools`). Everything else in /cms/ is Wagtail's, with
    its page permissions."""

    FENCED = ("/cms/bulk/", "/cms/reports/page-types-usage/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.FENCED) and request.user.is_authenticated:
            check_can_use_cms_site_wide_tools(request.user)
        return self.get_response(request)
