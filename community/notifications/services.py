"""Writes of notifications: fan-out of an event, read marks, preferences.

Fan-out runs inside the event's dispatch (community.events: row lock, once per event), and is
idempotent on its own too: the unique (recipient, event) key and an explicit "already told" check
mean a second run creates nothing and counts nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Event, User
from . import KINDS, Recipients, get_kind, source_for
from .models import AlertSettings, Channel, EmailStatus, Notification, NotificationPreference

log = logging.getLogger(__name__)

BATCH = 2000


def channels_for(user_ids, kinds: dict[int, str]) -> dict[int, str]:
    """Each recipient's channel for their kind: their preference, else the kind's default (one query)."""
    chosen = {
        (user_id, kind): channel
        for user_id, kind, channel in NotificationPreference.objects.filter(user_id__in=user_ids)
        .values_list("user_id", "kind", "channel")
    }
    return {uid: chosen.get((uid, kinds[uid]), get_kind(kinds[uid]).default_channel) for uid in user_ids}


def in_quiet_hours(settings_row: AlertSettings | None, now: datetime) -> bool:
    if settings_row is None or settings_row.quiet_start is None or settings_row.quiet_end is None:
        return False
    try:
        zone = ZoneInfo(settings_row.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone).time()
    start, end = settings_row.quiet_start, settings_row.quiet_end
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # across midnight


def _email_status(channel: str) -> str:
    if channel == Channel.IMMEDIATE:
        return EmailStatus.PENDING
    if channel in (Channel.DAILY, Channel.WEEKLY):
        return EmailStatus.DIGEST
    return EmailStatus.NONE


def fan_out(event: Event, recipients: Recipients, *, actor_id=None) -> list[int]:
    """Create the notifications of `event` for `recipients` (bulk, idempotent). Returns the ids of
    the notifications to email at once. Precondition: inside the event's dispatch transaction."""
    kinds = {uid: kind for uid, kind in recipients.kinds.items() if uid and uid != actor_id and kind in KINDS}
    if not kinds:
        return []
    already = set(Notification.objects.filter(event=event, recipient_id__in=list(kinds))
                  .values_list("recipient_id", flat=True))
    # Only active, unbanned members are told anything.
    wanted = set(User.objects.filter(pk__in=[uid for uid in kinds if uid not in already], is_active=True,
                                     banned_at__isnull=True).values_list("pk", flat=True))
    if not wanted:
        return []
    channels = channels_for(wanted, kinds)
    alert_ids = [uid for uid in wanted if get_kind(kinds[uid]).staff_alert]
    quiet = {}
    if alert_ids:
        now = timezone.now()
        rows = {row.user_id: row for row in AlertSettings.objects.filter(user_id__in=alert_ids)}
        quiet = {uid: in_quiet_hours(rows.get(uid), now) for uid in alert_ids}
    target_type_id, target_id = event.target_type_id, event.target_id
    rows = []
    for uid in sorted(wanted):
        channel = channels[uid]
        if channel == Channel.OFF:
            continue
        if channel == Channel.IMMEDIATE and quiet.get(uid):
            channel = Channel.DAILY  # quiet hours: the alert waits for the next digest
        rows.append(Notification(
            recipient_id=uid, kind=kinds[uid], event=event, actor_id=actor_id, target_type_id=target_type_id,
            target_id=target_id, group_key=f"{kinds[uid]}:{recipients.group_key}", data=recipients.data,
            channel=channel, email_status=_email_status(channel), created_at=event.created_at,
        ))
    for start in range(0, len(rows), BATCH):
        Notification.objects.bulk_create(rows[start:start + BATCH], ignore_conflicts=True)
    told = [row.recipient_id for row in rows]
    for start in range(0, len(told), BATCH):
        User.objects.filter(pk__in=told[start:start + BATCH]).update(
            unread_notifications=F("unread_notifications") + 1)
    if any(row.email_status == EmailStatus.PENDING for row in rows):
        return list(Notification.objects.filter(event=event, email_status=EmailStatus.PENDING)
                    .values_list("pk", flat=True))
    return []


def fan_out_event(event: Event) -> None:
    """Event handler: ask the registered source who is concerned, then fan out."""
    source = source_for(event.kind, (event.payload or {}).get("kind"))
    if source is None:
        return
    recipients = source(event)
    if recipients is None:
        return
    to_email = fan_out(event, recipients, actor_id=event.actor_id)
    if to_email:
        from .tasks import send_notification_emails

        transaction.on_commit(lambda: _enqueue_emails(send_notification_emails, event.pk))


