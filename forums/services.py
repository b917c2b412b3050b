"""Writes of the forums. Each public function authorizes (community.permissions), then writes in
one transaction: markup rendered once, counters kept with F() under the topic's row lock, and the
durable Event recorded beside the row (DESIGN.md, "How content flows")."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community import content, events, markup
from community.models import SpamStatus, User, Visibility
from community.permissions import (
    check_can_accept_answer,
    check_can_delete_post,
    check_can_edit_post,
    check_can_moderate_forum,
    check_can_react,
    check_can_read_forum,
    check_can_reply,
    check_can_start_topic,
    check_can_watch,
)

from . import cache_keys
from .models import (
    Forum,
    ForumReadMark,
    ForumSubscription,
    ModerationLogEntry,
    Post,
    PostRevision,
    Reaction,
    Topic,
    TopicReadState,
    TopicSubscription,
)

BODY_MAX_BYTES = 64 * 1024
TITLE_MAX = 200
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)
POST_CREATED = "content.created"
POST_KIND = "forums.post"
TOPIC_KIND = "forums.topic"


class DuplicatePost(Exception):
    """The same member sent the same reply again (double submit); `post` is the one kept."""

    def __init__(self, post):
        super().__init__("duplicate post")
        self.post = post


# --- Validation shared by forms and services ----------------------------------------------------

def clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if len(body.encode("utf-8")) > BODY_MAX_BYTES:
        raise ValidationError(_("This text is too long: at most 64 KB."), code="too_long")
    return body


# Bidirectional embedding/override/isolate controls: they can make a title read as another one.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def clean_title(title: str) -> str:
    title = " ".join((title or "").replace("\x00", "").translate(_BIDI_CONTROLS).split())
    if not title:
        raise ValidationError(_("Give your topic a title."), code="empty")
    if len(title) > TITLE_MAX:
        raise ValidationError(_("The title is too long: at most 200 characters."), code="too_long")
    return title


def _slug(title: str) -> str:
    return (slugify(title, allow_unicode=True) or "topic")[:200]


def _fingerprint(author_id: int, body: str) -> str:
    return hashlib.sha256(f"{author_id}\n{body}".encode()).hexdigest()


def _mentioned_ids(usernames, *, exclude_id=None) -> list[int]:
    if not usernames:
        return []
    query = Q()
    for name in usernames[:50]:
        query |= Q(username__iexact=name)
    ids = User.objects.filter(query, is_active=True).exclude(pk=exclude_id).values_list("pk", flat=True)
    return sorted(ids)


# --- The tree ------------------------------------------------------------------------------------------

def save_forum(*, forum: Forum) -> Forum:
    """Trusted (admin, seeds): save a forum and recompute read levels below it."""
    with transaction.atomic():
        if not forum.slug:
            forum.slug = _slug(forum.name)
        parent_level = forum.parent.read_level if forum.parent_id else 0
        forum.read_level = max(forum.access, parent_level)
        forum.save()
        recompute_read_levels(root=forum)
        cache_keys.everything()
    return forum


def recompute_read_levels(*, root: Forum) -> None:
    """One UPDATE per tree level under `root` (a tree is a handful of levels deep)."""
    levels = {root.pk: root.read_level}
    descendants = list(root.get_descendants().values_list("pk", "parent_id", "access", "level"))
    changes: dict[int, list[int]] = {}
    for pk, parent_id, access, _level in sorted(descendants, key=lambda row: row[3]):
        levels[pk] = max(access, levels.get(parent_id, 0))
        changes.setdefault(levels[pk], []).append(pk)
    for level, ids in changes.items():
        Forum.objects.filter(pk__in=ids).exclude(read_level=level).update(read_level=level)


# --- Topics and posts --------------------------------------------------------------------------------

def _insert_post(*, topic: Topic, author: User, body: str, now, position: int, status: str) -> Post:
    rendered = markup.render(body)
    post = Post.objects.create(
        topic=topic, author=author, position=position, body=body, body_html=rendered.html,
        created_at=now, status=status, spam_status=SpamStatus.PENDING,
        fingerprint=_fingerprint(author.pk, body),
    )
    events.record_event(POST_CREATED, actor=author, target=post, payload={
        "kind": POST_KIND, "topic": topic.pk, "forum": topic.forum_id, "position": position,
        "mentions": _mentioned_ids(rendered.mentions, exclude_id=author.pk),
    })
    return post


def _bump_forum(forum_id: int, *, post: Post | None, now, topics: int = 0, posts: int = 0) -> None:
    updates = {"topic_count": F("topic_count") + topics, "post_count": F("post_count") + posts}
    if post is not None:
        # Only move "last post" forward, whatever order concurrent writers commit in.
        newer = Q(last_post_at__isnull=True) | Q(last_post_at__lte=now)
        updates["last_post"] = Case(When(newer, then=Value(post.pk)), default=F("last_post"),
                                    output_field=models.BigIntegerField())
        updates["last_post_at"] = Case(When(newer, then=Value(now)), default=F("last_post_at"),
                                       output_field=models.DateTimeField())
    Forum.objects.filter(pk=forum_id).update(**updates)


def _watch_and_mark_read(*, user: User, topic: Topic, position: int, now) -> None:
    TopicSubscription.objects.bulk_create([TopicSubscription(user=user, topic=topic)], ignore_conflicts=True)
    TopicReadState.objects.bulk_create(
        [TopicReadState(user=user, topic=topic, last_read_position=position, read_at=now)],
        update_conflicts=True, unique_fields=["user", "topic"], update_fields=["last_read_position", "read_at"],
    )


class DuplicateTopic(Exception):
    """The same member started the same topic again (double submit); `topic` is the one kept."""

    def __init__(self, topic):
        super().__init__("duplicate topic")
        self.topic = topic


def create_topic(*, author: User, forum: Forum, title: str, body: str) -> Topic:
    """Start a topic with its opening post. Raises DuplicateTopic for a double submit."""
    check_can_start_topic(author, forum)
    title, body = clean_title(title), clean_body(body)
    status = content.initial_status(TOPIC_KIND, author=author, parts=[title, body])
    now = timezone.now()
    with transaction.atomic():
        # Serialize a member's own topic creation so that a double submit finds the first one.
        User.objects.select_for_update(no_key=True).filter(pk=author.pk).values_list("pk", flat=True).first()
        duplicate = (
            Topic.objects.filter(forum=forum, author=author, title=title, created_at__gte=now - DOUBLE_SUBMIT_WINDOW,
                                 first_post__fingerprint=_fingerprint(author.pk, body))
            .order_by("-pk").first()
        )
        if duplicate is not None:
            raise DuplicateTopic(duplicate)
        topic = Topic.objects.create(
            forum=forum, title=title, slug=_slug(title), author=author, created_at=now, status=status,
            spam_status=SpamStatus.PENDING, post_count=1,  # visible posts inside it; the topic's own status hides it
            last_position=1, last_post_at=now, last_poster=author,
        )
        post = _insert_post(topic=topic, author=author, body=body, now=now, position=1, status=status)
        Topic.objects.filter(pk=topic.pk).update(first_post=post, last_post=post)
        topic.first_post = topic.last_post = post
        if status == Visibility.PUBLISHED:
            _bump_forum(forum.pk, post=post, now=now, topics=1, posts=1)
        _watch_and_mark_read(user=author, topic=topic, position=1, now=now)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[forum.pk])
    return topic


def post_reply(*, author: User, topic: Topic, body: str, quote: Post | None = None) -> Post:
    """Add a reply at the end of `topic`. Raises DuplicatePost for a double submit."""
    check_can_reply(author, topic)
    body = clean_body(body)
    if quote is not None and quote.topic_id == topic.pk and quote.is_visible and not quote.is_deleted:
        quoted = "\n".join(f"> {line}" for line in quote.body.splitlines())
        wrote = _("%(name)s wrote:") % {"name": f"**@{quote.author.username}**"}
        body = clean_body(f"> {wrote}\n>\n{quoted}\n\n{body}")
    status = content.initial_status(POST_KIND, author=author, text=body)
    fingerprint = _fingerprint(author.pk, body)
    with transaction.atomic():
        # The topic's row lock orders replies: positions and counters stay exact under concurrency.
        locked = Topic.objects.select_for_update(no_key=True).only("pk", "last_position", "forum_id").get(pk=topic.pk)
        now = timezone.now()
        duplicate = (
            Post.objects.filter(topic_id=topic.pk, author_id=author.pk, fingerprint=fingerprint, is_deleted=False,
                                created_at__gte=now - DOUBLE_SUBMIT_WINDOW)
            .order_by("-position").first()
        )
        if duplicate is not None:
            raise DuplicatePost(duplicate)
        position = locked.last_position + 1
        post = _insert_post(topic=topic, author=author, body=body, now=now, position=position, status=status)
        visible = status == Visibility.PUBLISHED
        updates = {"last_position": position}
        if visible:
            updates.update(post_count=F("post_count") + 1, last_post=post, last_post_at=now, last_poster=author)
        Topic.objects.filter(pk=topic.pk).update(**updates)
        if visible and topic.status == Visibility.PUBLISHED:
            _bump_forum(locked.forum_id, post=post, now=now, posts=1)
        _watch_and_mark_read(user=author, topic=topic, position=position, now=now)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[locked.forum_id])
    post.topic = topic
    return post


def edit_post(*, actor: User, post: Post, body: str, reason: str = "") -> Post:
    check_can_edit_post(actor, post)
    body = clean_body(body)
    if body == post.body:
        return post
    parts = [post.topic.title, body] if post.position == 1 else [body]
    held = content.initial_status(POST_KIND, author=post.author, parts=parts, editing=True) == Visibility.PENDING
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, body_html=post.body_html, editor=actor,
                                    reason=reason[:200])
        post.body = body
        post.body_html = markup.render(body).html
        post.edited_at = timezone.now()
        post.edit_count = F("edit_count") + 1
        post.spam_status = SpamStatus.PENDING
        post.fingerprint = _fingerprint(post.author_id, body)
        post.save(update_fields=["body", "body_html", "edited_at", "edit_count", "spam_status", "fingerprint"])
        post.refresh_from_db(fields=["edit_count"])
        if actor.pk != post.author_id:
            _log(actor, "edit_post", topic=post.topic, post=post, detail=reason)
        if held and actor.pk == post.author_id:
            # A watched word needing approval: the edited post waits for a CM (counters kept exact;
            # the row's current status decides, not this possibly stale copy).
            content.kind_for(post).set_status(post, Visibility.PENDING, only_from=Visibility.PUBLISHED)
        events.record_event("content.changed", actor=actor, target=post, payload={"kind": POST_KIND})
        cache_keys.changed(topic_id=post.topic_id, index=False)
    return post


def delete_post(*, actor: User, post: Post) -> Post:
    """The author withdraws a post: the thread keeps a tombstone, the text is kept for moderators."""
    check_can_delete_post(actor, post)
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(is_deleted=True)
        post.is_deleted = True
        cache_keys.changed(topic_id=post.topic_id, index=False)
    return post


def toggle_reaction(*, actor: User, post: Post) -> tuple[bool, int]:
    """Like or unlike; returns (liked, new count). One like per member and post (unique)."""
    check_can_react(actor, post)
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(post=post, user=actor).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") - 1)
            liked = False
        else:
            liked = True
            try:
                with transaction.atomic():
                    Reaction.objects.create(post=post, user=actor)
            except IntegrityError:  # a concurrent click already liked it
                pass
            else:
                Post.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") + 1)
                events.record_event("forums.reaction", actor=actor, target=post,
                                    payload={"kind": POST_KIND, "author": post.author_id})
        count = Post.objects.filter(pk=post.pk).values_list("reaction_count", flat=True).get()
        cache_keys.changed(topic_id=post.topic_id, index=False)
    return liked, count


# --- Moderator actions -----------------------------------------------------------------------------

def _log(actor, action, *, topic=None, post=None, detail=""):
    ModerationLogEntry.objects.create(actor=actor, action=action, topic=topic, post=post, detail=detail[:300])


def set_pinned(*, actor: User, topic: Topic, pinned: bool) -> Topic:
    check_can_moderate_forum(actor, topic.forum)
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(is_pinned=pinned)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[topic.forum_id], index=False)
        topic.is_pinned = pinned
        _log(actor, "pin" if pinned else "unpin", topic=topic)
    return topic


def set_locked(*, actor: User, topic: Topic, locked: bool) -> Topic:
    check_can_moderate_forum(actor, topic.forum)
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(is_locked=locked)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[topic.forum_id], index=False)
        topic.is_locked = locked
        _log(actor, "lock" if locked else "unlock", topic=topic)
    return topic


def move_topic(*, actor: User, topic: Topic, forum: Forum) -> Topic:
    check_can_moderate_forum(actor, topic.forum)
    check_can_read_forum(actor, forum)
    check_can_moderate_forum(actor, forum)
    if forum.is_category:
        raise ValidationError(_("Topics go in a forum, not in a category."))
    if forum.pk == topic.forum_id:
        return topic
    with transaction.atomic():
        locked = Topic.objects.select_for_update(no_key=True).get(pk=topic.pk)
        old_forum_id = locked.forum_id
        Topic.objects.filter(pk=topic.pk).update(forum=forum)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[old_forum_id, forum.pk])
        if locked.status == Visibility.PUBLISHED:
            Forum.objects.filter(pk=old_forum_id).update(topic_count=F("topic_count") - 1,
                                                         post_count=F("post_count") - locked.post_count)
            _bump_forum(forum.pk, post=locked.last_post, now=locked.last_post_at, topics=1,
                        posts=locked.post_count)
            refresh_forum_last_post(forum_id=old_forum_id)
        _log(actor, "move", topic=topic, detail=f"{old_forum_id} -> {forum.pk}")
        topic.forum = forum
    return topic


def refresh_forum_last_post(*, forum_id: int) -> None:
    last = (Topic.objects.filter(forum_id=forum_id, status=Visibility.PUBLISHED)
            .order_by("-last_post_at").values("last_post_id", "last_post_at").first())
    Forum.objects.filter(pk=forum_id).update(
        last_post_id=last["last_post_id"] if last else None, last_post_at=last["last_post_at"] if last else None)


def refresh_topic_last_post(*, topic_id: int) -> None:
    last = (Post.objects.filter(topic_id=topic_id, status=Visibility.PUBLISHED)
            .order_by("-position").values("pk", "created_at", "author_id").first())
    if last:
        Topic.objects.filter(pk=topic_id).update(last_post_id=last["pk"], last_post_at=last["created_at"],
                                                 last_poster_id=last["author_id"])


def hide_post(*, actor: User, post: Post, reason: str = "") -> bool:
    check_can_moderate_forum(actor, post.topic.forum)
    with transaction.atomic():
        changed = content.kind_for(post).hide(post)
        if changed:
            _log(actor, "hide", topic=post.topic, post=post, detail=reason)
    return changed


def restore_post(*, actor: User, post: Post) -> bool:
    check_can_moderate_forum(actor, post.topic.forum)
    with transaction.atomic():
        changed = content.kind_for(post).restore(post)
        if changed:
            _log(actor, "restore", topic=post.topic, post=post)
    return changed


def post_visibility_changed(post: Post, old: str, new: str) -> None:
    """Content-protocol hook (inside the row lock's transaction): keep counters exact."""
    was, now_visible = old == Visibility.PUBLISHED, new == Visibility.PUBLISHED
    if was == now_visible:
        return
    delta = 1 if now_visible else -1
    topic = Topic.objects.select_for_update(no_key=True).get(pk=post.topic_id)
    cache_keys.changed(topic_id=topic.pk, forum_ids=[topic.forum_id])
    if post.position == 1:
        # The opening post carries the topic: hiding it hides the topic.
        Topic.objects.filter(pk=topic.pk).update(status=new)
        if topic.status == Visibility.PUBLISHED or now_visible:
            Forum.objects.filter(pk=topic.forum_id).update(
                topic_count=F("topic_count") + delta, post_count=F("post_count") + delta * max(topic.post_count, 1))
            refresh_forum_last_post(forum_id=topic.forum_id)
        return
    Topic.objects.filter(pk=topic.pk).update(post_count=F("post_count") + delta)
    refresh_topic_last_post(topic_id=topic.pk)
    if topic.status == Visibility.PUBLISHED:
        Forum.objects.filter(pk=topic.forum_id).update(post_count=F("post_count") + delta)
        refresh_forum_last_post(forum_id=topic.forum_id)


def accept_answer(*, actor: User, topic: Topic, post: Post | None) -> Topic:
    """Mark `post` as the accepted answer (None to clear it)."""
    check_can_accept_answer(actor, topic)
    if post is not None and (post.topic_id != topic.pk or post.position == 1 or not post.is_visible
                             or post.is_deleted):
        raise ValidationError(_("Only a visible reply of this topic can be accepted."))
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(accepted_answer=post, is_solved=post is not None)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[topic.forum_id], index=False)
        topic.accepted_answer, topic.is_solved = post, post is not None
        if post is not None:
            events.record_event("forums.answer_accepted", actor=actor, target=post,
                                payload={"kind": POST_KIND, "author": post.author_id})
    return topic


