from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you reporting this?"), choices=ReportReason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Anything the moderators should know? (optional)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