def _enqueue_emails(task, event_id):
    try:
        task.apply_async(args=[event_id])
    except Exception:  # the rows say "pending": the sweeper sends them later
        log.warning("notification emails of event %s not queued now", event_id, exc_info=True)


# --- Reading -------------------------------------------------------------------------------------------

def mark_read(*, user: User, notification_ids) -> int:
    """Mark some of `user`'s notifications read; the bell follows exactly."""
    with transaction.atomic():
        count = Notification.objects.filter(recipient=user, pk__in=list(notification_ids),
                                            read_at__isnull=True).update(read_at=timezone.now())
        if count:
            _lower_bell(user, count)
    return count


def mark_group_read(*, user: User, group_key: str) -> int:
    with transaction.atomic():
        count = Notification.objects.filter(recipient=user, group_key=group_key,
                                            read_at__isnull=True).update(read_at=timezone.now())
        if count:
            _lower_bell(user, count)
    return count


def mark_all_read(*, user: User) -> int:
    with transaction.atomic():
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
        User.objects.filter(pk=user.pk).update(unread_notifications=0)
        user.unread_notifications = 0
    return count


def mark_group_suffix_read(*, user: User, suffix: str) -> int:
    """Everything about one thing, whatever the kind (e.g. ":topic:42" when the topic is opened).
    Costs nothing when the bell is at zero."""
    if not user.is_authenticated or not user.unread_notifications:
        return 0
    with transaction.atomic():
        count = Notification.objects.filter(recipient=user, read_at__isnull=True,
                                            group_key__endswith=suffix).update(read_at=timezone.now())
        if count:
            _lower_bell(user, count)
    return count


def mark_target_read(*, user: User, target, kinds=None) -> int:
    """The member has seen `target` on the site (e.g. opened the topic): its notifications are read.
    Costs nothing when the bell is at zero."""
    if not user.is_authenticated or not user.unread_notifications:
        return 0
    query = Notification.objects.filter(recipient=user, read_at__isnull=True,
                                        target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
    if kinds:
        query = query.filter(kind__in=kinds)
    with transaction.atomic():
        count = query.update(read_at=timezone.now())
        if count:
            _lower_bell(user, count)
    return count


def _lower_bell(user: User, count: int) -> None:
    User.objects.filter(pk=user.pk, unread_notifications__gte=count).update(
        unread_notifications=F("unread_notifications") - count)
    User.objects.filter(pk=user.pk, unread_notifications__lt=count).update(unread_notifications=0)
    user.unread_notifications = max(user.unread_notifications - count, 0)


# --- Preferences -----------------------------------------------------------------------------------------

def set_preferences(*, user: User, channels: dict[str, str]) -> None:
    """Store the channel chosen for each kind (validated against the kind's channels)."""
    with transaction.atomic():
        for kind_name, channel in channels.items():
            kind = KINDS.get(kind_name)
            if kind is None or channel not in kind.channels:
                continue
            if kind.staff_alert:
                from ..permissions import state_for

                if not state_for(user).is_community_manager:
                    continue
            NotificationPreference.objects.update_or_create(user=user, kind=kind_name,
                                                            defaults={"channel": channel})


DIGEST = "digest"


def unsubscribe(*, user: User, kind_name: str) -> None:
    """One-click unsubscribe from the emails of one kind (or of every digest, for "digest"):
    the news stays on the site."""
    if kind_name == DIGEST:
        current = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
        names = [kind.name for kind in KINDS.values()
                 if current.get(kind.name, kind.default_channel) in (Channel.DAILY, Channel.WEEKLY)]
    elif kind_name in KINDS:
        names = [kind_name]
    else:
        return
    with transaction.atomic():
        for name in names:
            NotificationPreference.objects.update_or_create(user=user, kind=name,
                                                            defaults={"channel": Channel.ONSITE})
        Notification.objects.filter(recipient=user, kind__in=names,
                                    email_status__in=[EmailStatus.PENDING, EmailStatus.DIGEST]).update(
            email_status=EmailStatus.SKIPPED)


def set_quiet_hours(*, user: User, start, end, time_zone: str = "UTC") -> AlertSettings:
    row, _created = AlertSettings.objects.update_or_create(
        user=user, defaults={"quiet_start": start, "quiet_end": end, "time_zone": time_zone or "UTC"})
    return row
