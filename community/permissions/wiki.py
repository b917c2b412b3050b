"""The wiki's rules: who reads a page (its `read_level`), who edits it (its protection,
`edit_level`), who protects, moves, deletes and restores pages, and who patrols edits.

The rules take plain facts (levels, whether the page is deleted), never a wiki model: the core
imports no content app. Levels are those of `members.read_level` (0 anyone, 1 members,
2 contributors, 3 community managers). A page that may not be read is a 404, never a 403: its
existence is not told.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from .core import check_can_post, state_for
from .members import COMMUNITY_MANAGERS, MEMBERS, read_level
from .moderation import is_exempt_from_new_member_limits


def may_manage_wiki(actor) -> bool:
    """Community managers (and staff) protect, move, delete, restore pages and patrol edits."""
    state = state_for(actor)
    return state.is_authenticated and (state.is_community_manager or state.is_staff) and not (
        state.is_banned or state.is_suspended)


def may_read_page(actor, *, read_level_needed: int, deleted: bool) -> bool:
    if deleted and not may_manage_wiki(actor):
        return False
    return read_level(actor) >= read_level_needed


def check_can_read_page(actor, *, read_level_needed: int, deleted: bool) -> None:
    """Every URL that shows a page, a revision, a diff, a history, a log or a feed entry asks this."""
    if not may_read_page(actor, read_level_needed=read_level_needed, deleted=deleted):
        raise Http404(_("No such wiki page."))


def readable_pages_filter(actor, *, prefix: str = "") -> Q:
    """The pages `actor` may read, as a filter on Page (`prefix` for a relation: "page__")."""
    query = Q(**{f"{prefix}read_level__lte": read_level(actor)})
    if not may_manage_wiki(actor):
        query &= Q(**{f"{prefix}is_deleted": False})
    return query




def check_can_edit_page(actor, *, read_level_needed: int, edit_level: int, deleted: bool) -> None:
    """May `actor` save a new revision of the page (its protection)?"""
    check_can_read_page(actor, read_level_needed=read_level_needed, deleted=deleted)
    if deleted:
        raise PermissionDenied(_("This page is deleted: restore it before editing it."))
    check_can_post(actor)
    if read_level(actor) < max(edit_level, MEMBERS):
        if edit_level >= COMMUNITY_MANAGERS:
            raise PermissionDenied(_("This page is protected: only community managers may edit it."))
        raise PermissionDenied(_("This page is protected: only contributors and community managers may edit it."))


def check_can_create_page(actor, *, parent_read_level: int, parent_edit_level: int, parent_deleted: bool) -> None:
    """A new page under a parent: whoever may edit the parent may add a child page to it."""
    check_can_edit_page(actor, read_level_needed=parent_read_level, edit_level=parent_edit_level,
                        deleted=parent_deleted)


def check_can_manage_wiki(actor) -> None:
    """Protect, move, rename, delete and restore pages; patrol edits."""
    if not may_manage_wiki(actor):
        raise PermissionDenied(_("Only community managers may do this on the wiki."))


def check_can_watch_page(actor, *, read_level_needed: int, deleted: bool) -> None:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to watch pages."))
    check_can_read_page(actor, read_level_needed=read_level_needed, deleted=deleted)


def edit_needs_patrol(actor) -> bool:
    """Edits by new members (trust level 0: the forums' one trust system) wait for a community
    manager's patrol; everyone else's are patrolled as they are saved."""
    return getattr(actor, "trust_level", 1) < 1 and not is_exempt_from_new_member_limits(actor)


# --- Managing pages (the manage area): protection, moves, deletions, the discussion -------------------------


def check_can_protect_page(actor, *, read_level_needed: int, edit_level: int) -> None:
    """Community managers set who may read and who may edit a page; the levels must be real ones
    (read 0–3, edit 1–3)."""
    check_can_manage_wiki(actor)
    if read_level_needed not in (0, 1, 2, COMMUNITY_MANAGERS) or edit_level not in (MEMBERS, 2, COMMUNITY_MANAGERS):
        raise PermissionDenied(_("Unknown protection level."))


def check_can_move_page(actor, *, is_root: bool, deleted: bool) -> None:
    """Community managers move and rename pages; the root stays where it is; a deleted page is restored first."""
    check_can_manage_wiki(actor)
    if is_root:
        raise PermissionDenied(_("The wiki's home page cannot be moved or renamed."))
    if deleted:
        raise PermissionDenied(_("This page is deleted: restore it before moving it."))


def check_can_delete_page(actor, *, is_root: bool, deleted: bool) -> None:
    check_can_manage_wiki(actor)
    if is_root:
        raise PermissionDenied(_("The wiki's home page cannot be deleted."))
    if deleted:
        raise PermissionDenied(_("This page is already deleted."))


def check_can_undelete_page(actor, *, deleted: bool, parent_deleted: bool) -> None:
    check_can_manage_wiki(actor)
    if not deleted:
        raise PermissionDenied(_("This page is not deleted."))
    if parent_deleted:
        raise PermissionDenied(_("The page above this one is deleted: restore it first."))


def check_can_discuss_page(actor, *, page_read_level: int, deleted: bool, forum_read_level: int) -> None:
    """Starting a page's forum topic: a member who may read the page and post. The topic's title
    names the page, so a forum readable by more people than the page would leak it: refused."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to start the discussion of this page."))
    check_can_read_page(actor, read_level_needed=page_read_level, deleted=deleted)
    if deleted:
        raise PermissionDenied(_("This page is deleted: it has no discussion."))
    if forum_read_level < page_read_level:
        raise PermissionDenied(_("This page is not readable by everyone who reads the discussion forum, so it "
                                 "cannot be discussed there."))
    check_can_post(actor)
