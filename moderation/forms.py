from django import forms
from django.utils.translation import gettext_lazy as _

from .domains import normalize_domain
from .models import BlockedDomain, ReportReason, WatchedWord
from .watched import clean_phrase, normalize_phrase, validate_phrase


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you reporting this?"), choices=ReportReason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Anything the moderators should know? (optional)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class _PhraseRules:
    """clean_phrase for every form that saves a WatchedWord (the CMs' page and the admin)."""

    def clean_phrase(self):
        phrase = clean_phrase(self.cleaned_data.get("phrase") or "")
        problem = validate_phrase(phrase)
        if problem:
            raise forms.ValidationError(problem)
        clash = WatchedWord.objects.filter(normalized=normalize_phrase(phrase))
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This word is already watched (case and accents are ignored)."))
        return phrase


class WatchedWordForm(_PhraseRules, forms.ModelForm):
    watch = forms.BooleanField(label=_("Alert me when it is used"), required=False, initial=True,
                               help_text=_("Only for the “alert” action: the CMs who tick this are notified."))

    class Meta:
        model = WatchedWord
        fields = ["phrase", "action", "enabled", "note"]
        widgets = {"action": forms.RadioSelect}


class WatchedWordAdminForm(_PhraseRules, forms.ModelForm):
    class Meta:
        model = WatchedWord
        fields = ["phrase", "action", "enabled", "note", "watchers"]


class BlockedDomainAdminForm(forms.ModelForm):
    """The domain as the service will store it (normalized), and a clash with it refused on the form."""

    class Meta:
        model = BlockedDomain
        fields = ["domain", "note"]

    def clean_domain(self):
        domain = normalize_domain(self.cleaned_data.get("domain") or "")
        if not domain:
            raise forms.ValidationError(_("Enter a domain, e.g. cheap-pills.example."))
        clash = BlockedDomain.objects.filter(domain=domain)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This domain is already blocked."))
        return domain
