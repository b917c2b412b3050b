from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services


class BodyField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault("help_text", _("Markdown is supported. Mention members with @username."))
        super().__init__(strip=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return services.clean_body(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=services.TITLE_MAX)
    body = BodyField(widget=forms.Textarea(attrs={"rows": 10}))

    def clean_title(self):
        try:
            return services.clean_title(self.cleaned_data["title"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class ReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 6}))
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditPostForm(forms.Form):
    body = BodyField(widget=forms.Textarea(attrs={"rows": 10}))
    reason = forms.CharField(
        label=_("Reason for the edit"), max_length=200, required=False,
        help_text=_("A moderator who edits someone else's post with a reason redacts it: the earlier "
                    "versions are then shown to moderators only, and the author is told why."))


class MoveTopicForm(forms.Form):
    forum = forms.TypedChoiceField(label=_("Move to"), coerce=int)

    def __init__(self, *args, forums=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].choices = [(f.pk, ("— " * f.level) + f.name) for f in forums]
