"""What the forums bring to a member's public profile (community.activity): the topics they
started and their replies, as the viewer may read them — forums above the viewer's read level
left out, then the one visibility rule (community.permissions.profile.activity_visibility).
Registered at import, from the forums' ready()."""

from django.utils.translation import gettext_lazy as _

from community.activity import register_activity
from community.permissions import readable_forums_filter
from community.permissions.profile import activity_visibility

from .models import Post, Topic


def topics(viewer, member):
    return (Topic.objects.filter(author=member)
            .filter(readable_forums_filter(viewer, prefix="forum__"))
            .filter(activity_visibility(viewer))
            .select_related("forum")
            .only("pk", "title", "slug", "status", "created_at", "post_count", "is_solved",
                  "forum__id", "forum__name", "forum__slug")
            .order_by("-created_at", "-pk"))


def replies(viewer, member):
    return (Post.objects.filter(author=member, position__gt=1)
            .filter(readable_forums_filter(viewer, prefix="topic__forum__"))
            .filter(activity_visibility(viewer, prefix="topic__"))
            .filter(activity_visibility(viewer, deleted_field="is_deleted"))
            .select_related("topic__forum")
            .only("pk", "position", "status", "created_at", "body_html", "is_deleted", "reaction_count",
                  "topic__id", "topic__title", "topic__slug", "topic__forum__id", "topic__forum__name",
                  "topic__forum__slug")
            .order_by("-created_at", "-pk"))


register_activity("forums.topics", label=_("Topics"), empty=_("No topics yet."), items=topics, order=10,
                  template="forums/includes/activity_topics.html")
register_activity("forums.posts", label=_("Forum posts"), empty=_("No forum posts yet."), items=replies, order=20,
                  template="forums/includes/activity_posts.html")
