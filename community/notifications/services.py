"""Writes of notifications: fan-out of an event, read marks, preferences.

Fan-out runs inside the event's dispatch (community.events: row lock, once per event), and is
idempotent on its own too: the INSERT skips anyone already told (unique recipient + event key) and
the bells count only the rows it created, so a second run creates nothing and counts nothing twice.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.utils import timezone

from .. import content, events
from ..models import Event, User
from ..permissions import check_can_choose_staff_alerts, may_choose_staff_alerts, notified_members_filter
from .models import AlertSettings, Channel, EmailStatus, Notification, NotificationPreference
from .registry import KINDS, Recipients, check_kind, get_kind, source_for

log = logging.getLogger(__name__)

# Tribune runs on PostgreSQL and SQLite (DESIGN.md): these fragments are all the fan-out SQL that differs.
# A set of ids from one JSON array parameter.
_ID_SETS = {
    "postgresql": "SELECT jsonb_array_elements_text(%s::jsonb)::bigint",
    "sqlite": "SELECT value FROM json_each(%s)",
}
# Rows (recipient_id, kind, group_key, channel, email_status) from one JSON array parameter.
_ROW_SOURCES = {
    "postgresql": "jsonb_to_recordset(%s::jsonb) AS r(recipient_id bigint, kind text, group_key text, "
                  "channel text, email_status text)",
    "sqlite": "(SELECT value ->> 'recipient_id' AS recipient_id, value ->> 'kind' AS kind, "
              "value ->> 'group_key' AS group_key, value ->> 'channel' AS channel, "
              "value ->> 'email_status' AS email_status FROM json_each(%s)) AS r",
}


def _id_set(ids) -> RawSQL:
    """`ids` as a sub-query over ONE parameter, for `pk__in=`: a fan-out to 10,000 watchers must not
    bind 10,000 parameters (SQLite refuses more than 32,766; PostgreSQL parses each one)."""
    return RawSQL(_ID_SETS[connection.vendor], [json.dumps(sorted(ids))])


def channels_for(user_ids, kinds: dict[int, str]) -> dict[int, str]:
    """Each recipient's channel for their kind: their preference, else the kind's default (one query)."""
    chosen = {
        (user_id, kind): channel
        for user_id, kind, channel in NotificationPreference.objects
        .filter(user_id__in=_id_set(user_ids), kind__in=sorted({kinds[uid] for uid in user_ids}))
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
    """Create the notifications of `event` for `recipients` and raise their bells, idempotently.
    Returns the ids of the notifications created now that are to be emailed at once.

    Precondition: inside the event's dispatch transaction (community.events holds the event's row
    lock, so no other fan-out of it runs at the same time). The cost does not depend on the number
    of recipients: five queries on PostgreSQL (one more with staff alerts), each carrying its ids
    as one parameter.
    """
    kinds = {uid: kind for uid, kind in recipients.kinds.items() if uid and uid != actor_id and check_kind(kind)}
    if not kinds:
        return []
    # Only active, unbanned members are told anything. Who was told already is left to the INSERT
    # (unique recipient and event): a NOT EXISTS here misled PostgreSQL's planner into a quadratic
    # anti-join when a redelivery found 10,000 rows of an event its statistics had never seen.
    wanted = set(User.objects.filter(notified_members_filter(), pk__in=_id_set(kinds))
                 .order_by().values_list("pk", flat=True))
    if not wanted:
        return []
    channels = channels_for(wanted, kinds)
    alert_ids = [uid for uid in wanted if get_kind(kinds[uid]).staff_alert]
    quiet = {}
    if alert_ids:
        now = timezone.now()
        settings_rows = {row.user_id: row for row in AlertSettings.objects.filter(user_id__in=_id_set(alert_ids))}
        quiet = {uid: in_quiet_hours(settings_rows.get(uid), now) for uid in alert_ids}
    rows = []
    for uid in sorted(wanted):
        channel = channels[uid]
        if channel == Channel.OFF:
            continue
        if channel == Channel.IMMEDIATE and quiet.get(uid):
            channel = Channel.DAILY  # quiet hours: the alert waits for the next digest
        rows.append({"recipient_id": uid, "kind": kinds[uid], "group_key": f"{kinds[uid]}:{recipients.group_key}",
                     "channel": str(channel), "email_status": str(_email_status(channel))})
    if not rows:
        return []
    with transaction.atomic(savepoint=False):
        created = _insert_notifications(event, rows, data=recipients.data, actor_id=actor_id)
        if not created:
            return []  # a redelivery: everyone was told already
        # The bell: +1 for each notification this run created (not for one a redelivery skipped).
        told = {recipient_id for _pk, recipient_id, _status in created}
        bells = User.objects.filter(pk__in=_id_set(told))
        if connection.features.has_select_for_update:
            # Lock the rows in id order first: two fan-outs to overlapping members at once would
            # otherwise lock them in hash order and could deadlock (and fail the event).
            list(bells.order_by("pk").select_for_update(no_key=True).values_list("pk", flat=True))
        bells.update_known(told, unread_notifications=F("unread_notifications") + 1)
    return [pk for pk, _recipient_id, status in created if status == EmailStatus.PENDING]


def _insert_notifications(event: Event, rows: list[dict], *, data: dict, actor_id) -> list[tuple[int, int, str]]:
    """One INSERT … SELECT whatever the number of rows: they travel as one JSON parameter, and what
    they share (event, actor, target, data, time) once. A row that exists already (unique recipient
    and event) is skipped. Returns (id, recipient_id, email_status) of the rows created."""
    meta = Notification._meta
    shared = {"event": event.pk, "actor": actor_id, "target_type": event.target_type_id,
              "target_id": event.target_id, "data": data, "created_at": event.created_at}
    per_row = ["recipient_id", "kind", "group_key", "channel", "email_status"]  # columns and JSON keys
    columns = per_row + [meta.get_field(name).column for name in shared]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(f'r.{column}' for column in per_row)}, {', '.join(['%s'] * len(shared))} "
        f"FROM {_ROW_SOURCES[connection.vendor]} "
        "WHERE true "  # SQLite needs a WHERE before ON CONFLICT in an INSERT … SELECT
        "ON CONFLICT DO NOTHING RETURNING id, recipient_id, email_status"
    )
    params = [meta.get_field(name).get_db_prep_save(value, connection) for name, value in shared.items()]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, json.dumps(rows)])
        return [tuple(row) for row in cursor.fetchall()]


@events.handles_every
def fan_out_event(event: Event) -> None:
    """Runs for every event, after its kind's handlers: ask the registered source (if any) who is
    concerned, then fan out."""
    source = source_for(event.kind, (event.payload or {}).get("kind"))
    if source is None:
        return
    recipients = source(event)
    if recipients is None:
        return
    if event.kind == events.CONTENT_CREATED and event.target_id is not None and Event.objects.filter(
            key=events.publication_key((event.payload or {}).get("kind", ""), event.target_id)).exists():
        return  # held, then released by a CM before this delivery ran: the publication event tells
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
# The bell (User.unread_notifications) follows every read mark exactly, so that no page has to count.

def mark_group_read(*, actor: User, group_key: str) -> int:
    """Mark one line of the inbox read: every notification of `actor` sharing `group_key`."""
    return _mark(actor, Notification.objects.filter(recipient=actor, group_key=group_key))


def mark_all_read(*, actor: User) -> int:
    """Everything read, and the bell back to zero (which also heals a counter that drifted).

    The counter is reset first: that UPDATE locks the member's row, so a fan-out adding a notification
    meanwhile waits for this transaction and counts its notification after the reset, not before."""
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(unread_notifications=0)
        count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    actor.unread_notifications = 0
    return count


def mark_group_suffix_read(*, actor: User, suffix: str) -> int:
    """Everything about one thing, whatever the kind (e.g. ":topic:42" when the topic is opened).
    Costs nothing when the bell is at zero."""
    if not actor.is_authenticated or not actor.unread_notifications:
        return 0
    return _mark(actor, Notification.objects.filter(recipient=actor, group_key__endswith=suffix))


def _mark(actor: User, notifications) -> int:
    with transaction.atomic():
        count = notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        if count:
            _lower_bell(actor, count)
    return count


def _lower_bell(actor: User, count: int) -> None:
    """Precondition: `count` notifications of `actor` were just marked read in this transaction."""
    User.objects.filter(pk=actor.pk).update(unread_notifications=Greatest(F("unread_notifications") - count, 0))
    actor.unread_notifications = max(actor.unread_notifications - count, 0)


# --- Preferences -----------------------------------------------------------------------------------------

def save_preferences(*, actor: User, channels: dict[str, str], quiet_hours: tuple | None = None) -> None:
    """The preferences page in one transaction: channels, and for a community manager the quiet
    hours as (start, end, time zone)."""
    with transaction.atomic():
        set_preferences(actor=actor, channels=channels)
        if quiet_hours is not None:
            start, end, time_zone = quiet_hours
            set_quiet_hours(actor=actor, start=start, end=end, time_zone=time_zone)


def set_preferences(*, actor: User, channels: dict[str, str]) -> None:
    """Store the channel chosen for each kind. A kind or channel that does not exist, or a staff
    alert chosen by someone who is not a community manager, is ignored (callers validate first)."""
    allowed_staff = None
    rows = []
    for kind_name, channel in channels.items():
        kind = KINDS.get(kind_name)
        if kind is None or channel not in kind.channels:
            continue
        if kind.staff_alert:
            if allowed_staff is None:
                allowed_staff = may_choose_staff_alerts(actor)
            if not allowed_staff:
                continue
        rows.append(NotificationPreference(user=actor, kind=kind_name, channel=channel))
    if rows:
        NotificationPreference.objects.bulk_create(rows, update_conflicts=True, unique_fields=["user", "kind"],
                                                   update_fields=["channel"])


DIGEST = "digest"


def unsubscribe(*, actor: User, kind_name: str) -> None:
    """One-click unsubscribe from the emails of one kind (or of every digest, for "digest"):
    the news stays on the site."""
    if kind_name == DIGEST:
        current = dict(NotificationPreference.objects.filter(user=actor).values_list("kind", "channel"))
        names = [kind.name for kind in KINDS.values()
                 if current.get(kind.name, kind.default_channel) in (Channel.DAILY, Channel.WEEKLY)]
    elif kind_name in KINDS:
        names = [kind_name]
    else:
        return
    with transaction.atomic():
        for name in names:
            NotificationPreference.objects.update_or_create(user=actor, kind=name,
                                                            defaults={"channel": Channel.ONSITE})
        waiting = Notification.objects.filter(recipient=actor, kind__in=names,
                                              email_status__in=[EmailStatus.PENDING, EmailStatus.DIGEST])
        if kind_name == DIGEST:
            # Also what waits for a digest whatever the kind's channel (a CM's alert held by quiet hours).
            waiting = waiting | Notification.objects.filter(recipient=actor, email_status=EmailStatus.DIGEST)
        waiting.update(email_status=EmailStatus.SKIPPED)


def set_quiet_hours(*, actor: User, start, end, time_zone: str = "UTC") -> AlertSettings:
    """Quiet hours of a community manager's alerts. `start` and `end` are naive times (both or
    neither), `time_zone` an IANA name; raises PermissionDenied for anyone else."""
    check_can_choose_staff_alerts(actor)
    row, _created = AlertSettings.objects.update_or_create(
        user=actor, defaults={"quiet_start": start, "quiet_end": end, "time_zone": time_zone or "UTC"})
    return row


@content.register_text_listener
def refresh_excerpts(kind, obj) -> int:
    """A row's text changed (an edit, a moderator's redaction): the notifications about it that
    quote it quote the new text — or nothing while it is not public — so that no inbox, digest or
    email still to be sent keeps the old words. One query to find them (indexed by target), one
    UPDATE per 500. Returns how many changed."""
    rows = list(Notification.objects.filter(target_type=ContentType.objects.get_for_model(kind.model),
                                            target_id=obj.pk).only("pk", "data"))
    rows = [row for row in rows if isinstance(row.data, dict) and "excerpt" in row.data]
    if not rows:
        return 0
    excerpt = kind.excerpt(obj) if kind.is_public(obj) else None
    changed = []
    for notification in rows:
        data = notification.data
        if data["excerpt"] == excerpt:
            continue
        if excerpt is None:
            data.pop("excerpt")
        else:
            data["excerpt"] = excerpt
        notification.data = data
        changed.append(notification)
    Notification.objects.bulk_update(changed, ["data"], batch_size=500)
    return len(changed)


def announce_publication(obj) -> None:
    """Content held from the start (a CM's review, a space owner's approval) is now published: tell
    whoever its creation would have told — a "content.published" event carrying the creation
    event's payload and author. Nothing when its creation's fan-out already told people the news
    (a notice that it waits for approval is not the news)."""
    kind = content.kind_for(obj)
    created = (Event.objects.filter(kind=events.CONTENT_CREATED, target_type=ContentType.objects.get_for_model(kind.model),
                                    target_id=obj.pk).order_by("pk").first())
    if created is None:
        return
    notices = [name for name, registered in KINDS.items() if registered.about_held]
    if Notification.objects.filter(event=created).exclude(kind__in=notices).exists():
        return
    # If the creation event is still waiting (a backlog on the spam queue), its fan-out will see
    # this publication event and leave the news to it.
    events.record_event(events.CONTENT_PUBLISHED, actor=created.actor, target=obj,
                        payload={**(created.payload or {}), "kind": kind.name},
                        key=events.publication_key(kind.name, obj.pk))
