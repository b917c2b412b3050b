"""Casting's forms: the invitation (kind, title, term, words), a renewal, a hand-over."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import User

from ..models import GUEST_EXPERT
from . import services

DEFAULT_TERM_DAYS = 365


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's name)
        super().__init__(attrs, format=format)


class CastForm(forms.Form):
    kind = forms.ChoiceField(label=_("Cast as"), choices=())
    title = forms.CharField(label=_("Title of the space"), max_length=200, required=False,
                            help_text=_("A working title; the member can have it changed. Not needed for a guest expert."))
    starts_on = forms.DateField(label=_("Term starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Term ends"), widget=DateInput,
                              help_text=_("Renewable. You are reminded 14 days before it ends."))
    message = forms.CharField(label=_("Your invitation"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("The member reads it with the terms, on the site and by email."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = services.kinds()

    def clean(self):
        data = super().clean()
        for field, message in services.term_errors(data.get("starts_on"), data.get("ends_on")).items():
            if field in data:
                self.add_error(field, message)
        if data.get("kind") and data["kind"] != GUEST_EXPERT and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the space a title."))
        return data


def cast_initial(member, kind: str = "") -> dict:
    """The form prefilled: a term of a year from today, a title and words naming the member."""
    today = timezone.localdate()
    kinds = dict(services.kinds())
    kind = kind if kind in kinds else next(iter(kinds), "")
    return {"kind": kind, "starts_on": today, "ends_on": today + timedelta(days=DEFAULT_TERM_DAYS),
            "title": str(_("%(name)s's space")) % {"name": member.name},
            "message": str(_("Hello %(name)s, we love what you share with the community and would like to give "
                             "you a featured space of your own. Would you like it?")) % {"name": member.name}}


class RenewForm(forms.Form):
    ends_on = forms.DateField(label=_("New end of the term"), widget=DateInput)

    def clean_ends_on(self):
        # (the casting's own rules — later than its end, in the future — are the service's)
        ends_on = self.cleaned_data["ends_on"]
        if ends_on > services.latest_end():
            raise forms.ValidationError(services.latest_end_message())
        return ends_on


def renew_initial(casting) -> dict:
    """A year more than the current end (or than today, for a term over), never past the latest end."""
    latest = services.latest_end()
    start = min(max(casting.ends_on, timezone.localdate()), latest - timedelta(days=DEFAULT_TERM_DAYS))
    return {"ends_on": start + timedelta(days=DEFAULT_TERM_DAYS)}


class HandOverForm(forms.Form):
    username = forms.CharField(label=_("New owner (username)"), max_length=150)

    def clean_username(self):
        name = self.cleaned_data["username"].strip().lstrip("@")
        member = User.objects.filter(username__iexact=name, is_active=True).first()
        if member is None:
            raise forms.ValidationError(_("No active member has this username."))
        self.member = member
        return name
