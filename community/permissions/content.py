"""The one visibility rule of member content, and reporting it.

"Published, or mine and awaiting review, or I moderate it" — and text its author deleted is for
moderators only. Every list filters with `content_visibility()` and every single row is checked
with `may_view_content()`: the two are the same rule, written side by side so that they cannot
drift. Every URL that shows a row's *text* (the page, a quote preview, an edit history, the report
form, a feed, a notification, an email) asks `may_read_text(actor, obj)`, which is that rule as the
row's content kind applies it (its place's access first). A place with its own read access (a
forum, later a space or a wiki subtree) checks that first; who moderates a place is the caller's
answer (`moderates=`), computed by that place's own rule (`is_forum_moderator`, …).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Visibility
from .core import check_not_sanctioned, state_for


def content_visibility(actor, *, moderates: bool | None = None, author_field: str = "author",
                       prefix: str = "") -> Q:
    """Rows `actor` may see, as a filter. `moderates`: does `actor` moderate the place the rows are in
    (default: a community manager moderates everything)."""
    if moderates is None:
        moderates = state_for(actor).is_community_manager
    if moderates:
        return Q()
    published = Q(**{f"{prefix}status": Visibility.PUBLISHED})
    if actor.is_authenticated:
        return published | Q(**{f"{prefix}{author_field}_id": actor.pk, f"{prefix}status": Visibility.PENDING})
    return published


def may_view_content(actor, *, author_id, status: str, deleted: bool = False, moderates=None) -> bool:
    """The same rule for one row (its author's id, its status, whether its author deleted it).
    `moderates` may be a function, asked only when the row is not plainly public (it may cost a
    query)."""
    if not deleted:
        if status == Visibility.PUBLISHED:
            return True
        if actor.is_authenticated and actor.pk == author_id and status == Visibility.PENDING:
            return True
    if moderates is None:
        return state_for(actor).is_community_manager
    return bool(moderates() if callable(moderates) else moderates)


_kind_for = None


def set_kind_lookup(fn) -> None:
    """community.content hands over `kind_for` (the rules import no registry: no import circle)."""
    global _kind_for
    _kind_for = fn


def may_read_text(actor, obj) -> bool:
    """May `actor` read the text of `obj` (any registered content kind) — by any URL? The kind
    applies `may_view_content` behind its place's own access (a forum's read level, a profile's
    owner being banned); a kind that says nothing gets the plain rule, CMs moderating."""
    return _kind_for(obj).visible_to(actor, obj)


def check_can_read_text(actor, obj):
    """`may_read_text` as a rule: text one may not read does not exist for them (Http404)."""
    if not may_read_text(actor, obj):
        raise Http404(_("No such content."))


def check_can_report(actor, obj):
    """May `actor` report `obj` (any registered content kind, profiles included)? Content they may
    not see does not exist for them (Http404); their own content is refused."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to report content."))
    check_not_sanctioned(actor)
    kind = _kind_for(obj)
    if actor.pk == kind.author_id(obj):
        raise PermissionDenied(_("You cannot report your own content."))
    # The report form quotes the item: it must be text the reporter may already read.
    check_can_read_text(actor, obj)
