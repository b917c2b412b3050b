"""Reading a post's comments: the thread as the viewer may see it, in a fixed number of queries.

One query loads every comment of the post in tree order (django-mptt's tree id, then left value)
with its author and profile; the visibility rule (`permissions.may_view_comment`) is applied in
Python to each, with what it needs computed once (the space's holders, whether the viewer
moderates). A comment the viewer may not read stays as a tombstone when replies they may read hang
from it ("deleted by its author", "removed by a moderator"); otherwise it is left out. Depth is
shown up to MAX_DEPTH, deeper replies are flattened at that depth (with "in reply to …").

A post can carry hundreds of comments (the benchmark's has 500), so what the template would do
for each one is done here once where it can be (`ThreadParts`): only the fields the thread shows are
loaded, each author's profile link and avatar are made once, a comment's own links (reply, edit, …)
from one reverse() per kind of link. The HTML is the same as the template's own tags would make.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language

from community import pagecache
from community.models import Visibility
from community.permissions import (
    can,
    check_can_comment,
    decides_as_community_manager,
    may_view_comment,
    moderates_space,
)

from .comments import Policy, policy_in_force, post_is_readable
from .models import Comment, PostThread

MAX_DEPTH = 4
# What the thread (templates/blogs/includes/comment.html, includes/avatar.html) reads of a comment,
# its author and their profile: nothing else is loaded. (tests/blogs count the page's queries: a
# field read but not listed here would cost one query per comment.)
THREAD_FIELDS = ("parent", "author", "number", "body_html", "created_at", "edited_at", "is_deleted", "status",
                 "spam_status", "awaiting_holder", "rejected_by_holder",
                 "level", "tree_id", "lft", "author__username", "author__display_name", "author__profile__avatar")


class ThreadParts:
    """What the comments of one page share, made once per request: each author's profile link and
    avatar (includes/avatar.html), and the comments' own links — reverse() once per kind of link
    with a stand-in id, which each comment's id then replaces (the URL reverse() would give)."""

    STAND_IN = "918273645"
    VIEWS = {"reply": ("blogs:comment_reply",), "edit": ("blogs:comment_edit",),
             "delete": ("blogs:comment_delete",), "history": ("blogs:comment_history",),
             "moderate": ("blogs:comment_moderate",), "report": ("moderation:report", "blogs.comment")}

    def __init__(self):
        self._links: dict[str, tuple[str, str]] = {}
        self._profiles: dict[str, str] = {}
        self._avatars: dict[int, str] = {}

    def url(self, kind: str, pk: int) -> str:
        parts = self._links.get(kind)
        if parts is None:
            viewname, *args = self.VIEWS[kind]
            prefix, found, suffix = reverse(viewname, args=[*args, int(self.STAND_IN)]).partition(self.STAND_IN)
            if not found or self.STAND_IN in suffix:
                raise ValueError(f"cannot make the links of {viewname} from a stand-in id")
            parts = self._links[kind] = (prefix, suffix)
        return f"{parts[0]}{pk}{parts[1]}"

    def profile(self, username: str) -> str:
        url = self._profiles.get(username)
        if url is None:
            url = self._profiles[username] = reverse("community:profile", args=[username])
        return url

    def avatar(self, member) -> str:
        html = self._avatars.get(member.pk)
        if html is None:
            html = self._avatars[member.pk] = render_to_string("includes/avatar.html", {"member": member})
        return html


@dataclass
class Shown:
    comment: Comment
    depth: int
    readable: bool  # its text is shown; else a tombstone
    tombstone: str = ""  # "deleted" or "removed"
    reply_to: Comment | None = None  # flattened deeper than MAX_DEPTH: "in reply to #n"
    parts: ThreadParts | None = None

    @property
    def author_url(self) -> str:
        return self.parts.profile(self.comment.author.username)

    @property
    def author_avatar(self) -> str:
        return self.parts.avatar(self.comment.author)

    @property
    def created_iso(self) -> str:
        """= created_at|date:'c' (ISO 8601 in the current time zone), without the formatter."""
        return localtime(self.comment.created_at).isoformat()

    @property
    def reply_url(self) -> str:
        return self.parts.url("reply", self.comment.pk)

    @property
    def edit_url(self) -> str:
        return self.parts.url("edit", self.comment.pk)

    @property
    def delete_url(self) -> str:
        return self.parts.url("delete", self.comment.pk)

    @property
    def history_url(self) -> str:
        return self.parts.url("history", self.comment.pk)

    @property
    def moderate_url(self) -> str:
        return self.parts.url("moderate", self.comment.pk)

    @property
    def report_url(self) -> str:
        return self.parts.url("report", self.comment.pk)


