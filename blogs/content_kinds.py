"""The spaces' content kinds on the spine (community.content): posts and comments.

A post is a Wagtail page; moderation sees it through its own `status` (a report or a watched word
hides it without unpublishing it in Wagtail). Comments are ours, threaded with django-mptt.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community import content
from community.models import Visibility
from community.permissions import may_read_space_post, may_view_comment
from community.permissions.casting import may_read_space

from .comments import comment_visibility_changed
from .events import COMMENT_KIND, POST_KIND
from .models import Comment, SpacePostPage, post_parts


def can_view_post(user, post) -> bool:
    space = post.space
    return (may_read_space_post(user, live=post.live, status=post.status, space_holders=space.holder_ids,
                                restricted=post.is_restricted)
            and may_read_space(user, state=space.state, space_holders=lambda: space.holder_ids))


def can_view_comment(user, comment) -> bool:
    """The comments' text rule, asked by every URL that shows a comment and again by emails."""
    post = comment.post
    readable = (post.live and post.status == Visibility.PUBLISHED and not post.is_restricted
                and may_read_space(user, state=comment.space.state, space_holders=lambda: comment.space.holder_ids))
    return may_view_comment(user, post_readable=readable, author_id=comment.author_id, status=comment.status,
                            deleted=comment.is_deleted, space_holders=comment.space.holder_ids)


content.register(SpacePostPage, name=POST_KIND, label=pgettext_lazy("space post", "Post in a space"),
                 author="owner", text="excerpt", list_related=("owner",), can_view=can_view_post,
                 parts=post_parts, created="first_published_at")
content.register(Comment, name=COMMENT_KIND, label=_("Comment"), author="author", text="body",
                 on_visibility_change=comment_visibility_changed,
                 list_related=("author", "post", "space"), can_view=can_view_comment,
                 created="created_at", deleted="is_deleted",
                 held_by_place=lambda comment: comment.awaiting_holder)
