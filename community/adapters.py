"""django-allauth hooks: new members get their profile and role; confirmed ones a welcome email;
banned and suspended members cannot log in."""

from allauth.account.adapter import DefaultAccountAdapter
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import services
from .permissions import check_not_sanctioned


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.set_up_member(user=user)
        return user

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.welcome_member(user=email_address.user)
        return confirmed

    def pre_login(self, request, user, **kwargs):
        try:
            check_not_sanctioned(user)
        except PermissionDenied as exc:
            reason = _sanction_reason(user)
            messages.error(request, str(exc) if not reason else
                           _("%(refusal)s The moderators' reason: “%(reason)s”") % {"refusal": exc, "reason": reason})
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)


def _sanction_reason(user) -> str:
    """The reason of the member's latest ban or suspension (kept by the moderation app), if any."""
    try:
        sanction_model = apps.get_model("moderation", "Sanction")
    except LookupError:
        return ""
    latest = (sanction_model.objects.active().filter(member=user, kind__in=["ban", "suspend"])
              .order_by("-created_at").values_list("reason", flat=True).first())
    return latest or ""
