from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from . import events
from .models import AlertSettings, Event, Notification, NotificationPreference, Profile, User
from .writing import clean_name


class MemberChangeForm(UserChangeForm):
    """The member's page: the username is checked by User.clean (no look-alike, one alphabet, no
    invisible character; staff may give a reserved name), the display name cleaned as on the profile."""

    def clean_display_name(self):
        return clean_name(self.cleaned_data.get("display_name", ""))


class ProfileAdminForm(forms.ModelForm):
    """Staff edit the Markdown source; `ProfileAdmin.save_model` hands it to the profile service."""

    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Profile
        fields = ("bio", "website", "location")

    def clean_location(self):
        return clean_name(self.cleaned_data.get("location", ""))


class ProfileInline(admin.StackedInline):
    """Shown on the member's page; edited on the profile's own admin page (through the service)."""

    model = Profile
    can_delete = False
    fields = ("bio", "website", "location", "avatar", "status", "spam_status")
    readonly_fields = fields


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = MemberChangeForm
    inlines = [ProfileInline]
    list_display = ("username", "display_name", "email", "is_active", "is_staff", "date_joined",
                    "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups", "trust_level", "language", "date_joined")
    search_fields = ("username", "display_name", "email")
    ordering = ("-date_joined",)
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Community"), {"fields": ("display_name", "language", "trust_level")}),
        (_("Sanctions"), {"fields": ("silenced_until", "suspended_until", "banned_at"),
                          "description": _("Sanctions are given and lifted on the member's moderation page "
                                           "(/moderation/members/<username>/), which keeps their history and "
                                           "the audit log.")}),
    )
    readonly_fields = ("silenced_until", "suspended_until", "banned_at")
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # A look-alike username was saved by someone else between the form's check and this
            # save (the unique skeleton refused it; the change was rolled back): validate again,
            # and the form now says the name is taken.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if request.method == "POST" and context.get("errors"):
            response.status_code = 400  # refused input, as everywhere else
        return response

    def save_related(self, request, form, formsets, change):
        # Every new member gets their profile and the Members role, as at signup (the inline is
        # read-only: the profile's text is written on its own admin page, through its service).
        super().save_related(request, form, formsets, change)
        if not change:
            from .services import set_up_member

            set_up_member(user=form.instance)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ("user", "location", "status", "spam_status", "updated_at")
    list_filter = ("status", "spam_status")
    search_fields = ("user__username", "user__display_name", "user__email", "bio", "location")
    list_select_related = ("user",)
    fields = ("user", "bio", "website", "location", "status", "spam_status", "updated_at")
    readonly_fields = ("user", "status", "spam_status", "updated_at")  # decisions: the review queue

    def has_add_permission(self, request):
        return False  # every member gets a profile when the account is made

    def save_model(self, request, obj, form, change):
        from .services import edit_profile_text

        edit_profile_text(actor=request.user, profile=obj, bio=form.cleaned_data["bio"],
                          website=form.cleaned_data["website"], location=form.cleaned_data["location"])


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "attempts", "created_at", "sent_at", "processed_at")
    list_filter = ("status", "kind")
    search_fields = ("kind", "key")
    readonly_fields = [f.name for f in Event._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected pending events again"))
    def resend(self, request, queryset):
        sent = sum(events.enqueue(pk, kind) for pk, kind in queryset.filter(status="pending").values_list("pk", "kind"))
        self.message_user(request, _("%(count)d events sent to the queue.") % {"count": sent})


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "channel", "email_status", "read_at")
    list_filter = ("kind", "channel", "email_status")
    search_fields = ("recipient__username", "recipient__email", "group_key")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "actor", "event")
    readonly_fields = [f.name for f in Notification._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "channel")
    list_filter = ("kind", "channel")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "quiet_start", "quiet_end", "time_zone")
    raw_id_fields = ("user",)
