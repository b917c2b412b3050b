"""Email delivery of notifications: at once, or in daily / weekly digests.

Every check is made at delivery time, not only at fan-out: the address must be confirmed, the
member not banned, the content still visible to them (hidden, removed, forum access lost), and
not already read on the site. Each notification is *claimed* (pending -> sending) by one UPDATE
before its email goes out, so two couriers never send the same email.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .. import content
from ..models import User
from . import get_kind
from .models import Channel, EmailStatus, Notification

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "tribune.notifications.unsubscribe"


def unsubscribe_token(user_id: int, kind_name: str) -> str:
    return signing.dumps({"u": user_id, "k": kind_name}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return None
    return data["u"], data["k"]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(user_id: int, kind_name: str) -> str:
    return absolute(reverse("community:unsubscribe", kwargs={"token": unsubscribe_token(user_id, kind_name)}))


def confirmed_recipients(user_ids) -> dict[int, User]:
    """Members who may get email: active, not banned, with a confirmed primary address (one query each)."""
    users = {u.pk: u for u in User.objects.filter(pk__in=list(user_ids), is_active=True, banned_at__isnull=True)}
    confirmed = set(
        EmailAddress.objects.filter(user_id__in=list(users), verified=True, primary=True)
        .values_list("user_id", flat=True)
    )
    return {uid: user for uid, user in users.items() if uid in confirmed and user.email}


def still_visible(notifications) -> dict[int, bool]:
    """Whether each notification's target may still be seen by its recipient (one query per kind)."""
    by_type: dict[int, set] = {}
    for n in notifications:
        if n.target_type_id and n.target_id:
            by_type.setdefault(n.target_type_id, set()).add(n.target_id)
    targets = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        try:
            kind = content.kind_for(model)
        except LookupError:
            kind = None
        rows = kind.fetch(ids) if kind else model._default_manager.in_bulk(ids)
        for pk, obj in rows.items():
            targets[(type_id, pk)] = (kind, obj)
    result = {}
    for n in notifications:
        if not n.target_type_id:
            result[n.pk] = True
            continue
        found = targets.get((n.target_type_id, n.target_id))
        if found is None:
            result[n.pk] = False
            continue
        kind, obj = found
        result[n.pk] = kind.visible_to(n.recipient, obj) if kind else True
    return result


def _message(user: User, template: str, context: dict, *, kind_name: str) -> EmailMultiAlternatives:
    language = user.language or settings.LANGUAGE_CODE
    unsubscribe = unsubscribe_url(user.pk, kind_name)
    context = {**context, "user": user, "site_name": settings.SITE_NAME, "unsubscribe_url": unsubscribe,
               "preferences_url": absolute(reverse("community:notification_preferences")),
               "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_message.txt", context)
        html = render_to_string(f"{template}_message.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email], headers={
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    })
    message.attach_alternative(html, "text/html")
    return message


def _skip(ids) -> None:
    if ids:
        Notification.objects.filter(pk__in=list(ids)).update(email_status=EmailStatus.SKIPPED)


def send_pending_emails(*, event_id: int | None = None, older_than_seconds: int | None = None,
                        limit: int = 1000) -> int:
    """Send the at-once emails still pending (of one event, or stale ones for the sweeper)."""
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING)
    if event_id is not None:
        pending = pending.filter(event_id=event_id)
    if older_than_seconds is not None:
        pending = pending.filter(created_at__lte=timezone.now() - timedelta(seconds=older_than_seconds))
    sent = 0
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    for start in range(0, len(ids), 200):
        sent += _send_batch(ids[start:start + 200])
    return sent


def _send_batch(ids) -> int:
    notifications = list(Notification.objects.filter(pk__in=ids, email_status=EmailStatus.PENDING)
                         .select_related("recipient", "actor"))
    recipients = confirmed_recipients({n.recipient_id for n in notifications})
    visible = still_visible(notifications)
    to_skip = [n.pk for n in notifications
               if n.recipient_id not in recipients or not visible.get(n.pk) or n.read_at is not None]
    _skip(to_skip)
    sent = 0
    connection = get_connection()
    for n in notifications:
        if n.pk in to_skip:
            continue
        # Claim it: only one courier moves it from pending to sending.
        if not Notification.objects.filter(pk=n.pk, email_status=EmailStatus.PENDING).update(
                email_status=EmailStatus.SENDING):
            continue
        kind = get_kind(n.kind)
        message = _message(recipients[n.recipient_id], "community/email/notification",
                           {"notification": n, "kind": kind, "url": absolute(n.url)}, kind_name=n.kind)
        try:
            message.connection = connection
            message.send()
        except Exception:
            log.exception("notification email %s failed", n.pk)
            Notification.objects.filter(pk=n.pk).update(email_status=EmailStatus.PENDING)
            continue
        Notification.objects.filter(pk=n.pk).update(email_status=EmailStatus.SENT, emailed_at=timezone.now())
        sent += 1
    return sent


def send_digests(*, period: str) -> int:
    """One email per member gathering their waiting notifications of that channel."""
    channel = Channel.WEEKLY if period == "weekly" else Channel.DAILY
    waiting = Notification.objects.filter(email_status=EmailStatus.DIGEST, channel=channel)
    user_ids = list(waiting.values_list("recipient_id", flat=True).distinct())
    sent = 0
    for start in range(0, len(user_ids), 200):
        recipients = confirmed_recipients(user_ids[start:start + 200])
        batch = list(waiting.filter(recipient_id__in=user_ids[start:start + 200])
                     .select_related("recipient", "actor").order_by("recipient_id", "-created_at"))
        visible = still_visible(batch)
        by_user: dict[int, list] = {}
        skipped = []
        for n in batch:
            if n.recipient_id not in recipients or not visible.get(n.pk) or n.read_at is not None:
                skipped.append(n.pk)
            else:
                by_user.setdefault(n.recipient_id, []).append(n)
        _skip(skipped)
        for user_id, items in by_user.items():
            claimed = Notification.objects.filter(pk__in=[n.pk for n in items],
                                                  email_status=EmailStatus.DIGEST).update(
                email_status=EmailStatus.SENDING)
            if not claimed:
                continue
            message = _message(recipients[user_id], "community/email/digest",
                               {"items": items, "period": period,
                                "links": {n.pk: absolute(n.url) for n in items}},
                               kind_name="digest")
            try:
                message.send()
            except Exception:
                log.exception("digest for %s failed", user_id)
                Notification.objects.filter(pk__in=[n.pk for n in items]).update(email_status=EmailStatus.DIGEST)
                continue
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email_status=EmailStatus.SENT, emailed_at=timezone.now())
            sent += 1
    return sent
