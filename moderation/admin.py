from django.contrib import admin

from .models import BayesStats, BlockedDomain, SpamCheck


@admin.register(SpamCheck)
class SpamCheckAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "object_id", "author", "verdict", "score", "reasons"]
    list_filter = ["verdict", "kind"]
    list_select_related = ["author"]
    search_fields = ["author__username"]
    readonly_fields = [field.name for field in SpamCheck._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(BlockedDomain)
class BlockedDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "note", "created_at"]
    search_fields = ["domain"]


@admin.register(BayesStats)
class BayesStatsAdmin(admin.ModelAdmin):
    list_display = ["pk", "spam_docs", "ham_docs", "vocabulary", "updated_at"]
    readonly_fields = ["spam_docs", "ham_docs", "spam_tokens", "ham_tokens", "vocabulary", "updated_at"]

    def has_add_permission(self, request):
        return False
