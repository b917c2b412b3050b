"""The mediation area's Django admin pages: staff read the CMs' escalations and answer them.

Saving an answer goes through cm.mediation.escalations.answer_escalation (marked answered,
audit-logged, the CM and the member told), never a plain save; an answered escalation is read-only.
Only staff (community.permissions.mediation) see this page, whatever the Django permissions say."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.permissions.mediation import may_answer_escalations

from ..models import Escalation
from .escalations import answer_escalation

_SHOWN = ("status", "matter", "member", "escalated_by", "created_at", "note", "report")
_ANSWERED = ("answered_by", "answered_at")


class AnswerForm(forms.ModelForm):
    answer = forms.CharField(label=gettext_lazy("Staff answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=gettext_lazy("For the community manager who escalated it."))

    class Meta:
        model = Escalation
        fields = ["answer", "member_message"]


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "matter", "member", "escalated_by", "status", "answered_by")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("title", "note", "member__username", "escalated_by__username")
    list_select_related = ("member", "escalated_by", "answered_by")
    date_hierarchy = "created_at"
    form = AnswerForm

    @admin.display(description=gettext_lazy("Matter"))
    def matter(self, obj):
        if obj.object_id:
            label = obj.title or f"{obj.kind} #{obj.object_id}"
            return format_html('<a href="{}">{}</a>', obj.url, label) if obj.url else label
        return _("The member @%(username)s") % {"username": obj.member.username if obj.member else "?"}

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return (*_SHOWN, "answer", "member_message", *_ANSWERED)
        return (*_SHOWN, "answer", "member_message")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return (*_SHOWN, "answer", "member_message", *_ANSWERED)
        return _SHOWN

    def has_module_permission(self, request):
        return may_answer_escalations(request.user)

    def has_view_permission(self, request, obj=None):
        return may_answer_escalations(request.user)

    def has_change_permission(self, request, obj=None):
        return may_answer_escalations(request.user) and (obj is None or obj.is_open)

    def has_add_permission(self, request):
        return False  # CMs escalate from the workspace

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was asked and answered stays

    def save_model(self, request, obj, form, change):
        try:
            answered = answer_escalation(actor=request.user, escalation=obj, answer=form.cleaned_data["answer"],
                                         member_message=form.cleaned_data.get("member_message", ""))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return
        if answered:
            messages.success(request, _("Answered: the community manager and the member concerned are told."))
        else:
            messages.info(request, _("This escalation was already answered; nothing changed."))

    def save_related(self, request, form, formsets, change):
        pass  # nothing related is edited here
