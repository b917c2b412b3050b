"""The mediation area's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .escalations import NOTE_MAX


class EscalationForm(forms.Form):
    note = forms.CharField(
        label=_("Note to staff"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the matter is, what you did already, what you need from staff. Staff and community "
                    "managers read it; the member never does."))
