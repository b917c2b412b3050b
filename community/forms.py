import unicodedata

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import avatars
from .models import Skill
from .writing import clean_name, has_visible, strip_text

BIO_MAX = 4000


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False,
                                   help_text=_("Shown instead of your username."))
    language = forms.ChoiceField(label=_("Preferred language"), required=False,
                                 choices=[("", _("Follow my browser"))] + list(settings.LANGUAGES))
    bio = forms.CharField(label=_("About me"), required=False, max_length=BIO_MAX,
                          widget=forms.Textarea(attrs={"rows": 6}),
                          help_text=_("Markdown is supported. Mention members with @username."))
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https",
                             help_text=_("An http:// or https:// address."))
    location = forms.CharField(label=_("Location"), required=False, max_length=80)
    # A FileField, not an ImageField: community.avatars decodes the picture once, with its own limits.
    avatar = forms.FileField(
        label=_("Avatar"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
        help_text=_("A PNG, JPEG, GIF or WebP image, at most 2 MB and 4096×4096 pixels. "
                    "An animated image keeps only its first frame."))
    remove_avatar = forms.BooleanField(label=_("Remove my current avatar"), required=False)
    skills = forms.MultipleChoiceField(
        label=_("My skills"), required=False, choices=Skill.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("What you can do for the community: shown on your profile; a community manager may "
                    "mark a skill verified."))

    def __init__(self, *args, has_avatar=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_avatar:  # nothing to remove: don't offer it
            del self.fields["remove_avatar"]

    def clean_display_name(self):
        return clean_name(self.cleaned_data["display_name"])

    def clean_location(self):
        return clean_name(self.cleaned_data["location"])

    def clean_bio(self):
        bio = strip_text(self.cleaned_data["bio"])
        return bio if has_visible(bio) else ""  # only invisible characters: no bio

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and not website.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Enter an http:// or https:// address."))
        if any(unicodedata.category(char) in ("Cc", "Cf", "Zs") for char in website):
            # An address that does not read as it leads (a direction override, a zero-width space).
            raise forms.ValidationError(_("Enter the address without spaces or invisible characters."))
        return website

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if not avatar:
            return None
        if avatar.size > settings.AVATAR_MAX_BYTES:
            raise forms.ValidationError(
                _("This image is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(avatar.size), "limit": filesizeformat(settings.AVATAR_MAX_BYTES)}
            )
        # Decoded and written again here, before the service's transaction: see community.avatars.
        return avatars.reencode(avatar)


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a member"), required=False, max_length=100)
    skill = forms.ChoiceField(label=_("Skill"), required=False, choices=[("", _("Any skill")), *Skill.choices],
                              error_messages={"invalid_choice": _("“%(value)s” is not a skill we know: "
                                                                  "choose one from the list.")})
