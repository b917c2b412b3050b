"""Email delivery of notifications: at once, or in daily / weekly digests.

Every check is made at delivery time, not only at fan-out: the address must be confirmed, the
member not banned, the content still visible to them (hidden, removed, forum access lost), and
not already read on the site (the notification marked read, or the content itself read: the
content kind's `is_read`).

Claiming: a courier first moves the rows it will handle from their waiting status (pending or
digest) to "sending", under row locks that other couriers skip (FOR UPDATE SKIP LOCKED), and only
then checks and sends them; a second courier finds nothing left to claim. Delivery is at most
once: a row left in "sending" by a crash mid-batch is not sent again (its email may have gone
out); a send that fails goes back to its waiting status, for the sweeper or the next digest.

Queries are per batch, not per notification: the claim, the rows, the recipients and their
confirmed addresses, one query per content kind for the targets and one for what was read; the
only per-member query is their permission state (roles), asked when a target is checked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .. import content
from ..models import User
from ..permissions import notified_members_filter
from .models import Channel, EmailStatus, Notification
from .registry import KINDS, get_kind
from .selectors import line_of

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "tribune.notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 365
BATCH = 200
# A digest lists this many items; the rest are counted ("and 12 more on the site").
DIGEST_MAX_ITEMS = 50


# --- Unsubscribe links -------------------------------------------------------------------------------

def unsubscribe_token(user_id: int, kind_name: str) -> str:
    return signing.dumps({"u": user_id, "k": kind_name}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(user_id: int, kind_name: str) -> str:
    return absolute(reverse("community:unsubscribe", kwargs={"token": unsubscribe_token(user_id, kind_name)}))


# --- Who may get what -------------------------------------------------------------------------------------

@dataclass
class Recipient:
    user: User
    address: str  # the member's confirmed primary address


def confirmed_recipients(user_ids) -> dict[int, Recipient]:
    """Members who may get email now: active, not banned, with a confirmed primary address.
    Two queries, whatever the number of members."""
    users = {u.pk: u for u in User.objects.filter(notified_members_filter(), pk__in=list(user_ids))}
    addresses = dict(
        EmailAddress.objects.filter(user_id__in=list(users), verified=True, primary=True)
        .values_list("user_id", "email")
    )
    return {uid: Recipient(user, addresses[uid]) for uid, user in users.items() if addresses.get(uid)}


def _targets(notifications) -> dict[tuple[int, int], tuple[content.ContentKind | None, object]]:
    """The current rows the notifications are about, one query per content type."""
    by_type: dict[int, set] = {}
    for n in notifications:
        if n.target_type_id and n.target_id:
            by_type.setdefault(n.target_type_id, set()).add(n.target_id)
    targets = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:  # the model is gone: so is the content
            continue
        try:
            kind = content.kind_for(model)
        except LookupError:
            kind = None
        rows = kind.fetch(ids) if kind else model._default_manager.in_bulk(ids)
        for pk, obj in rows.items():
            targets[(type_id, pk)] = (kind, obj)
    return targets


def sort_deliverable(notifications, recipients: dict[int, Recipient]) -> tuple[list, list]:
    """Split notifications into (to send, to skip), checked now: a recipient who may get email,
    not read on the site, content still there, visible to them and not read by them.

    Each kept notification's `recipient` becomes the shared instance of `recipients`, so that a
    member's permission state is computed once for all their notifications."""
    targets = _targets(notifications)
    keep, skip, checked = [], [], []
    for n in notifications:
        found = recipients.get(n.recipient_id)
        if found is None or n.read_at is not None or n.kind not in KINDS:
            skip.append(n)
            continue
        n.recipient = found.user
        if not (n.target_type_id and n.target_id):
            keep.append(n)  # about no content (e.g. a decision about the account)
            continue
        target = targets.get((n.target_type_id, n.target_id))
        if target is None:
            skip.append(n)
            continue
        kind, obj = target
        if kind is not None and not kind.visible_to(found.user, obj):
            skip.append(n)
            continue
        checked.append((n, kind, obj))
    # Read on the site? Asked only where the news is the content itself (a new post), not for a
    # like on one's own post; one query per content kind.
    asked = [(n, kind, obj) for n, kind, obj in checked if kind is not None and get_kind(n.kind).read_with_content]
    keep.extend(n for n, kind, obj in checked if kind is None or not get_kind(n.kind).read_with_content)
    pairs_by_kind: dict[str, tuple[content.ContentKind, list]] = {}
    for n, kind, obj in asked:
        pairs_by_kind.setdefault(kind.name, (kind, []))[1].append((n.recipient, obj))
    read = {(name, user_id, pk) for name, (kind, pairs) in pairs_by_kind.items()
            for user_id, pk in kind.read_by(pairs)}
    for n, kind, obj in asked:
        (skip if (kind.name, n.recipient_id, obj.pk) in read else keep).append(n)
    return keep, skip


