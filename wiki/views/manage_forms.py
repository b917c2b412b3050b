"""The manage area's forms (protection, move, delete/restore, the discussion's first message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import EDIT_LEVELS, READ_LEVELS
from ..services.protection import REASON_MAX


class ProtectForm(forms.Form):
    read_level = forms.TypedChoiceField(label=_("Who may read this page"), choices=READ_LEVELS, coerce=int)
    edit_level = forms.TypedChoiceField(label=_("Who may edit this page"), choices=EDIT_LEVELS, coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False,
                             help_text=_("Shown in the page's log."))

    def clean(self):
        data = super().clean()
        if data.get("read_level") is not None and data.get("edit_level") is not None \
                and data["edit_level"] < data["read_level"]:
            data["edit_level"] = data["read_level"] if data["read_level"] >= 1 else data["edit_level"]
        return data


class MoveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    parent = forms.CharField(label=_("Under the page"), max_length=1000, required=False,
                             help_text=_("Its address, e.g. “guides/” (empty: the wiki's home page)."))
    slug = forms.CharField(label=_("Address"), max_length=80, required=False,
                           help_text=_("The last part of the page's address (empty: made from the title)."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False,
                             help_text=_("Shown in the page's log."))


class DiscussForm(forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000,
                           help_text=_("The topic's first post, in your name. A link to the page is added "
                                       "if your text has none."))
