"""The talent board's filters and the CM note form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community import talent
from community.models import Skill

from ..models import Period

MEDIA_LABELS = talent.media_labels()


class BoardFilters(forms.Form):
    """GET filters: an unknown value is a form error (400 with the message), never a 500."""

    period = forms.TypedChoiceField(label=_("Period"), choices=Period.choices, coerce=int, required=False,
                                    empty_value=Period.QUARTER, initial=Period.QUARTER)
    area = forms.ChoiceField(label=_("Area"), required=False)
    skill = forms.ChoiceField(label=_("Skill"), choices=[("", _("Any skill")), *Skill.choices], required=False)
    verified = forms.BooleanField(label=_("verified skills only"), required=False)
    media = forms.ChoiceField(label=_("Media"), required=False,
                              choices=[("", _("Any media")), *((key, MEDIA_LABELS[key]) for key in talent.MEDIA)])

    def __init__(self, data=None, *, areas=(), **kwargs):
        if data is not None and not data.get("period"):  # the list shows the period the board uses
            data = data.copy()
            data["period"] = str(Period.QUARTER)
        super().__init__(data, **kwargs)
        self.fields["area"].choices = [("", _("Every area")), *areas]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {"period": data.get("period") or Period.QUARTER, "area": data.get("area") or "",
                "skill": data.get("skill") or "", "verified": bool(data.get("verified")),
                "media": data.get("media") or ""}


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Private note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                           help_text=_("Seen by community managers and staff only, never by the member."))
