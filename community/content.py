"""The content protocol: how moderation, notifications and search see any kind of content.

Each content model registers once with `register(...)`; callers then use `kind_for(obj)` or
`kinds()` instead of `isinstance` ladders. A kind knows the author, the text, the URL and the
visibility of its rows, and how to hide and restore one (plus an optional hook so the owning app
can keep its counters exact when visibility changes).

    register(Post, name="forums.post", label=_("Post"), author="author", text="body")

Content services announce their writes through the protocol, inside their transaction:
`content_created(obj, actor=…)` for a new row and `content_changed(obj, actor=…)` for an edit record
the outbox event (spam check, watched words, notifications follow) and tell the *state listeners*
(the review index of moderation) — as do `set_status()` and `set_spam_status()`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from . import events, rows
from .models import SpamStatus, Visibility
from .permissions import check_can_post, may_view_content
from .permissions.content import set_kind_lookup
from .registries import set_content_kind_check, unknown
from .rows import MAX_ID  # noqa: F401  (re-exported: the largest primary key a row can have)


@dataclass(frozen=True)
class ContentKind:
    model: type[models.Model]
    name: str
    label: Any
    author_field: str
    text_field: str
    # Called inside the transaction as hook(obj, old_status, new_status), e.g. to fix counters.
    on_visibility_change: Callable[[Any, str, str], None] | None = None
    # Returns the select_related paths needed to show a row in a mixed list (review queue, feeds).
    list_related: tuple[str, ...] = field(default_factory=tuple)
    # can_view(user, obj) -> bool: may `user` read this row's text now, by any URL (quote previews,
    # histories, report forms, feeds, notifications — asked again when an email goes out)? The
    # kind's place access first, then `permissions.may_view_content` (give `deleted` so that text
    # its author deleted is for moderators only). Default: that rule alone, CMs moderating.
    can_view: Callable[[Any, Any], bool] | None = None
    # The boolean field saying its author deleted the row (its text is kept for moderators), if any.
    deleted_field: str | None = None
    # is_read(user, obj) -> bool: has `user` already read this row on the site? Nobody is emailed
    # about what they have read. read_among(pairs) is its batched form for mixed lists: given
    # (user, obj) pairs, the (user id, obj pk) pairs already read, in a fixed number of queries.
    is_read: Callable[[Any, Any], bool] | None = None
    read_among: Callable[[list], set] | None = None
    # parts(obj) -> [str, …]: everything a member wrote in this row that checks must see, one text
    # per field (a topic's title, then its opening post). Default: [the text field].
    parts_fn: Callable[[Any], list] | None = None
    # The row's creation time field, for searches over recent content ("test a rule over 30 days").
    created_field: str | None = None
    # remove_all(member, limit[, actor=moderator]) -> (removed, more): remove up to `limit` rows of what `member` wrote
    # in this kind (moderation's "remove all content", called again while `more`), keeping counters
    # exact; `removed` is how many rows changed, `more` whether rows may remain. Default: each of
    # the member's rows not yet removed goes through `remove()`. A kind whose rows must not simply
    # vanish (a wiki revision is reverted, not blanked) gives its own.
    remove_all_fn: Callable[[Any, int], tuple[int, bool]] | None = None
    # held_by_place(obj) -> bool: the row waits for its place's own approval (a comment awaiting
    # its space owner), not only for moderation: a clean spam check must not release it.
    held_by_place_fn: Callable[[Any], bool] | None = None
    # url(obj) -> str: where moderation and notifications link to (the review queue's "View in
    # context", a decision's email). Default: obj.get_absolute_url(). A wiki revision links to the
    # diff it made rather than to the whole old text.
    url_fn: Callable[[Any], str] | None = None

    def author(self, obj):
        return getattr(obj, self.author_field)

    def author_id(self, obj):
        return getattr(obj, f"{self.author_field}_id")

    def text(self, obj) -> str:
        return getattr(obj, self.text_field) or ""

    def parts(self, obj) -> list[str]:
        """Each separately written text of the row (a topic's title, its opening post's body): checks
        render them one by one, so that one cannot change how another is read (a code fence)."""
        if self.parts_fn is not None:
            return [part or "" for part in self.parts_fn(obj)]
        return [self.text(obj)]

    def full_text(self, obj) -> str:
        return "\n".join(self.parts(obj))

    def url(self, obj) -> str:
        if self.url_fn is not None:
            return self.url_fn(obj)
        return obj.get_absolute_url()

    def status(self, obj) -> str:
        return obj.status

    def spam_status(self, obj) -> str:
        return obj.spam_status

    def is_deleted(self, obj) -> bool:
        return bool(self.deleted_field and getattr(obj, self.deleted_field))

    def is_held_by_place(self, obj) -> bool:
        return bool(self.held_by_place_fn is not None and self.held_by_place_fn(obj))

    def is_public(self, obj) -> bool:
        """Published and not withdrawn by its author: what anyone may read (place access aside)."""
        return self.status(obj) == Visibility.PUBLISHED and not self.is_deleted(obj)

    def excerpt(self, obj, length: int = 160) -> str:
        """A plain-text excerpt of the row's text, as notifications quote it: from its HTML rendered
        at save time (`<text field>_html`, no Markdown work inside a writer's transaction), else
        rendered now."""
        from django.utils.text import Truncator

        from . import markup

        html = getattr(obj, f"{self.text_field}_html", None)
        if html is not None:
            return markup.excerpt(html, length)
        return Truncator(markup.render_plain(self.text(obj))).chars(length)

    def set_status(self, obj, new_status: str, *, only_from: str | None = None) -> bool:
        """Change visibility under a row lock; returns False when nothing changed. With only_from,
        only a row whose current status is that one changes (a decision taken on a stale copy —
        say, a moderator's removal during a spam check — is never undone)."""
        with transaction.atomic():
            # FOR NO KEY UPDATE: it still serializes status changes, but does not block (or deadlock
            # with) a concurrent transaction whose foreign key points at this row (a forum's last post).
            row = (self.model.objects.select_for_update(no_key=True).filter(pk=obj.pk)
                   .values_list("status", "spam_status").first())
            current = row[0] if row is not None else None
            if row is not None:
                obj.spam_status = row[1]  # the listeners judge the row as it is now, not a stale copy
            if current is None or current == new_status or (only_from is not None and current != only_from):
                if current is not None:
                    obj.status = current
                return False
            self.model.objects.filter(pk=obj.pk).update(status=new_status)
            if self.on_visibility_change:
                self.on_visibility_change(obj, current, new_status)
            obj.status = new_status
            _tell_listeners(self, obj)
            text_changed(obj)  # hidden, its text leaves the excerpts; restored, it comes back
        return True

    def set_spam_status(self, obj, value: str, *, only_from: str | None = None) -> bool:
        """Change the spam verdict (conditionally, with only_from); returns False when nothing changed."""
        rows = self.model.objects.filter(pk=obj.pk)
        if only_from is not None:
            rows = rows.filter(spam_status=only_from)
        else:
            rows = rows.exclude(spam_status=value)
        with transaction.atomic():
            if not rows.update(spam_status=value):
                return False
            obj.spam_status = value
            current = self.model.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
            if current is not None:
                obj.status = current
            _tell_listeners(self, obj)
        return True

    def remove_all(self, member, *, limit: int, actor=None) -> tuple[int, bool]:
        """`actor`: the moderator who asked, handed to a hook that takes an `actor` keyword (the
        wiki signs the revisions undoing a member's edits with it)."""
        if self.remove_all_fn is not None:
            if actor is not None and "actor" in inspect.signature(self.remove_all_fn).parameters:
                return self.remove_all_fn(member, limit, actor=actor)
            return self.remove_all_fn(member, limit)
        rows = list(self.model.objects.filter(**{self.author_field: member})
                    .exclude(status=Visibility.REMOVED).order_by("-pk")[:limit])
        # `more` from the rows fetched, not those changed: a row removed meanwhile by a moderator
        # must not end the job early.
        return sum(1 for obj in rows if self.remove(obj)), len(rows) == limit

    def hide(self, obj) -> bool:
        return self.set_status(obj, Visibility.HIDDEN)

    def remove(self, obj) -> bool:
        return self.set_status(obj, Visibility.REMOVED)

    def restore(self, obj) -> bool:
        return self.set_status(obj, Visibility.PUBLISHED)

    def visible_to(self, user, obj) -> bool:
        """May `user` read this row's text now? (`permissions.may_read_text` asks this.)"""
        if self.can_view is not None:
            return self.can_view(user, obj)
        return may_view_content(user, author_id=self.author_id(obj), status=self.status(obj),
                                deleted=self.is_deleted(obj))

    def read_by(self, pairs) -> set[tuple[int, int]]:
        """The (user id, obj pk) pairs among `pairs` of (user, obj) whose row the user has read."""
        pairs = list(pairs)
        if not pairs:
            return set()
        if self.read_among is not None:
            return set(self.read_among(pairs))
        if self.is_read is not None:
            return {(user.pk, obj.pk) for user, obj in pairs if self.is_read(user, obj)}
        return set()

    def fetch(self, ids):
        """Batch-load rows of this kind by id, with what a mixed list shows: one query. Ids that
        no row can have (not positive, past 64 bits: from a URL or a form) are simply not found."""
        ids = [pk for pk in ids if isinstance(pk, int) and 0 < pk <= MAX_ID]
        if not ids:
            return {}
        return self.model.objects.select_related(*self.list_related).in_bulk(ids)


_registry: dict[str, ContentKind] = {}
_by_model: dict[type[models.Model], ContentKind] = {}


def register(model, *, name, label, author="author", text="body", on_visibility_change=None,
             list_related=(), can_view=None, is_read=None, read_among=None, parts=None, created=None,
             remove_all=None, deleted=None, held_by_place=None, url=None):
    if name in _registry and _registry[name].model is not model:
        raise ValueError(f"content kind {name!r} is already registered for another model")
    kind = ContentKind(model=model, name=name, label=label, author_field=author, text_field=text,
                       on_visibility_change=on_visibility_change, list_related=tuple(list_related),
                       can_view=can_view, is_read=is_read, read_among=read_among, parts_fn=parts,
                       created_field=created, remove_all_fn=remove_all, deleted_field=deleted,
                       held_by_place_fn=held_by_place, url_fn=url)
    _registry[name] = kind
    _by_model[model] = kind
    return kind


def kind_for(obj_or_model) -> ContentKind:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    model = model._meta.concrete_model
    try:
        return _by_model[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not a registered content kind") from None


def get_kind(name: str) -> ContentKind:
    return _registry[name]


def is_registered(name: str) -> bool:
    return name in _registry


def check_registered(name: str) -> None:
    """An unknown content-kind name raises in tests and DEBUG, and is logged in production."""
    if name not in _registry:
        unknown(f"unknown content kind {name!r}: register it with community.content.register()")


set_content_kind_check(check_registered)  # events and notification sources name a registered kind
set_kind_lookup(kind_for)  # the permission rules ask a row's kind through this


def kinds() -> list[ContentKind]:
    return list(_registry.values())


def fetch_mixed(refs):
    """Load (kind name, id) pairs with one query per kind; returns {(name, id): obj}."""
    wanted: dict[str, set] = {}
    for name, pk in refs:
        wanted.setdefault(name, set()).add(pk)
    found = {}
    for name, ids in wanted.items():
        for pk, obj in _registry[name].fetch(ids).items():
            found[(name, pk)] = obj
    return found


# --- Publish checks ------------------------------------------------------------------------------
# Synchronous checks run by every content service before it saves (watched words, new-member
# limits). A check returns a Visibility to start with (e.g. PENDING to hold for review), or None,
# and raises PublishRefused (a ValidationError: shown on the form, 400) or LimitExceeded (429) to
# refuse the text; the form keeps what was typed. The moderation app registers its checks here;
# content apps only call `initial_status()` (on create, and with editing=True on edit).


class PublishRefused(ValidationError):
    """The text cannot be published as it is; the message says why and what to do."""

    status = 400


class LimitExceeded(PublishRefused):
    """A rate or size limit for the author (new members' limits): answered with a 429."""

    status = 429


_publish_checks: list = []


def register_publish_check(fn):
    """fn(kind_name, *, author, parts, editing) -> Visibility | None; may raise PublishRefused.
    `parts` are the texts the member wrote, one per field (a title, a body)."""
    if fn not in _publish_checks:
        _publish_checks.append(fn)
    return fn


def initial_status(kind_name: str, *, author, text: str | None = None, parts=None, editing: bool = False) -> str:
    """The status a new row (or, with editing=True, an edited one) starts with: PUBLISHED unless a
    check holds it (PENDING). Give `text`, or `parts` for several fields (each is checked on its
    own, so that one field cannot change how another reads). Raises PublishRefused / LimitExceeded."""
    parts = [part for part in (parts if parts is not None else [text]) if part]
    status = Visibility.PUBLISHED
    for check in _publish_checks:
        verdict = check(kind_name, author=author, parts=parts, editing=editing)
        if verdict is not None and verdict != Visibility.PUBLISHED:
            status = verdict
    return status


# --- Display filters -----------------------------------------------------------------------------
# Applied to member text when it is shown (not when it is stored): e.g. watched words with the
# "censor" action are masked. fn(text) -> text, given HTML (is_html=True) or plain text. Templates
# use the `shown` filter of the `content` tag library.

_display_filters: list = []


def register_display_filter(fn):
    if fn not in _display_filters:
        _display_filters.append(fn)
    return fn


def display(text: str, *, is_html: bool) -> str:
    for fn in _display_filters:
        text = fn(text, is_html=is_html)
    return text


# --- Announcing writes, and who listens to visibility -------------------------------------------------
# State listeners are told, inside the writer's transaction, the current status and spam status of
# a row whenever the protocol creates, changes or re-judges it: fn(kind, obj). Moderation keeps its
# review index with one (an item held or judged spam enters the queue; released, it leaves).

_state_listeners: list = []


def register_state_listener(fn):
    if fn not in _state_listeners:
        _state_listeners.append(fn)
    return fn


def _tell_listeners(kind: ContentKind, obj, *, created: bool = False) -> None:
    for fn in _state_listeners:
        fn(kind, obj, created=created)


# Text listeners are told, inside the writer's transaction, that a row's text changed: fn(kind, obj).
# The notifications refresh the excerpts they quote, so that an edit — a moderator's redaction —
# leaves no copy of the old text in inboxes and emails still to be sent.
_text_listeners: list = []


def register_text_listener(fn):
    if fn not in _text_listeners:
        _text_listeners.append(fn)
    return fn


def text_changed(obj) -> None:
    """Tell the text listeners that what may be quoted of `obj` changed: its text was edited, its
    visibility changed, its author deleted it (in the writer's transaction)."""
    kind = kind_for(obj)
    for fn in _text_listeners:
        fn(kind, obj)


def is_held(status: str, spam_status: str) -> bool:
    """Held for review: awaiting approval (spam pipeline, watched words, new members), or judged
    spam while still public."""
    return status == Visibility.PENDING or (spam_status == SpamStatus.SPAM and status == Visibility.PUBLISHED)


def held_filter():
    """`is_held` as a filter on any content table."""
    from django.db.models import Q

    return Q(status=Visibility.PENDING) | Q(spam_status=SpamStatus.SPAM, status=Visibility.PUBLISHED)


def _check_author_may_publish(kind: ContentKind, obj, actor) -> None:
    """The spine's own guard: a member writing their own text must be allowed to publish at all
    (not banned, suspended or silenced — `permissions.check_can_post`), whatever kind it is, so that
    a kind to come cannot forget a sanction. Raising here rolls the writer's transaction back;
    services check first, so that the form keeps the text and says why. A moderator's edit of
    someone else's text is the forum's own rule."""
    if actor is not None and getattr(actor, "pk", None) == kind.author_id(obj):
        check_can_post(actor)


def content_created(obj, *, actor, payload: dict | None = None):
    """A content service saved a new row of a registered kind (in its transaction): record the
    "content.created" event — spam check, watched words, then the notification fan-out follow after
    commit — and tell the state listeners. `payload` carries what the kind's notification source
    needs (the members mentioned, the thread). Returns the Event."""
    event = created_event(obj, actor=actor, payload=payload)
    rows.insert(event)
    created_saved(obj, event)
    return event


def created_event(obj, *, actor, payload: dict | None = None):
    """`content_created` in two halves, for a writer that inserts the row and its event in one
    statement of its own (the forum reply on PostgreSQL): first the checks and the unsaved event
    (before the statement: a sanction raises before anything is written)…"""
    kind = kind_for(obj)
    _check_author_may_publish(kind, obj, actor)
    return events.new_event(events.CONTENT_CREATED, actor=actor, target=obj,
                            payload={**(payload or {}), "kind": kind.name})


def created_saved(obj, event) -> None:
    """…then, the row and the event written (same transaction), the courier and the listeners."""
    events.event_saved(event)
    _tell_listeners(kind_for(obj), obj, created=True)


def content_changed(obj, *, actor, payload: dict | None = None):
    """A content service changed the text of a row (in its transaction): checks run again on it."""
    kind = kind_for(obj)
    _check_author_may_publish(kind, obj, actor)
    event = events.record_event(events.CONTENT_CHANGED, actor=actor, target=obj,
                                payload={**(payload or {}), "kind": kind.name})
    _tell_listeners(kind, obj)
    text_changed(obj)
    return event
