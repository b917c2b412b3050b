from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .comments import COMMENT_MAX_BYTES, clean_comment_body


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), strip=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown is supported. Mention members with @username. Up to %(kib)d KiB.")
        % {"kib": COMMENT_MAX_BYTES // 1024})
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)

    def clean_body(self):
        try:
            return clean_comment_body(self.cleaned_data["body"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class CommentEditForm(CommentForm):
    parent = None
