"""django-allauth hooks: usernames that look like no one else's; new members get their profile and
role; confirmed ones a welcome email; banned and suspended members cannot log in."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.views import SignupView as AllauthSignupView
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import identity, services
from .models import User
from .permissions import check_not_sanctioned


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        """allauth's checks (validators, its exact-name blacklist, case-insensitive uniqueness) on the
        NFKC form, then ours: no invisible characters, one alphabet, not a reserved name's look-alike
        (ACCOUNT_USERNAME_BLACKLIST), not a member's look-alike."""
        username = super().clean_username(identity.check_username_text(username), shallow=shallow)
        if not shallow and User.objects.confusable_with(username).exists():
            raise identity.taken_error()
        return username

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if commit:
            with transaction.atomic():  # a savepoint: a lost race (IntegrityError) leaves the request usable
                user.save()
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


class SignupView(AllauthSignupView):
    """allauth's signup page, answering 400 to a refused form, and a form error (not a 500) to a
    look-alike username saved by someone else between our check and our insert: the unique index
    refuses it, the form is validated again and now names the taken username."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            again = self.get_form_class()(**self.get_form_kwargs())
            if again.is_valid():  # not a username after all (an address taken in the same instant)
                again.add_error(None, _("Your account could not be created. Please try again."))
            return self.form_invalid(again)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


signup = SignupView.as_view()
