"""The curation area's Django admin pages: read-only (every write goes through cm.curation.services,
from /cm/curation/, where it is checked and audit-logged)."""

from django.contrib import admin

from ..models import Announcement, Feature


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feature)
class FeatureAdmin(ReadOnly):
    list_display = ("kind", "object_id", "position", "starts_at", "ends_at", "created_by")
    list_filter = ("kind",)


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnly):
    list_display = ("title", "kind", "sponsor_name", "starts_at", "ends_at", "created_by")
    list_filter = ("kind",)
    search_fields = ("title", "sponsor_name")
