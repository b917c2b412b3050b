"""The public profile's rules: what a member's activity shows to a viewer, and who declares a
member's skills.

Activity lists are the one visibility rule (`content.content_visibility`) with, in addition,
text its author deleted left out for whoever does not moderate (`may_view_content(deleted=…)`
says the same for one row). Places with their own access (a forum's read level, a space's
privacy) are filtered by their own rules beside this one (`readable_forums_filter`,
`may_read_space_post`).
"""

from __future__ import annotations

from django.db.models import Q

from .content import content_visibility
from .core import state_for
from .members import check_can_edit_profile


def activity_visibility(viewer, *, prefix: str = "", author_field: str = "author", deleted_field: str | None = None,
                        moderates: bool | None = None) -> Q:
    """Rows of a member's activity `viewer` may see listed: published, or the viewer's own awaiting
    review, or everything for who moderates (default: community managers); never text its author
    deleted, except for who moderates."""
    if moderates is None:
        moderates = state_for(viewer).is_community_manager
    visible = content_visibility(viewer, moderates=moderates, author_field=author_field, prefix=prefix)
    if deleted_field and not moderates:
        visible &= Q(**{f"{prefix}{deleted_field}": False})
    return visible


def sees_held_space_posts(viewer, member) -> bool:
    """Posts of a member's spaces held by moderation are listed for the spaces' holder (the member
    themself, looking at their own profile) and community managers — as `may_read_space_post`
    lets them read such a post on its page."""
    if not viewer.is_authenticated:
        return False
    return viewer.pk == member.pk or state_for(viewer).is_community_manager


def check_can_declare_skills(actor, member):
    """Skills are part of a member's public profile: the profile's rule (its owner while they may
    publish, staff for anyone)."""
    check_can_edit_profile(actor, member)
