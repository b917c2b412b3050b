"""The mediation area's Django admin pages: staff read the CMs' escalations and answer them.

Saving an answer goes through cm.mediation.escalations.answer_escalation (marked answered,
audit-logged, the CM and the member told), never a plain save; an answered escalation is read-only
and says who answered it and when (an answer sent after another staff member's is not saved, and
what was typed is shown back, never a bare 403). Only staff (community.permissions.mediation) see this page, whatever the Django permissions say."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.permissions.mediation import may_answer_escalations

from ..models import Escalation
from .escalations import answer_escalation

_SHOWN = ("status", "matter", "member", "escalated_by", "created_at", "note", "report")
_ANSWERED = ("answered_by", "answered_at")


def answered_message(escalation) -> str:
    when = formats.date_format(timezone.localtime(escalation.answered_at), "DATETIME_FORMAT") \
        if escalation.answered_at else "?"
    who = escalation.answered_by.name if escalation.answered_by else "?"
    return _("This escalation was answered on %(when)s by %(who)s: it is shown read-only.") % {"when": when, "who": who}


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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """An answered escalation opens read-only with who answered it and when; an answer sent to it
        (another staff member answered first, or the form was sent twice) is not saved: the page
        says so and shows what was typed."""
        obj = self.get_object(request, object_id) if object_id else None
        if obj is None or obj.is_open or not may_answer_escalations(request.user):
            return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST":
            typed = (request.POST.get("answer") or "").strip()
            if typed and typed != obj.answer:
                messages.warning(request, _("Your answer was not saved (it had already been answered). What you "
                                            "wrote: %(answer)s") % {"answer": typed})
            return HttpResponseRedirect(request.path)
        messages.info(request, answered_message(obj))
        return super().changeform_view(request, object_id, form_url, extra_context)

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
