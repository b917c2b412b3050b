"""The curation forms: they read what was typed; the rules are the services' (cm.curation.services),
whose ValidationErrors come back onto these fields."""

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import featuring

from ..models import AnnouncementKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _when(label, *, help_text=""):
    return forms.DateTimeField(label=label, required=False, widget=DateTimeInput(), help_text=help_text)


def _timezone_help(text):
    return _("%(text)s Times are in %(zone)s.") % {"text": text, "zone": timezone.get_current_timezone_name()}


class FeatureForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=featuring.choices)
    item = forms.CharField(label=_("Address or number"), max_length=500,
                           help_text=_("Paste the item's address on this site (e.g. a topic's or a post's), "
                                       "or type its number."))
    starts_at = _when(_("From"))
    ends_at = _when(_("Until"))
    note = forms.CharField(label=_("Note for the other community managers"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _timezone_help(_("Empty: now."))
        self.fields["ends_at"].help_text = _timezone_help(_("Empty: until you end it."))


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("A sentence or two; Markdown (links, bold, italics)."))
    # A text input (inputmode url): the browser's type="url" would refuse "example.org/meetup" before
    # the server could add the https:// it assumes.
    link_url = forms.URLField(label=_("Link (optional)"), required=False, max_length=500, assume_scheme="https",
                              validators=[URLValidator(schemes=["http", "https"])],
                              widget=forms.TextInput(attrs={"inputmode": "url"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices, initial=AnnouncementKind.COMMUNITY,
                             widget=forms.RadioSelect,
                             help_text=_("A partner's or a sponsored announcement is always labelled as such, "
                                         "with their name."))
    sponsor_name = forms.CharField(label=_("Partner or sponsor"), max_length=120, required=False)
    starts_at = _when(_("From"))
    ends_at = _when(_("Until"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _timezone_help(_("Empty: now."))
        self.fields["ends_at"].help_text = _timezone_help(_("Empty: until you end it."))

    @classmethod
    def for_announcement(cls, announcement):
        return cls(initial={name: getattr(announcement, name) for name in
                            ("title", "body", "link_url", "kind", "sponsor_name", "starts_at", "ends_at")})
