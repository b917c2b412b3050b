"""Every permission rule of Tribune, written once (DESIGN.md), split by domain.

Each rule is a `check_…(actor, …)` that raises PermissionDenied (or Http404 where the thing must
not be known to exist) with a translated message; `can(check, …)` turns a rule into a boolean,
`TemplatePerms` exposes booleans to templates, and the `…_filter` / `…_visibility` functions give
the same rules as `Q` objects for lists. Nothing outside this package decides who may do what.

- core: roles, capabilities, a member's state (computed once per request), sanctions, posting
- content: the one visibility rule of member content ("published, or mine and pending, or I
  moderate it"), reporting
- members: profiles, the directory, read levels and who may read a level, who the CMs are
- moderation: moderating, sanctions, staff alerts, the new-member limits' exemptions
- workspace: the CM workspace and casting
- wiki: reading a page (its read level), editing it (its protection), managing the wiki (protect,
  move, delete, restore, patrol)
- spaces: the contributor spaces (following one, reading a post, its comments, the lists of
  comments to decide, Wagtail's page chooser)
- forums: the forums' rules
"""

from functools import cached_property

from .content import (
    check_can_read_text,
    check_can_report,
    content_visibility,
    may_read_text,
    may_view_content,
)
from .core import (
    CAST,
    CM_WORKSPACE,
    MODERATE,
    OWN_SPACE,
    POST,
    MemberState,
    Role,
    can,
    check_can_post,
    check_not_sanctioned,
    state_for,
)
from .forums import (
    check_can_accept_answer,
    check_can_delete_post,
    check_can_edit_post,
    check_can_moderate_forum,
    check_can_quote_post,
    check_can_react,
    check_can_read_forum,
    check_can_read_post,
    check_can_read_post_history,
    check_can_read_post_text,
    check_can_read_topic,
    check_can_reply,
    check_can_start_topic,
    check_can_watch,
    check_can_watch_forum,
    forum_content_visibility,
    is_forum_moderator,
    may_read_post,
    may_see_redacted_revisions,
    moderated_forum_ids,
    readable_forums_filter,
)
from .members import (
    check_can_edit_profile,
    check_can_view_profile,
    community_managers_filter,
    may_read_profile,
    may_see_profile_text,
    notified_members_filter,
    read_level,
    readers_filter,
    visible_members_filter,
)
from .moderation import (
    check_can_acknowledge_warning,
    check_can_choose_staff_alerts,
    check_can_moderate,
    check_can_sanction,
    is_exempt_from_new_member_limits,
    may_choose_staff_alerts,
)
from .spaces import (
    CLOSED,
    MODERATED,
    OPEN,
    REJECTED,
    WAITING,
    check_can_comment,
    check_can_delete_comment,
    check_can_edit_comment,
    check_can_follow_space,
    check_can_moderate_comment,
    check_can_moderate_comments,
    check_can_read_space_post,
    check_can_see_waiting_comments,
    comment_waits,
    decides_as_community_manager,
    holds_space,
    may_choose_any_page,
    may_read_space_post,
    may_view_comment,
    moderates_space,
    waiting_comments_filter,
)
from .wiki import (
    check_can_create_page,
    check_can_edit_page,
    check_can_manage_wiki,
    check_can_read_page,
    check_can_watch_page,
    edit_needs_patrol,
    may_manage_wiki,
    may_read_page,
    readable_pages_filter,
)
from .workspace import (
    check_can_cast_members,
    check_can_open_cms,
    check_can_use_cm_workspace,
    check_can_use_cms_site_wide_tools,
)


class TemplatePerms:
    """Booleans for templates (exposed as `tribune_perms`), computed from the rules above."""

    def __init__(self, user):
        self.user = user
        self.state = state_for(user)

    @cached_property
    def can_post(self):
        return can(check_can_post, self.user)

    @cached_property
    def can_moderate(self):
        return can(check_can_moderate, self.user)

    @cached_property
    def can_use_cm_workspace(self):
        return can(check_can_use_cm_workspace, self.user)

    @property
    def is_staff(self):
        return self.state.is_staff

    @property
    def role_label(self):
        return self.state.role_label


__all__ = [
    "check_can_create_page", "check_can_edit_page", "check_can_manage_wiki", "check_can_read_page",
    "check_can_watch_page", "edit_needs_patrol", "may_manage_wiki", "may_read_page", "readable_pages_filter",
    "CAST", "CM_WORKSPACE", "MODERATE", "OWN_SPACE", "POST", "MemberState", "Role", "TemplatePerms", "can",
    "check_can_accept_answer", "check_can_acknowledge_warning", "check_can_cast_members", "check_can_choose_staff_alerts", "check_can_delete_post",
    "check_can_edit_post", "check_can_follow_space", "check_can_edit_profile", "check_can_moderate", "check_can_moderate_forum", "check_can_open_cms",
    "check_can_post", "check_can_react", "check_can_read_forum", "check_can_read_post",
    "check_can_quote_post", "check_can_read_post_history", "check_can_read_post_text", "check_can_read_text",
    "check_can_read_topic", "check_can_reply", "check_can_report",
    "check_can_sanction", "check_can_start_topic", "check_can_use_cm_workspace", "check_can_use_cms_site_wide_tools", "check_can_view_profile",
    "check_can_watch", "check_can_watch_forum", "check_not_sanctioned", "community_managers_filter", "content_visibility",
    "may_read_post", "may_read_profile", "may_read_text", "may_see_redacted_revisions",
    "forum_content_visibility", "is_exempt_from_new_member_limits", "is_forum_moderator",
    "may_choose_staff_alerts", "may_see_profile_text", "may_view_content", "moderated_forum_ids", "read_level",
    "notified_members_filter", "readable_forums_filter", "readers_filter", "state_for", "visible_members_filter",
    # spaces
    "CLOSED", "MODERATED", "OPEN", "check_can_comment", "check_can_delete_comment", "check_can_edit_comment",
    "check_can_moderate_comment", "check_can_moderate_comments", "check_can_see_waiting_comments", "check_can_read_space_post", "comment_waits",
    "holds_space", "may_choose_any_page", "may_read_space_post", "may_view_comment", "moderates_space",
    "REJECTED", "WAITING", "decides_as_community_manager", "waiting_comments_filter",
]
