"""The scouting area's Django admin pages: scores and runs read-only (the nightly job writes them);
CM notes read-only too (written from the member card, where each is audit-logged)."""

from django.contrib import admin

from ..models import MemberNote, TalentRun, TalentScore


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TalentScore)
class TalentScoreAdmin(ReadOnly):
    list_display = ("member", "period", "score", "computed_at")
    list_filter = ("period",)
    search_fields = ("member__username",)
    list_select_related = ("member",)
    raw_id_fields = ("member",)


@admin.register(TalentRun)
class TalentRunAdmin(ReadOnly):
    list_display = ("started_at", "finished_at", "members", "seconds")


@admin.register(MemberNote)
class MemberNoteAdmin(ReadOnly):
    list_display = ("member", "author", "created")
    search_fields = ("member__username", "author__username")
    list_select_related = ("member", "author")
    raw_id_fields = ("member", "author")
