"""The casting area's Django admin pages: castings and their history, read-only for the record
(every step is a service of the workspace, audit-logged; the admin does not bypass them)."""

from django.contrib import admin

from ..models import Casting, CastingStep


class CastingStepInline(admin.TabularInline):
    model = CastingStep
    extra = 0
    can_delete = False
    fields = ("at", "action", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Casting)
class CastingAdmin(admin.ModelAdmin):
    list_display = ("member", "kind", "title", "status", "starts_on", "ends_on", "space_state", "cast_by")
    list_filter = ("status", "kind", "space_state")
    search_fields = ("member__username", "title")
    list_select_related = ("member", "cast_by")
    readonly_fields = [field.name for field in Casting._meta.fields]
    inlines = [CastingStepInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