# --- Claiming and settling ------------------------------------------------------------------------------------

def _claim(waiting) -> list[int]:
    """Move the rows of the queryset `waiting` (filtered on their waiting status) to "sending";
    returns the ids this courier now owns. Rows another courier is claiming are skipped."""
    with transaction.atomic():
        owned = list(waiting.select_for_update(skip_locked=True).order_by().values_list("pk", flat=True))
        if owned:
            Notification.objects.filter(pk__in=owned).update(email_status=EmailStatus.SENDING)
    return owned


def _settle(ids, status: str, **fields) -> None:
    """Leave "sending" for `status` (only rows this courier claimed are in "sending")."""
    ids = list(ids)
    if ids:
        Notification.objects.filter(pk__in=ids, email_status=EmailStatus.SENDING).update(
            email_status=status, **fields)


# --- Messages ------------------------------------------------------------------------------------------------

def _message(recipient: Recipient, template: str, context: dict, *, kind_name: str,
             subject=None) -> EmailMultiAlternatives:
    """Subject, plain text and HTML in the member's language, with the one-click unsubscribe
    headers of RFC 8058 (mail clients POST `List-Unsubscribe=One-Click` to that URL). `subject` is
    a function called in the member's language; without it, the template's `_subject.txt`."""
    user = recipient.user
    language = user.language or settings.LANGUAGE_CODE
    unsubscribe = unsubscribe_url(user.pk, kind_name)
    context = {**context, "user": user, "site_name": settings.SITE_NAME, "unsubscribe_url": unsubscribe,
               "preferences_url": absolute(reverse("community:notification_preferences")),
               "notifications_url": absolute(reverse("community:notifications")),
               "site_url": settings.SITE_URL.rstrip("/"), "language": language}
    with translation.override(language):
        subject = " ".join((subject() if subject is not None
                            else render_to_string(f"{template}_subject.txt", context)).split())
        text = render_to_string(f"{template}_message.txt", context)
        html = render_to_string(f"{template}_message.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.address], headers={
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    })
    message.attach_alternative(html, "text/html")
    return message


def _send(messages) -> tuple[list, list]:
    """Send (key, message) pairs over one connection; returns the keys (sent, failed)."""
    if not messages:
        return [], []
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        log.exception("email backend unavailable: %s notification emails wait", len(messages))
        return [], [key for key, _message in messages]
    sent, failed = [], []
    try:
        for key, message in messages:
            message.connection = connection
            try:
                message.send()
            except Exception:
                log.exception("notification email %s failed", key)
                failed.append(key)
            else:
                sent.append(key)
    finally:
        try:
            connection.close()
        except Exception:
            log.warning("closing the email connection failed", exc_info=True)
    return sent, failed


def _actions(notification, user) -> list:
    """The kind's buttons for this email (labels are lazy: rendered in the member's language)."""
    kind = get_kind(notification.kind)
    return list(kind.email_actions(notification, user)) if kind.email_actions is not None else []


def _subject_of(notification):
    """The subject as the notification's kind words it (registry), computed in the member's language."""
    return lambda: get_kind(notification.kind).subject_for(line_of(notification))


# --- At once ----------------------------------------------------------------------------------------------------

