"""Members writing in the forums: topics, replies, edits, deletions, likes and accepted answers.

Text goes through community.writing (cleaned, rendered once before the transaction opens, mentions
resolved) and every new or changed post is announced through the content protocol
(`content.content_created` / `content_changed`), which records the outbox event in the same
transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from community import content, events, writing
from community.models import SpamStatus, User, Visibility
from community.permissions import (
    check_can_accept_answer,
    check_can_delete_post,
    check_can_edit_post,
    check_can_quote_post,
    check_can_react,
    check_can_reply,
    check_can_start_topic,
)

from .. import cache_keys
from ..events import ANSWER_ACCEPTED, MODERATOR_EDIT, POST_KIND, REACTION, TOPIC_KIND
from ..models import Post, PostRevision, Reaction, Topic
from .counters import bump_forum, post_visibility_changed
from .moderating import log_action
from .reading import watch_and_mark_read
from .statements import bump_forum as forum_counts
from .statements import (
    count_reply,
    insert_post_unless_duplicate,
    replies_in_one_round_trip,
    reply_at_once,
    run_batch,
    take_position,
)
from .statements import watch_and_mark_read as watch_and_mark_read_batch

DOUBLE_SUBMIT_WINDOW = writing.DOUBLE_SUBMIT_WINDOW


class DuplicatePost(Exception):
    """The same member sent the same reply again (double submit); `post` is the one kept."""

    def __init__(self, post):
        super().__init__("duplicate post")
        self.post = post


class DuplicateTopic(Exception):
    """The same member started the same topic again (double submit); `topic` is the one kept."""

    def __init__(self, topic):
        super().__init__("duplicate topic")
        self.topic = topic


def clean_body(body: str) -> str:
    return writing.clean_body(body)


def clean_title(title: str) -> str:
    return writing.clean_title(title, empty_message=_("Give your topic a title."))


def _insert_post(*, topic: Topic, author: User, written: writing.Written, now, position: int, status: str) -> Post:
    post = Post.objects.create(
        topic=topic, author=author, position=position, body=written.body, body_html=written.html,
        created_at=now, status=status, spam_status=SpamStatus.PENDING, fingerprint=written.fingerprint,
    )
    content.content_created(post, actor=author, payload={
        "topic": topic.pk, "forum": topic.forum_id, "position": position,
        "mentions": writing.mentioned_ids(written.mentions, exclude_id=author.pk),
    })
    return post


def create_topic(*, actor: User, forum, title: str, body: str) -> Topic:
    """Start a topic with its opening post. Raises DuplicateTopic for a double submit."""
    check_can_start_topic(actor, forum)
    title = clean_title(title)
    written = writing.prepare(author=actor, body=body)
    status = content.initial_status(TOPIC_KIND, author=actor, parts=[title, written.body])
    now = timezone.now()
    with transaction.atomic():
        # Serialize a member's own topic creation so that a double submit finds the first one.
        writing.lock_author(actor)
        duplicate = (
            Topic.objects.filter(forum=forum, author=actor, title=title,
                                 created_at__gte=now - writing.DOUBLE_SUBMIT_WINDOW,
                                 first_post__fingerprint=written.fingerprint)
            .order_by("-pk").first()
        )
        if duplicate is not None:
            raise DuplicateTopic(duplicate)
        topic = Topic.objects.create(
            forum=forum, title=title, slug=writing.slug_for(title, fallback="topic"), author=actor, created_at=now,
            status=status, spam_status=SpamStatus.PENDING,
            post_count=1,  # visible posts inside it; the topic's own status hides it
            last_position=1, last_post_at=now, last_poster=actor,
        )
        post = _insert_post(topic=topic, author=actor, written=written, now=now, position=1, status=status)
        Topic.objects.filter(pk=topic.pk).update(first_post=post, last_post=post)
        topic.first_post = topic.last_post = post
        if status == Visibility.PUBLISHED:
            bump_forum(forum.pk, post=post, now=now, topics=1, posts=1)
        watch_and_mark_read(actor=actor, topic=topic, position=1, now=now)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[forum.pk])
    return topic


def post_reply(*, actor: User, topic: Topic, body: str, quote: Post | None = None) -> Post:
    """Add a reply at the end of `topic`. Raises DuplicatePost for a double submit.

    The write path's fast patterns (docs/perf_write.md): everything that needs no lock happens
    before the transaction (cleaning, Markdown, the publish checks, the mentioned members); inside
    it, four round trips of SQL written once (statements.py): the row lock and the position in one
    UPDATE, the double-submit check and the INSERT in one statement, the outbox event, then the
    counters, the author's subscription and read mark together.
    """
    check_can_reply(actor, topic)
    body = clean_body(body)
    if quote is not None:
        check_can_quote_post(actor, quote, topic)  # the one rule of what may be quoted (Http404)
        quoted = "\n".join(f"> {line}" for line in quote.body.splitlines())
        wrote = _("%(name)s wrote:") % {"name": f"**@{quote.author.username}**"}
        body = f"> {wrote}\n>\n{quoted}\n\n{body}"
    written = writing.prepare(author=actor, body=body)
    status = content.initial_status(POST_KIND, author=actor, text=written.body)
    mentions = writing.mentioned_ids(written.mentions, exclude_id=actor.pk)  # no query without mentions
    visible = status == Visibility.PUBLISHED
    with transaction.atomic():
        now = timezone.now()
        if replies_in_one_round_trip():
            post, forum_id = _reply_at_once(actor=actor, topic=topic, written=written, status=status, now=now,
                                            visible=visible, mentions=mentions)
            cache_keys.changed(topic_id=topic.pk, forum_ids=[forum_id])
            return post
        # The topic's row lock orders replies: positions and counters stay exact under concurrency.
        taken = take_position(topic.pk)
        if taken is None:
            raise Topic.DoesNotExist(topic.pk)
        position, forum_id, topic_status = taken
        post_id = insert_post_unless_duplicate(
            topic_id=topic.pk, author_id=actor.pk, position=position, body=written.body, html=written.html,
            now=now, status=status, fingerprint=written.fingerprint, since=now - writing.DOUBLE_SUBMIT_WINDOW)
        if post_id is None:
            raise DuplicatePost(_duplicate_of(topic, actor, written, now))  # rolls the position back
        post = _saved_post(post_id, topic=topic, actor=actor, position=position, written=written, status=status,
                           now=now)
        content.content_created(post, actor=actor, payload={
            "topic": topic.pk, "forum": forum_id, "position": position, "mentions": mentions})
        # The counters, the author's subscription and read mark (they see their reply as read and
        # watch the topic from this very response on): one round trip on PostgreSQL.
        batch = watch_and_mark_read_batch(user_id=actor.pk, topic_id=topic.pk, position=position, now=now)
        if visible:
            batch.append(count_reply(topic.pk, post_id=post_id, now=now, poster_id=actor.pk))
            if topic_status == Visibility.PUBLISHED:
                batch.append(forum_counts(forum_id, post_id=post_id, now=now, posts=1))
        run_batch(batch)
        cache_keys.changed(topic_id=topic.pk, forum_ids=[forum_id])
    return post


def _reply_at_once(*, actor, topic, written, status, now, visible, mentions) -> tuple[Post, int]:
    """PostgreSQL: the same reply in one round trip (statements.reply_at_once), the event checked
    and built before it, its courier and the listeners told after it, in the same transaction."""
    post = Post(topic=topic, author=actor, body=written.body, body_html=written.html, created_at=now,
                status=status, spam_status=SpamStatus.PENDING, fingerprint=written.fingerprint)
    event = content.created_event(post, actor=actor, payload={"topic": topic.pk, "mentions": mentions})
    row = reply_at_once(topic_id=topic.pk, author_id=actor.pk, body=written.body, html=written.html, now=now,
                        status=status, fingerprint=written.fingerprint, since=now - writing.DOUBLE_SUBMIT_WINDOW,
                        visible=visible, event=event, published=Visibility.PUBLISHED)
    if row is None:
        raise Topic.DoesNotExist(topic.pk)
    if row == "duplicate":
        raise DuplicatePost(_duplicate_of(topic, actor, written, now))  # nothing was written
    post_id, position, forum_id, _topic_status, event_id = row
    post = _saved_post(post_id, topic=topic, actor=actor, position=position, written=written, status=status,
                       now=now)
    event.pk = event_id
    event.target_id = post_id
    event.payload = {**event.payload, "forum": forum_id, "position": position}
    event._state.adding = False
    event._state.db = "default"
    content.created_saved(post, event)
    return post, forum_id


def _saved_post(post_id, *, topic, actor, position, written, status, now) -> Post:
    post = Post(pk=post_id, topic=topic, author=actor, position=position, body=written.body,
                body_html=written.html, created_at=now, status=status, spam_status=SpamStatus.PENDING,
                fingerprint=written.fingerprint)
    post._state.adding = False
    post._state.db = "default"
    return post


def _duplicate_of(topic, actor, written, now) -> Post | None:
    return (Post.objects.filter(topic_id=topic.pk, author_id=actor.pk, fingerprint=written.fingerprint,
                                is_deleted=False, created_at__gte=now - writing.DOUBLE_SUBMIT_WINDOW)
            .order_by("-position").first())


def edit_post(*, actor: User, post: Post, body: str, reason: str = "") -> Post:
    check_can_edit_post(actor, post)
    body = clean_body(body)
    if body == post.body:
        return post
    written = writing.prepare(author=post.author, body=body)
    parts = [post.topic.title, written.body] if post.position == 1 else [written.body]
    held = content.initial_status(POST_KIND, author=post.author, parts=parts, editing=True) == Visibility.PENDING
    reason = " ".join(reason.split())[:200]
    by_moderator = actor.pk != post.author_id
    # A moderator's edit with a reason is a redaction (an address, a phone number taken out): every
    # version it replaces is then for the forum's moderators only. The audit log keeps the fact
    # and the reason, never the text.
    redacts = by_moderator and bool(reason)
    with transaction.atomic():
        if redacts:
            PostRevision.objects.filter(post=post, moderators_only=False).update(moderators_only=True)
        PostRevision.objects.create(post=post, body=post.body, body_html=post.body_html, editor=actor,
                                    reason=reason, moderators_only=redacts)
        post.body = written.body
        post.body_html = written.html
        post.edited_at = timezone.now()
        post.edit_count = F("edit_count") + 1
        post.spam_status = SpamStatus.PENDING
        post.fingerprint = written.fingerprint
        post.save(update_fields=["body", "body_html", "edited_at", "edit_count", "spam_status", "fingerprint"])
        post.refresh_from_db(fields=["edit_count"])
        if by_moderator:
            log_action(actor, "edit_post", topic=post.topic, post=post, detail=reason)
            events.record_event(MODERATOR_EDIT, actor=actor, target=post,
                                payload={"kind": POST_KIND, "author": post.author_id, "reason": reason,
                                         "redacted": redacts})
        if held and actor.pk == post.author_id:
            # A watched word needing approval: the edited post waits for a CM (counters kept exact;
            # the row's current status decides, not this possibly stale copy).
            content.kind_for(post).set_status(post, Visibility.PENDING, only_from=Visibility.PUBLISHED)
        content.content_changed(post, actor=actor)
        cache_keys.changed(topic_id=post.topic_id, index=False)
    return post


def delete_post(*, actor: User, post: Post) -> Post:
    """The author withdraws a post: the thread keeps a tombstone, the text is kept for moderators."""
    check_can_delete_post(actor, post)
    with transaction.atomic():
        if post.position == 1:
            # Under the topic's lock (replies take it too), ask again: nobody replied meanwhile.
            Topic.objects.select_for_update(no_key=True).filter(pk=post.topic_id).values_list("pk").first()
            check_can_delete_post(actor, post)
        Post.objects.filter(pk=post.pk).update(is_deleted=True)
        post.is_deleted = True
        if post.position == 1:
            # The opening post carries the topic: withdrawn (nobody else replied, the rule says),
            # the topic and its title leave the public view, counters kept exact. The post keeps
            # its status: a withdrawal is not a moderator's removal.
            post_visibility_changed(post, Visibility.PUBLISHED, Visibility.HIDDEN)
        content.text_changed(post)  # no notification quotes it any more
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
                events.record_event(REACTION, actor=actor, target=post,
                                    payload={"kind": POST_KIND, "author": post.author_id})
        count = Post.objects.filter(pk=post.pk).values_list("reaction_count", flat=True).get()
        cache_keys.changed(topic_id=post.topic_id, index=False)
    return liked, count


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
            events.record_event(ANSWER_ACCEPTED, actor=actor, target=post,
                                payload={"kind": POST_KIND, "author": post.author_id})
    return topic