# --- Reading and watching ------------------------------------------------------------------------------

def mark_topic_read(*, user: User, topic: Topic, position: int, known: int | None = None) -> None:
    """Remember the furthest post read; it never moves backwards.

    `known` is the stored position as the caller read it (0: no row yet; None: not read), so the
    common case, re-reading a page, writes nothing.
    """
    if not user.is_authenticated or position <= 0 or (known is not None and known >= position):
        return
    now = timezone.now()
    if known == 0:
        TopicReadState.objects.bulk_create(
            [TopicReadState(user=user, topic=topic, last_read_position=position, read_at=now)],
            ignore_conflicts=True)
        return
    updated = TopicReadState.objects.filter(user=user, topic=topic, last_read_position__lt=position).update(
        last_read_position=position, read_at=now)
    if not updated and known is None:
        TopicReadState.objects.bulk_create(
            [TopicReadState(user=user, topic=topic, last_read_position=position, read_at=now)],
            ignore_conflicts=True)


def mark_forum_read(*, user: User, forum: Forum) -> None:
    check_can_watch(user, forum)
    ForumReadMark.objects.bulk_create([ForumReadMark(user=user, forum=forum, marked_at=timezone.now())],
                                      update_conflicts=True, unique_fields=["user", "forum"],
                                      update_fields=["marked_at"])


def set_topic_watch(*, user: User, topic: Topic, watching: bool) -> None:
    check_can_watch(user, topic.forum)
    if watching:
        TopicSubscription.objects.bulk_create([TopicSubscription(user=user, topic=topic)], ignore_conflicts=True)
    else:
        TopicSubscription.objects.filter(user=user, topic=topic).delete()


def set_forum_watch(*, user: User, forum: Forum, watching: bool) -> None:
    check_can_watch(user, forum)
    if forum.is_category:
        raise PermissionDenied(_("Watch a forum, not a category."))
    if watching:
        ForumSubscription.objects.bulk_create([ForumSubscription(user=user, forum=forum)], ignore_conflicts=True)
    else:
        ForumSubscription.objects.filter(user=user, forum=forum).delete()