def send_pending_emails(*, event_id: int | None = None, older_than_seconds: int | None = None,
                        limit: int = 1000) -> int:
    """Send the at-once emails still pending (of one event, or stale ones for the sweeper).
    Returns how many went out."""
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING)
    if event_id is not None:
        pending = pending.filter(event_id=event_id)
    if older_than_seconds is not None:
        pending = pending.filter(created_at__lte=timezone.now() - timedelta(seconds=older_than_seconds))
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    sent = 0
    for start in range(0, len(ids), BATCH):
        sent += _send_batch(ids[start:start + BATCH])
    return sent


def _send_batch(ids) -> int:
    owned = _claim(Notification.objects.filter(pk__in=ids, email_status=EmailStatus.PENDING))
    if not owned:
        return 0
    try:
        notifications = list(Notification.objects.filter(pk__in=owned).select_related("actor").order_by("pk"))
        recipients = confirmed_recipients({n.recipient_id for n in notifications})
        keep, skip = sort_deliverable(notifications, recipients)
        _settle([n.pk for n in skip], EmailStatus.SKIPPED)
        messages = [
            (n.pk, _message(recipients[n.recipient_id], "community/email/notification",
                            {"notification": n, "kind": get_kind(n.kind), "url": absolute(n.url),
                             "actions": _actions(n, recipients[n.recipient_id].user)},
                            kind_name=n.kind, subject=_subject_of(n)))
            for n in keep
        ]
    except Exception:  # nothing was sent: give the rows back rather than leave them claimed
        _settle(owned, EmailStatus.PENDING)
        raise
    sent, failed = _send(messages)
    _settle(sent, EmailStatus.SENT, emailed_at=timezone.now())
    _settle(failed, EmailStatus.PENDING)
    return len(sent)


# --- Digests -----------------------------------------------------------------------------------------------------

def send_digests(*, period: str) -> int:
    """One email per member gathering their waiting notifications of that period (daily or
    weekly). Returns how many digests went out."""
    channels = {"daily": Channel.DAILY, "weekly": Channel.WEEKLY}
    if period not in channels:
        raise ValueError(f"unknown digest period {period!r}: daily or weekly")
    channel = channels[period]
    waiting = Notification.objects.filter(email_status=EmailStatus.DIGEST, channel=channel)
    user_ids = sorted(set(waiting.values_list("recipient_id", flat=True)))
    sent = 0
    for start in range(0, len(user_ids), BATCH):
        sent += _send_digest_batch(waiting.filter(recipient_id__in=user_ids[start:start + BATCH]), period)
    return sent


def _send_digest_batch(waiting, period: str) -> int:
    owned = _claim(waiting)
    if not owned:
        return 0
    try:
        notifications = list(Notification.objects.filter(pk__in=owned).select_related("actor"))
        recipients = confirmed_recipients({n.recipient_id for n in notifications})
        keep, skip = sort_deliverable(notifications, recipients)
        _settle([n.pk for n in skip], EmailStatus.SKIPPED)
        by_user: dict[int, list] = {}
        for n in keep:
            by_user.setdefault(n.recipient_id, []).append(n)
        messages = []
        for user_id, items in by_user.items():
            items.sort(key=lambda n: (n.created_at, n.pk), reverse=True)  # newest first
            entries = [{"notification": n, "label": get_kind(n.kind).label, "url": absolute(n.url)}
                       for n in items[:DIGEST_MAX_ITEMS]]
            messages.append((tuple(n.pk for n in items), _message(
                recipients[user_id], "community/email/digest",
                {"entries": entries, "count": len(items), "more": max(len(items) - DIGEST_MAX_ITEMS, 0),
                 "period": period},
                kind_name="digest")))
    except Exception:  # nothing was sent: give the rows back rather than leave them claimed
        _settle(owned, EmailStatus.DIGEST)
        raise
    sent, failed = _send(messages)
    _settle([pk for key in sent for pk in key], EmailStatus.SENT, emailed_at=timezone.now())
    _settle([pk for key in failed for pk in key], EmailStatus.DIGEST)
    return len(sent)
