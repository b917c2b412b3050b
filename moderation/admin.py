from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import domains, watched
from .forms import BlockedDomainAdminForm, WatchedWordAdminForm
from .models import (
    AuditLogEntry,
    BayesStats,
    BlockedDomain,
    Report,
    Sanction,
    SpamCheck,
    WatchedWord,
    WatchedWordHit,
)
from .spam.reasons import explain


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the moderation services: browsable, never added, edited or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpamCheck)
class SpamCheckAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "object_id", "author", "verdict", "score", "reasons"]
    list_filter = ["verdict", "kind"]
    list_select_related = ["author"]
    search_fields = ["author__username"]
    readonly_fields = [field.name for field in SpamCheck._meta.fields] + ["explanation"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("reasons, explained"))
    def explanation(self, check):
        """Each reason's label, its points and what showed it (members' words: escaped, never links)."""
        explained = explain(check)
        if not explained:
            return self.get_empty_value_display()
        rows = ((reason.label,
                 "" if reason.points is None else f" ({reason.points:+.1f})",
                 f": {', '.join(reason.evidence)}" if reason.evidence else "")
                for reason in explained)
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}{}{}</li>", rows))


@admin.register(BlockedDomain)
class BlockedDomainAdmin(admin.ModelAdmin):
    """Through the services (moderation.domains): the domain normalized, every change audit-logged."""

    list_display = ["domain", "note", "created_at"]
    search_fields = ["domain"]
    readonly_fields = ["created_at"]
    form = BlockedDomainAdminForm

    def save_model(self, request, obj, form, change):
        domains.save_blocked_domain(actor=request.user, blocked=obj)

    def delete_model(self, request, obj):
        domains.remove_blocked_domain(actor=request.user, blocked=obj)

    def delete_queryset(self, request, queryset):
        for blocked in queryset:
            domains.remove_blocked_domain(actor=request.user, blocked=blocked)


@admin.register(BayesStats)
class BayesStatsAdmin(admin.ModelAdmin):
    list_display = ["pk", "spam_docs", "ham_docs", "vocabulary", "updated_at"]
    readonly_fields = ["spam_docs", "ham_docs", "spam_tokens", "ham_tokens", "vocabulary", "updated_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "object_id", "reporter", "reason", "status", "outcome", "resolved_by"]
    list_filter = ["status", "reason", "kind", "outcome"]
    list_select_related = ["reporter", "resolved_by"]
    search_fields = ["reporter__username", "note"]
    readonly_fields = ["reporter", "kind", "object_id", "reason", "note", "created_at", "status", "resolved_at",
                       "resolved_by", "outcome"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # members report from the site; decisions go through the review queue

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is written by moderation services, never edited or deleted."""

    list_display = ["created_at", "actor", "action", "kind", "object_id", "reason"]
    list_filter = ["action", "kind"]
    list_select_related = ["actor"]
    search_fields = ["actor__username", "reason"]
    date_hierarchy = "created_at"


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    """Read-only: sanctions are given and lifted on /moderation/members/<username>/, which keeps the
    member's denormalized fields and the audit log in step."""

    list_display = ["created_at", "member", "kind", "ends_at", "created_by", "acknowledged_at", "lifted_at", "ended_at"]
    list_filter = ["kind"]
    list_select_related = ["member", "created_by"]
    search_fields = ["member__username", "reason"]
    date_hierarchy = "created_at"


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    """CMs keep the list on /moderation/words/ (with "test before enabling"); staff may edit it here,
    through the same services (audit log, normalized phrase, the matcher rebuilt everywhere)."""

    list_display = ["phrase", "action", "enabled", "note", "created_by", "updated_at"]
    list_filter = ["action", "enabled"]
    search_fields = ["phrase", "note"]
    filter_horizontal = ["watchers"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    form = WatchedWordAdminForm

    def save_model(self, request, obj, form, change):
        watched.save_word(actor=request.user, word=obj, watchers=form.cleaned_data.get("watchers", ()))

    def save_related(self, request, form, formsets, change):
        pass  # the watchers were saved by the service, in the same transaction

    def delete_model(self, request, obj):
        watched.delete_word(actor=request.user, word=obj)

    def delete_queryset(self, request, queryset):
        for word in queryset:
            watched.delete_word(actor=request.user, word=word)


@admin.register(WatchedWordHit)
class WatchedWordHitAdmin(admin.ModelAdmin):
    list_display = ["created_at", "word", "action", "kind", "object_id"]
    list_filter = ["action", "kind"]
    list_select_related = ["word"]
    readonly_fields = ["word", "kind", "object_id", "action", "created_at"]

    def has_add_permission(self, request):
        return False
