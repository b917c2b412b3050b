"""Members' comments on posts: write, reply, edit, delete, and the space's holders' approval.

Comments are a content kind of the spine (blogs.content_kinds): text goes through
community.writing (cleaned, rendered once before the transaction, mentions found), the publish
checks (watched words, new-member limits) give the starting status, and every new or edited comment
is announced with `content.content_created` / `content_changed` — spam check, watched words,
reports, the review queue, sanctions and "remove all content" follow with no change to moderation.

The comment policy in force (`policy_in_force`) is the post's own, else its space's; an open post
published more than the space's N days ago is moderated: new comments wait for the space's owner,
co-authors or a CM (status PENDING, `awaiting_holder`), who approve or reject them from the post
page, their list of waiting comments or the notification email's signed links. A rejection hides
the comment (HIDDEN) and can be undone; a CM's removal (REMOVED) is for CMs to undo.

Every comment of a post is written under the lock of its `PostThread` row: numbers and counters
stay exact and django-mptt's tree updates of one post never interleave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from community import content, writing
from community.models import SpamStatus, Visibility
from community.notifications.services import announce_publication
from community.permissions import (
    CLOSED,
    MODERATED,
    OPEN,
    check_can_comment,
    check_can_delete_comment,
    check_can_edit_comment,
    check_can_moderate_comment,
    comment_waits,
    decides_as_community_manager,
    may_read_space_post,
)
from community.permissions.casting import may_read_space
from community.spaces import RETIRED

from .events import COMMENT_KIND
from .models import Comment, CommentRevision, PostThread, SpacePostPage

COMMENT_MAX_BYTES = 16 * 1024  # a comment is shorter than a forum post (64 KiB)
REVIEW_LINK_SALT = "tribune.blogs.comment-review"
REVIEW_LINK_MAX_AGE = timedelta(days=7)


class DuplicateComment(Exception):
    """The same member sent the same comment again (double submit); `comment` is the one kept."""

    def __init__(self, comment):
        super().__init__("duplicate comment")
        self.comment = comment


@dataclass(frozen=True)
class Policy:
    """The comment policy in force on a post: `effective` (open, moderated or closed) and, for an
    open post moderated by age, from when (`moderated_from`)."""

    chosen: str
    effective: str
    moderated_from: datetime | None = None

    @property
    def waits(self) -> bool:
        return self.effective == MODERATED

    @property
    def closed(self) -> bool:
        return self.effective == CLOSED


def policy_in_force(post: SpacePostPage, space, *, now=None) -> Policy:
    chosen = post.comment_policy or space.comment_policy or OPEN
    if space.state == RETIRED:  # an archive: read, no longer discussed
        return Policy(chosen, CLOSED)
    if chosen != OPEN:
        return Policy(chosen, chosen)
    days = space.moderate_after_days
    published = post.first_published_at
    if days is None or published is None:
        return Policy(chosen, OPEN)
    start = published + timedelta(days=days)
    return Policy(chosen, MODERATED if (now or timezone.now()) >= start else OPEN, start)


def post_is_readable(post: SpacePostPage) -> bool:
    """Open to every reader: live, public (no Wagtail privacy) and not held by moderation — what
    taking comments needs."""
    return (may_read_space_post(AnonymousUser(), live=post.live, status=post.status, space_holders=frozenset(),
                                restricted=post.is_restricted)
            and may_read_space(AnonymousUser(), state=post.space.state, space_holders=frozenset()))


def clean_comment_body(body: str) -> str:
    return writing.clean_body(body, max_bytes=COMMENT_MAX_BYTES)


def _lock_thread(post) -> PostThread:
    PostThread.objects.get_or_create(post=post)
    return PostThread.objects.select_for_update().get(post=post)


def add_comment(*, actor, post: SpacePostPage, body: str, parent: Comment | None = None) -> Comment:
    """A member comments on `post` (or replies to `parent`, a published comment of the same post).
    Raises Http404, PermissionDenied, ValidationError (PublishRefused: 400/429) or
    DuplicateComment."""
    space = post.space
    policy = policy_in_force(post, space)
    check_can_comment(actor, policy=policy.effective, post_readable=post_is_readable(post))
    if parent is not None and (parent.post_id != post.pk or parent.status != Visibility.PUBLISHED
                               or parent.is_deleted):
        raise ValidationError(_("You can only reply to a visible comment of this post."), code="parent")
    written = writing.prepare(author=actor, body=body, max_bytes=COMMENT_MAX_BYTES)
    status = content.initial_status(COMMENT_KIND, author=actor, text=written.body)
    waits_for_holder = comment_waits(actor, policy=policy.effective, space_holders=space.holder_ids)
    if waits_for_holder:
        status = Visibility.PENDING
    now = timezone.now()
    with transaction.atomic():
        thread = _lock_thread(post)
        duplicate = (Comment.objects.filter(post=post, author=actor, fingerprint=written.fingerprint,
                                            is_deleted=False, created_at__gte=now - writing.DOUBLE_SUBMIT_WINDOW)
                     .order_by("-pk").first())
        if duplicate is not None:
            raise DuplicateComment(duplicate)
        if parent is not None:
            # Under the thread's lock, the parent as it is now (removed meanwhile: no reply).
            parent = Comment.objects.filter(pk=parent.pk, status=Visibility.PUBLISHED, is_deleted=False).first()
            if parent is None:
                raise ValidationError(_("You can only reply to a visible comment of this post."), code="parent")
        number = thread.last_number + 1
        comment = Comment(post=post, space=space, parent=parent, author=actor, number=number,
                          body=written.body, body_html=written.html, fingerprint=written.fingerprint,
                          created_at=now, status=status, spam_status=SpamStatus.PENDING,
                          awaiting_holder=waits_for_holder)
        comment.save()
        updates = {"last_number": number, "version": F("version") + 1}
        if status == Visibility.PUBLISHED:
            updates["comment_count"] = F("comment_count") + 1
        PostThread.objects.filter(pk=post.pk).update(**updates)
        content.content_created(comment, actor=actor, payload={
            "post": post.pk, "parent": parent.pk if parent is not None else None,
            "mentions": writing.mentioned_ids(written.mentions, exclude_id=actor.pk),
        })
    comment.post = post
    return comment


def edit_comment(*, actor, comment: Comment, body: str) -> Comment:
    """Its author edits a comment: the earlier version is kept (history); checks run again."""
    check_can_edit_comment(actor, author_id=comment.author_id, status=comment.status, deleted=comment.is_deleted)
    body = clean_comment_body(body)
    if body == comment.body:
        return comment
    written = writing.prepare(author=actor, body=body, max_bytes=COMMENT_MAX_BYTES)
    held = content.initial_status(COMMENT_KIND, author=actor, text=written.body, editing=True) == Visibility.PENDING
    post = comment.post
    waits_again = comment_waits(actor, policy=policy_in_force(post, post.space).effective,
                                space_holders=post.space.holder_ids)
    with transaction.atomic():
        _lock_thread(comment.post)
        PostThread.objects.filter(pk=comment.post_id).update(version=F("version") + 1)
        CommentRevision.objects.create(comment=comment, body=comment.body, body_html=comment.body_html, editor=actor)
        comment.body, comment.body_html, comment.fingerprint = written.body, written.html, written.fingerprint
        comment.edited_at = timezone.now()
        comment.edit_count = F("edit_count") + 1
        comment.spam_status = SpamStatus.PENDING
        comment.save(update_fields=["body", "body_html", "fingerprint", "edited_at", "edit_count", "spam_status"])
        comment.refresh_from_db(fields=["edit_count"])
        if held:
            content.kind_for(comment).set_status(comment, Visibility.PENDING, only_from=Visibility.PUBLISHED)
        elif waits_again:
            # Where comments wait for the space's holders, an edit of an approved comment waits again.
            Comment.objects.filter(pk=comment.pk).update(awaiting_holder=True)
            comment.awaiting_holder = True
            content.kind_for(comment).set_status(comment, Visibility.PENDING, only_from=Visibility.PUBLISHED)
        content.content_changed(comment, actor=actor)
    return comment


def delete_comment(*, actor, comment: Comment) -> Comment:
    """Its author withdraws a comment: a tombstone stays, its replies stay, the text is kept for
    moderators."""
    check_can_delete_comment(actor, author_id=comment.author_id, deleted=comment.is_deleted)
    with transaction.atomic():
        _lock_thread(comment.post)
        changed = Comment.objects.filter(pk=comment.pk, is_deleted=False).update(is_deleted=True)
        status = Comment.objects.values_list("status", flat=True).get(pk=comment.pk)
        PostThread.objects.filter(pk=comment.post_id).update(version=F("version") + 1)
        if changed and status == Visibility.PUBLISHED:
            PostThread.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)
        comment.is_deleted, comment.status = True, status
        content.text_changed(comment)  # no notification quotes it any more
    return comment


APPROVE, REJECT, RESTORE = "approve", "reject", "restore"
DECISIONS = (APPROVE, REJECT, RESTORE)


def moderate_comment(*, actor, comment: Comment, decision: str) -> bool:
    """The space's holders (and CMs): approve a waiting comment, reject one (hidden; a holder's
    rejection can be undone from their list), hide a published one, restore a rejected one. Returns
    False when nothing changed (a second click, a decision already taken). What moderation holds or
    hid for its own reasons is for CMs (`permissions.check_can_moderate_comment`)."""
    if decision not in DECISIONS:
        raise ValidationError(_("Unknown decision."), code="decision")
    space = comment.space
    wanted = {APPROVE: Visibility.PUBLISHED, REJECT: Visibility.HIDDEN, RESTORE: Visibility.PUBLISHED}[decision]
    if comment.status == wanted or (decision == APPROVE and comment.status != Visibility.PENDING):
        return False  # already so (a second click), or decided otherwise meanwhile
    check_can_moderate_comment(actor, decision=decision, status=comment.status,
                               spam=comment.spam_status == SpamStatus.SPAM, awaiting_holder=comment.awaiting_holder,
                               rejected_by_holder=comment.rejected_by_holder, space_holders=space.holder_ids)
    kind = content.kind_for(comment)
    by_cm = decides_as_community_manager(actor)  # a CM's rejection is moderation's: not on the holders' list
    with transaction.atomic():
        if not kind.set_status(comment, wanted, only_from=comment.status):
            return False
        if decision == REJECT:
            Comment.objects.filter(pk=comment.pk).update(awaiting_holder=False, rejected_by_holder=not by_cm)
            comment.awaiting_holder, comment.rejected_by_holder = False, not by_cm
        else:
            announce_publication(comment)  # never news before (waiting, or rejected while waiting): now, once
    return True


def comment_visibility_changed(comment, old: str, new: str) -> None:
    """Content-protocol hook (in the writer's transaction): the post's count of published comments
    stays exact whoever changes a comment's visibility (a CM's decision, the spam check)."""
    if comment.awaiting_holder and new != Visibility.PENDING:  # decided, by its owner or a CM's queue
        Comment.objects.filter(pk=comment.pk).update(awaiting_holder=False)
        comment.awaiting_holder = False
    if comment.rejected_by_holder and new != Visibility.HIDDEN:  # restored, or a CM's own decision now
        Comment.objects.filter(pk=comment.pk).update(rejected_by_holder=False)
        comment.rejected_by_holder = False
    if comment.is_deleted or (old == Visibility.PUBLISHED) == (new == Visibility.PUBLISHED):
        PostThread.objects.filter(pk=comment.post_id).update(version=F("version") + 1)
        return
    delta = 1 if new == Visibility.PUBLISHED else -1
    PostThread.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") + delta,
                                                         version=F("version") + 1)


# --- One-click links in the email ---------------------------------------------------------------------

def review_token(*, comment_id: int, user_id: int) -> str:
    """A signed link for `user_id` to approve or reject one comment without logging in (it only
    leads to a confirmation page: a GET never changes anything). Expires after seven days."""
    return signing.dumps({"c": comment_id, "u": user_id}, salt=REVIEW_LINK_SALT, compress=True)


def read_review_token(token: str) -> tuple[int, int] | None:
    try:
        data = signing.loads(token, salt=REVIEW_LINK_SALT, max_age=REVIEW_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or not isinstance(data.get("u"), int):
        return None
    return data["c"], data["u"]
