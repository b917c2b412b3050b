"""The wiki's forms: a new page, an edit (title, text, summary, minor edit, the revision it started from)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community import writing

from .services import editing


class PageBodyField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Text"))
        kwargs.setdefault("help_text", _("Markdown is supported. Link to other pages with [[Page title]], "
                                         "[[path/to/page]] or [[path/to/page|label]]."))
        super().__init__(strip=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return editing.prepare_body(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class PageTitleField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Title"))
        super().__init__(max_length=writing.TITLE_MAX, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return writing.clean_title(value, empty_message=_("Give the page a title."))
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class NewPageForm(forms.Form):
    title = PageTitleField()
    body = PageBodyField(widget=forms.Textarea(attrs={"rows": 18}))
    summary = forms.CharField(label=_("Summary"), max_length=editing.SUMMARY_MAX, required=False,
                              help_text=_("A few words on what you wrote (shown in the history)."))


class EditPageForm(forms.Form):
    title = PageTitleField()
    body = PageBodyField(widget=forms.Textarea(attrs={"rows": 24}))
    summary = forms.CharField(label=_("Summary"), max_length=editing.SUMMARY_MAX, required=False,
                              help_text=_("What you changed and why (shown in the history)."))
    minor = forms.BooleanField(label=_("This is a minor edit (spelling, layout)"), required=False)
    base = forms.IntegerField(min_value=0, max_value=999_999_999, widget=forms.HiddenInput)