def thread_of(viewer, post, space) -> list[Shown]:
    holders = space.holder_ids
    post_readable = post.live and post.status == Visibility.PUBLISHED
    comments = list(Comment.objects.filter(post=post).select_related("author__profile").only(*THREAD_FIELDS)
                    .order_by("tree_id", "lft"))
    parts = ThreadParts()
    by_pk = {c.pk: c for c in comments}
    readable = {c.pk: may_view_comment(viewer, post_readable=post_readable, author_id=c.author_id, status=c.status,
                                       deleted=c.is_deleted, space_holders=holders)
                for c in comments}
    # Which unreadable comments carry readable replies (they stay, as tombstones).
    carries = set()
    for c in reversed(comments):
        if (readable[c.pk] or c.pk in carries) and c.parent_id is not None:
            carries.add(c.parent_id)
    shown = []
    for c in comments:
        if not readable[c.pk] and c.pk not in carries:
            continue
        tombstone = "deleted" if c.is_deleted else "removed" if c.status in (Visibility.REMOVED, Visibility.HIDDEN) else ""
        item = Shown(c, min(c.level, MAX_DEPTH), readable[c.pk], tombstone, parts=parts)
        if c.level > MAX_DEPTH and c.parent_id in by_pk:
            item.reply_to = by_pk[c.parent_id]
        shown.append(item)
    return shown


THREAD_TTL = 300  # seconds: a bound on staleness for what no version tracks (a renamed author)


def _shared_variant(user, post, moderates: bool, can_comment: bool) -> str | None:
    """The thread's HTML is the same for every visitor, and for every member who neither moderates
    this space nor wrote in this thread (nothing of theirs to edit, delete or see waiting): those
    two renderings are cached. Anyone else gets their own rendering."""
    if not user.is_authenticated:
        return f"visitor:{can_comment}"
    if moderates or Comment.objects.filter(post=post, author_id=user.pk).exists():
        return None
    return f"member:{can_comment}"


def render_thread(request, post, space, *, thread, context: dict) -> str:
    """The thread's HTML: from the cache for the shared renderings (keyed by the thread's version,
    the post's state, the language and the display filters' generation), else rendered."""
    variant = _shared_variant(request.user, post, context["moderates_comments"], context["can_comment"])
    key = None
    if variant is not None:
        (display,) = pagecache.generations([])
        raw = (f"{post.pk}|{thread.version if thread else 0}|{post.live}|{post.status}|{get_language()}|"
               f"{variant}|{display}")
        key = "thread:" + hashlib.sha1(raw.encode()).hexdigest()
        html = cache.get(key)
        if html is not None:
            return html
    html = render_to_string("blogs/includes/thread.html",
                            {**context, "comments": thread_of(request.user, post, space)}, request=request)
    if key is not None:
        cache.set(key, html, THREAD_TTL)
    return html


def thread_context(request, post) -> dict:
    """What the post page shows of its comments: the thread, the policy in force, and what the
    viewer may do."""
    user = request.user
    space = post.space
    thread = PostThread.objects.filter(pk=post.pk).first()
    policy: Policy = policy_in_force(post, space)
    moderates = moderates_space(user, space.holder_ids)  # (the member's state, kept for the thread)
    readable = post_is_readable(post)
    context = {
        "space": space,
        "comment_count": thread.comment_count if thread else 0,
        "policy": policy,
        "policy_note": policy_note(policy),
        "can_comment": readable and can(check_can_comment, user, policy=policy.effective, post_readable=True),
        "moderates_comments": moderates,
        "is_cm": moderates and decides_as_community_manager(user),
        "post_held": not readable,
    }
    context["thread_html"] = render_thread(request, post, space, thread=thread, context=context)
    return context


def policy_note(policy: Policy) -> str:
    from django.utils.translation import gettext as _

    if policy.closed:
        return _("Comments are closed on this post.")
    if policy.chosen == "moderated":
        return _("Comments on this post are moderated: each one appears once the author approves it.")
    if policy.moderated_from is not None:
        day = date_format(localtime(policy.moderated_from), "j F")
        if policy.waits:
            return _("Comments on this post are moderated since %(day)s: each one appears once the author "
                     "approves it.") % {"day": day}
        return _("Comments on this post are moderated from %(day)s.") % {"day": day}
    return ""
