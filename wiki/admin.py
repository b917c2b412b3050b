"""The wiki in the Django admin: pages, revisions and the page log, for staff to browse and search.

Everything here is read-only: a page's text, title, path, protection, deletion and moves change
through the wiki's services (its own pages, which check permissions, keep the history and the log,
and keep the current revision, links and counters exact); a revision is immutable and changes
visibility through the review queue. The one write offered here, "Mark as patrolled", goes through
`services.patrol.patrol_many`. Nothing is added or deleted from the admin."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from .models import Page, PageLog, Revision
from .services.patrol import patrol_many


class ServicesOnlyAdmin(admin.ModelAdmin):
    """Browsable and searchable; written only by the wiki's services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Page)
class PageAdmin(ServicesOnlyAdmin):
    list_display = ["title", "path", "revision_count", "read_level", "edit_level", "is_deleted", "updated_at",
                    "on_site"]
    list_filter = ["read_level", "edit_level", "is_deleted"]
    search_fields = ["title", "path"]
    date_hierarchy = "updated_at"
    ordering = ["path"]
    fields = ["title", "path", "parent", "slug", "current_revision", "revision_count", "last_number", "read_level",
              "edit_level", "is_deleted", "deleted_at", "deleted_by", "discussion_topic", "created_at", "updated_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body_html", "toc")

    @admin.display(description=_("on the site"))
    def on_site(self, page):
        return format_html('<a href="{}">{}</a>', page.get_absolute_url(), pgettext_lazy("admin link", "Open"))


@admin.register(Revision)
class RevisionAdmin(ServicesOnlyAdmin):
    # Few columns, so that the list fits 1280 px without scrolling: the title already names the page
    # ("Guide #3"); minor edits and the spam check are filters.
    list_display = ["__str__", "author", "created_at", "size_delta", "status", "patrolled"]
    list_filter = ["status", "spam_status", "patrolled", "minor"]
    list_select_related = ["page", "author"]
    search_fields = ["title", "summary", "page__path", "author__username"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    actions = ["mark_patrolled"]
    fields = ["page", "number", "title", "author", "created_at", "summary", "minor", "size", "size_delta",
              "reverts", "status", "spam_status", "patrolled", "patrolled_by", "patrolled_at", "added_text", "body"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("body", "body_html", "toc", "added_text")
        return queryset

    @admin.action(description=_("Mark as patrolled"))
    def mark_patrolled(self, request, queryset):
        changed = patrol_many(actor=request.user, revisions=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext("%(count)d edit marked as patrolled.",
                                            "%(count)d edits marked as patrolled.", changed) % {"count": changed},
                          messages.SUCCESS)


@admin.register(PageLog)
class PageLogAdmin(ServicesOnlyAdmin):
    list_display = ["created_at", "page", "action", "actor"]
    list_filter = ["action"]
    list_select_related = ["page", "actor"]
    search_fields = ["page__path", "actor__username"]
    date_hierarchy = "created_at"
    readonly_fields = ["page", "actor", "action", "detail", "created_at"]
