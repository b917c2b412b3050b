from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from . import services
from .models import Forum, ModerationLogEntry, Post, PostRevision, Topic


@admin.register(Forum)
class ForumAdmin(MPTTModelAdmin):
    list_display = ("name", "is_category", "is_questions", "access", "topic_count", "post_count", "last_post_at")
    list_filter = ("is_category", "is_questions", "access")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("moderators",)
    readonly_fields = ("topic_count", "post_count", "last_post_at", "read_level")
    exclude = ("last_post",)

    def save_model(self, request, obj, form, change):
        # Read levels of the subtree follow the parent's (services.save_forum keeps them exact).
        services.save_forum(forum=obj)


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    readonly_fields = ("body", "editor", "created_at", "reason")
    exclude = ("body_html",)
    can_delete = False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "forum", "author", "status", "is_pinned", "is_locked", "is_solved", "post_count",
                    "last_post_at")
    list_filter = ("status", "is_pinned", "is_locked", "is_solved", "forum")
    search_fields = ("title", "author__username")
    list_select_related = ("forum", "author")
    # Member text, visibility and moves go through the site's services (checks, counters, the review
    # index); pinning and locking here go through them too.
    fields = ("title", "slug", "forum", "author", "status", "spam_status", "is_pinned", "is_locked", "is_solved",
              "post_count", "last_position", "last_post_at", "created_at")
    readonly_fields = ("title", "slug", "forum", "author", "status", "spam_status", "is_solved", "post_count",
                       "last_position", "last_post_at", "created_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # topics are started on the site (checks, counters, notifications)

    def save_model(self, request, obj, form, change):
        if "is_pinned" in form.changed_data:
            services.set_pinned(actor=request.user, topic=obj, pinned=obj.is_pinned)
        if "is_locked" in form.changed_data:
            services.set_locked(actor=request.user, topic=obj, locked=obj.is_locked)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("__str__", "author", "status", "spam_status", "is_deleted", "reaction_count", "created_at")
    list_filter = ("status", "spam_status", "is_deleted")
    search_fields = ("body", "author__username", "topic__title")
    list_select_related = ("topic", "author")
    # Read-only: a post is edited on the site (rendering, watched words, the spam check, history)
    # and judged in the review queue; the actions below go through the moderation services.
    fields = ("topic", "author", "position", "body", "status", "spam_status", "is_deleted", "created_at",
              "edited_at", "edit_count", "reaction_count")
    readonly_fields = fields
    actions = ["hide_posts", "restore_posts"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Hide the selected posts"))
    def hide_posts(self, request, queryset):
        for post in queryset.select_related("topic__forum"):
            services.hide_post(actor=request.user, post=post, reason="admin")

    @admin.action(description=_("Restore the selected posts"))
    def restore_posts(self, request, queryset):
        for post in queryset.select_related("topic__forum"):
            services.restore_post(actor=request.user, post=post)
    inlines = [PostRevisionInline]
    date_hierarchy = "created_at"


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "topic", "post", "detail")
    list_filter = ("action",)
    list_select_related = ("actor", "topic", "post__topic")
    readonly_fields = ("created_at", "actor", "action", "topic", "post", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

