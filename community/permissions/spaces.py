"""The contributor spaces' rules (the pages themselves are Wagtail's, with its page permissions):
following a space, reading a post, and the comments — who writes, edits, deletes, and who
moderates them (the space's owner and co-authors on their own posts, community managers
everywhere).

The rules take plain facts (ids, statuses, the policy in force), never a blogs model: the core
imports no content app. `space_holders` is the set of ids of a space's owner and co-authors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import SpamStatus, User, Visibility
from .content import may_view_content
from .core import check_can_post, check_not_sanctioned, state_for

# The comment policies of a space (or a post): who may comment and whether comments wait.
OPEN, MODERATED, CLOSED = "open", "moderated", "closed"


def check_can_follow_space(actor):
    """Any member may follow a space (and stop), unless banned or suspended."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to follow a space."))
    check_not_sanctioned(actor)


def holds_space(actor, space_holders) -> bool:
    """Is `actor` the owner or a co-author of the space (given as the set of their ids)?"""
    return actor.is_authenticated and actor.pk in space_holders


def moderates_space(actor, space_holders) -> bool:
    """Who moderates a space's comments: its owner and co-authors, and every community manager.
    A sanctioned holder moderates nothing while the sanction lasts."""
    if not actor.is_authenticated:
        return False
    state = state_for(actor)
    if state.is_banned or state.is_suspended or state.is_silenced:
        return False
    return state.is_community_manager or actor.pk in space_holders


def may_read_space_post(actor, *, live: bool, status: str, space_holders, restricted: bool = False) -> bool:
    """A post is read by everyone once live and not held or removed by moderation; its space's
    holders and CMs still read it while it waits (a watched word, a report). A post behind Wagtail's
    privacy (`restricted`: a password, a login, a group) is read on its page alone, past Wagtail's
    own check: by no other route (a comment's history, a report form, a feed)."""
    if not live or restricted:
        return False
    if status == Visibility.PUBLISHED:
        return True
    return state_for(actor).is_community_manager or holds_space(actor, space_holders)


def check_can_read_space_post(actor, **facts):
    if not may_read_space_post(actor, **facts):
        raise Http404(_("No such post."))


def may_view_comment(actor, *, post_readable: bool, author_id: int, status: str, deleted: bool,
                     space_holders) -> bool:
    """The one text rule of comments: the post must be readable; then the content rule, the space's
    holders and CMs moderating (they read what waits, what was rejected or removed)."""
    if not post_readable:
        return False
    return may_view_content(actor, author_id=author_id, status=status, deleted=deleted,
                            moderates=lambda: moderates_space(actor, space_holders))


def check_can_comment(actor, *, policy: str, post_readable: bool):
    """Members comment on a readable post whose policy is not closed (banned, suspended and silenced
    members do not)."""
    if not post_readable:
        raise Http404(_("No such post."))
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to comment."))
    check_can_post(actor)
    if policy == CLOSED:
        raise PermissionDenied(_("Comments are closed on this post."))


def comment_waits(actor, *, policy: str, space_holders) -> bool:
    """Does a new comment by `actor` wait for approval under `policy` (moderated, or open but past
    its N days)? The space's holders and CMs never wait on their own space."""
    return policy == MODERATED and not moderates_space(actor, space_holders)


def check_can_edit_comment(actor, *, author_id: int, status: str, deleted: bool):
    """Its author edits a comment while it stands (not deleted, not removed or rejected)."""
    if not actor.is_authenticated or actor.pk != author_id:
        raise PermissionDenied(_("Only its author can edit this comment."))
    check_can_post(actor)
    if deleted or status not in (Visibility.PUBLISHED, Visibility.PENDING):
        raise PermissionDenied(_("This comment can no longer be edited."))


def check_can_delete_comment(actor, *, author_id: int, deleted: bool):
    """Its author deletes a comment (its replies stay; it becomes a tombstone)."""
    if not actor.is_authenticated or actor.pk != author_id:
        raise PermissionDenied(_("Only its author can delete this comment."))
    check_not_sanctioned(actor)
    if deleted:
        raise PermissionDenied(_("This comment is already deleted."))


def check_can_moderate_comments(actor, space_holders):
    """Approve, reject and restore the comments of a space: its holders and CMs."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to moderate comments."))
    if not moderates_space(actor, space_holders):
        raise PermissionDenied(_("Only the space's authors and community managers moderate its comments."))


def check_can_see_waiting_comments(actor):
    """The list of comments awaiting approval: for whoever may moderate comments (a sanctioned
    holder moderates nothing while the sanction lasts)."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to moderate comments."))
    check_can_post(actor)


WAITING, REJECTED = "waiting", "rejected"  # the two lists of the comments to decide


def waiting_comments_filter(actor, *, show: str = WAITING) -> Q:
    """The comments on `actor`'s list of decisions, as a filter on comments: community managers see
    every space's (what moderation holds included); a space's owner and co-authors their own spaces'
    only, and only what is theirs to decide (`check_can_moderate_comment`): among the waiting ones,
    those waiting for them and not spam; among the rejected ones, those they rejected. A sanctioned
    holder is refused (`check_can_see_waiting_comments`). The list itself (waiting or rejected
    comments, of readable posts) is the caller's."""
    if state_for(actor).is_community_manager:
        return Q()
    check_can_see_waiting_comments(actor)  # a silenced or suspended holder decides nothing
    # The spaces the actor co-authors, as a sub-query through the reverse name the spaces give the
    # relation (the core imports no content app): no join on the co-authors, so no duplicate rows.
    co_authored = User.objects.filter(pk=actor.pk, co_authored_spaces__isnull=False).values("co_authored_spaces")
    theirs = Q(space__space_owner=actor) | Q(space__in=co_authored)
    if show == REJECTED:
        return theirs & Q(rejected_by_holder=True)
    return theirs & Q(awaiting_holder=True) & ~Q(spam_status=SpamStatus.SPAM)


def decides_as_community_manager(actor) -> bool:
    """Does `actor` decide about a space's comments as moderation — a community manager, even on
    their own space: what moderation holds is theirs too, and their rejection is moderation's (not on
    the holders' list, where a holder undoes their own) — rather than as the space's holder?"""
    return state_for(actor).is_community_manager


def may_choose_any_page(actor) -> bool:
    """Wagtail's page chooser: community managers, staff and superusers choose among every page of
    the tree (drafts and held posts of any space); other writers among what they may edit or read."""
    state = state_for(actor)
    return state.is_community_manager or state.is_staff or bool(getattr(actor, "is_superuser", False))


def check_can_moderate_comment(actor, *, decision: str, status: str, spam: bool, awaiting_holder: bool,
                               rejected_by_holder: bool, space_holders):
    """What a space's holders decide about a comment of their space, and what is the CMs' alone.

    A holder approves or rejects a comment that waits for them (the comment policy), hides a
    published one, and restores only what a holder rejected. What moderation holds or hid for its own
    reasons (spam, a watched word, a new member's first posts, a CM's hide or removal) is for
    community managers: a holder can neither release it nor turn it into a rejection of their own."""
    check_can_moderate_comments(actor, space_holders)
    if state_for(actor).is_community_manager:
        return
    for_holder = {
        "approve": status == Visibility.PENDING and awaiting_holder and not spam,
        "reject": (status == Visibility.PENDING and awaiting_holder and not spam)
        or (status == Visibility.PUBLISHED and not spam),
        "restore": status == Visibility.HIDDEN and rejected_by_holder and not spam,
    }
    if not for_holder.get(decision, False):
        raise PermissionDenied(_("The community managers hold this comment (spam check, a watched word or "
                                 "their decision): they decide about it."))
