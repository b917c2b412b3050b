from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import translation

from .permissions import check_not_sanctioned


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
