"""What the contributor spaces bring to a member's public profile (community.activity): the
spaces they hold, the posts in those spaces and their comments on posts — live, public (Wagtail's
privacy respected) and visible by the one rule (community.permissions.profile). Registered at
import, from the blogs' ready()."""

from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _

from community import spaces as space_states
from community.activity import register_activity
from community.permissions.profile import activity_visibility, sees_held_space_posts

from .models import Comment, SpacePage, SpacePostPage, readable_posts


def _held_by(member):
    return Q(space_owner=member) | Q(co_authors=member)


def spaces(viewer, member):
    held = SpacePage.objects.filter(_held_by(member)).values("pk")
    shown = SpacePage.objects.live().public().filter(pk__in=held)
    if not sees_held_space_posts(viewer, member):  # a paused space: for its holders and CMs only
        shown = shown.exclude(state=space_states.PAUSED)
    return (shown
            .select_related("space_owner")
            .order_by("title", "pk"))


def space_posts(viewer, member):
    """Posts in the spaces the member holds (a post's space is its parent page: its path less one
    step). Drafts and private posts never; posts held by moderation for the member and CMs only."""
    held_paths = SpacePage.objects.live().filter(_held_by(member)).values("path")
    posts = (SpacePostPage.objects.live().public() if sees_held_space_posts(viewer, member) else readable_posts())
    return (posts.annotate(space_path=Substr("path", 1, Length("path") - SpacePostPage.steplen))
            .filter(space_path__in=held_paths)
            .select_related("thread")
            .order_by("-date", "-pk"))


def comments(viewer, member):
    """The member's comments on posts every reader may open (live, public, not held)."""
    readable = readable_posts().values("pk")
    return (Comment.objects.filter(author=member, post_id__in=readable)
            .filter(activity_visibility(viewer, deleted_field="is_deleted"))
            .select_related("post")
            .only("pk", "number", "status", "created_at", "body_html", "is_deleted",
                  "post__id", "post__title")
            .order_by("-created_at", "-pk"))


register_activity("blogs.spaces", label=_("Spaces"), empty=_("No spaces yet."), items=spaces, order=30,
                  template="blogs/includes/activity_spaces.html")
register_activity("blogs.posts", label=_("Posts in their spaces"), empty=_("No posts in their spaces yet."),
                  items=space_posts, order=40, template="blogs/includes/activity_space_posts.html")
register_activity("blogs.comments", label=_("Comments"), empty=_("No comments yet."), items=comments, order=50,
                  template="blogs/includes/activity_comments.html")
