"""Sanctions: warn, silence, suspend, ban — and "remove all content of this member".

Public entry points are keyword-only with the actor first, authorize through
community.permissions, write in one transaction, leave an AuditLogEntry for every action and
record an outbox Event ("moderation.sanction") whose notification source tells the member.

`community.User.silenced_until / suspended_until / banned_at` are the denormalized current effect
of a member's sanctions: community.permissions reads them (check_can_post, check_not_sanctioned),
MemberStateMiddleware logs a suspended or banned member out on their next request and the account
adapter refuses their login. They are written here with queryset updates, never with `save()`.

Warnings: the member is notified (kind MODERATION, linking to /moderation/my-sanctions/) and
acknowledges them there. Until then a banner on every page says so: `User.pending_warnings` counts
the unacknowledged warnings (kept here), so the banner costs no query. A pending warning does not
block posting.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from community import content, events
from community.models import User
from community.permissions import check_can_acknowledge_warning, check_can_sanction

from .events import REMOVE_ALL_CONTENT, SANCTION
from .models import AuditLogEntry, Sanction, SanctionKind

MAX_DAYS = 3650
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)
MEMBER_KIND = "community.user"  # AuditLogEntry.kind for actions on a member
DURATION_KINDS = {SanctionKind.SILENCE: "silenced_until", SanctionKind.SUSPEND: "suspended_until"}


def end_sessions(member) -> int:
    """Delete every session of `member`, from the database and the cache (sessions are cached_db).
    Returns how many ended. Sessions are signed blobs, so each is decoded: fine for a ban, a rare
    action; the middleware would log the member out on their next request anyway."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    uid = str(member.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id", "")) == uid:
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


def _recompute(member_id: int, kind: str, now) -> None:
    """After a lift: the member's denormalized field follows their remaining active sanctions."""
    active = Sanction.objects.filter(member_id=member_id, kind=kind).active(now)
    if kind in DURATION_KINDS:
        User.objects.filter(pk=member_id).update(**{DURATION_KINDS[kind]: active.aggregate(end=Max("ends_at"))["end"]})
    elif kind == SanctionKind.BAN and not active.exists():
        User.objects.filter(pk=member_id).update(banned_at=None)


def sanction_member(*, actor, member, kind: str, reason: str, days: int | None = None) -> Sanction:
    """Warn, silence (`days`), suspend (`days`) or ban `member`, stating a `reason` they will see.

    Raises PermissionDenied (not a moderator; staff, superuser or oneself as target) and
    ValueError (unknown kind, empty reason, days missing or outside 1..MAX_DAYS)."""
    check_can_sanction(actor, member)
    kind = SanctionKind(kind)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("State a reason: the member will see it."))
    if kind in DURATION_KINDS:
        if days is None or not 1 <= int(days) <= MAX_DAYS:
            raise ValueError(_("The duration must be between 1 and %(max)d days.") % {"max": MAX_DAYS})
        days = int(days)
    else:
        days = None
    now = timezone.now()
    ends_at = now + timedelta(days=days) if days else None
    with transaction.atomic():
        # Serialize sanctions of one member: a double-submitted form gives one sanction, not two.
        User.objects.select_for_update(no_key=True).filter(pk=member.pk).values_list("pk", flat=True).first()
        for same in Sanction.objects.filter(member=member, kind=kind, reason=reason, created_by=actor,
                                            created_at__gte=now - DOUBLE_SUBMIT_WINDOW).order_by("-pk"):
            same_days = round((same.ends_at - same.created_at).total_seconds() / 86400) if same.ends_at else None
            if same_days == days:
                return same
        sanction = Sanction.objects.create(member=member, kind=kind, reason=reason, created_by=actor,
                                           created_at=now, ends_at=ends_at)
        if kind in DURATION_KINDS:
            field = DURATION_KINDS[kind]
            current = getattr(User.objects.only(field).get(pk=member.pk), field)
            # A shorter sanction never shortens a longer one already running.
            until = max(ends_at, current) if current and current > now else ends_at
            User.objects.filter(pk=member.pk).update(**{field: until})
            setattr(member, field, until)
        elif kind == SanctionKind.WARN:
            _sync_warnings(member.pk)
        elif kind == SanctionKind.BAN:
            User.objects.filter(pk=member.pk, banned_at__isnull=True).update(banned_at=now)
            member.banned_at = member.banned_at or now
        AuditLogEntry.objects.create(
            actor=actor, action=f"sanction_{kind}", kind=MEMBER_KIND, object_id=member.pk, reason=reason[:500],
            created_at=now, detail={"sanction": sanction.pk, "member": member.username, "days": days})
        events.record_event(SANCTION, actor=actor, payload={
            "sanction": sanction.pk, "member": member.pk, "sanction_kind": str(kind)})
        if kind == SanctionKind.BAN:
            # After commit: a ban rolled back must not have logged the member out.
            transaction.on_commit(lambda: end_sessions(member))
    return sanction


def lift_sanction(*, actor, sanction: Sanction) -> bool:
    """End a sanction before its time. Returns False when it was no longer active. Whoever may not
    sanction the member may not lift their sanctions either (their own, a fellow CM's)."""
    check_can_sanction(actor, sanction.member)
    now = timezone.now()
    with transaction.atomic():
        updated = Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True, ended_at__isnull=True).update(
            lifted_at=now, lifted_by=actor)
        if not updated:
            return False
        sanction.lifted_at, sanction.lifted_by = now, actor
        if sanction.kind == SanctionKind.WARN:
            _sync_warnings(sanction.member_id)
        _recompute(sanction.member_id, sanction.kind, now)
        AuditLogEntry.objects.create(
            actor=actor, action="sanction_lift", kind=MEMBER_KIND, object_id=sanction.member_id, created_at=now,
            detail={"sanction": sanction.pk, "sanction_kind": sanction.kind})
    return True


def remove_all_content(*, actor, member, reason: str = ""):
    """Ask for every not-yet-removed row of `member` in every registered content kind to be removed.

    The work leaves the request: this records a durable "moderation.remove_all_content" event, and
    its handler (`remove_content_batch`, on a worker) removes the rows through each kind's
    `remove_all` hook — counters stay exact, a kind may revert rather than blank (a wiki revision),
    everything stays restorable from the review queue — in batches, then writes the audit entry
    with the counts. Returns the Event."""
    check_can_sanction(actor, member)
    with transaction.atomic():
        return events.record_event(REMOVE_ALL_CONTENT, actor=actor, payload={
            "member": member.pk, "reason": (reason or "").strip()[:500], "removed": {}})


REMOVE_BATCH = 500  # rows per kind per delivery: a prolific spammer's content goes in several rounds
MAX_ROUNDS = 200  # 100,000 rows per kind; past that the audit entry says the job stopped


@events.handles(REMOVE_ALL_CONTENT)
def remove_content_batch(event) -> None:
    """Outbox handler: remove up to REMOVE_BATCH rows per kind; record the next round while a kind
    may have more (at most MAX_ROUNDS), else write the audit entry (one per request, with the
    totals)."""
    payload = event.payload or {}
    member = User.objects.filter(pk=payload.get("member")).first()
    if member is None:
        return
    removed = dict(payload.get("removed") or {})
    rounds = int(payload.get("round", 1))
    more = False
    for kind in content.kinds():
        count, kind_has_more = kind.remove_all(member, limit=REMOVE_BATCH, actor=event.actor)
        if count:
            removed[kind.name] = removed.get(kind.name, 0) + count
        more = more or kind_has_more
    if more and rounds < MAX_ROUNDS:
        events.record_event(REMOVE_ALL_CONTENT, actor=event.actor,
                            payload={**payload, "removed": removed, "round": rounds + 1})
        return
    AuditLogEntry.objects.create(
        actor=event.actor, action="remove_all_content", kind=MEMBER_KIND, object_id=member.pk,
        reason=payload.get("reason", ""), detail={"removed": sum(removed.values()), "per_kind": removed,
                                                  "member": member.username, "rounds": rounds,
                                                  "stopped_early": more})


def expire_sanctions(now=None) -> int:
    """Beat: end silences and suspensions whose time is up. Returns how many sanctions ended."""
    now = now or timezone.now()
    with transaction.atomic():
        ended = list(Sanction.objects.filter(kind__in=list(DURATION_KINDS), lifted_at__isnull=True,
                                             ended_at__isnull=True, ends_at__lte=now).values_list("pk", flat=True))
        Sanction.objects.filter(pk__in=ended).update(ended_at=now)
        User.objects.filter(silenced_until__lte=now).update(silenced_until=None)
        User.objects.filter(suspended_until__lte=now).update(suspended_until=None)
        if ended:
            AuditLogEntry.objects.create(actor=None, action="sanctions_expired", created_at=now,
                                         detail={"sanctions": ended})
    return len(ended)


def acknowledge_warning(*, actor, sanction: Sanction) -> bool:
    """The member acknowledges one of their warnings. Returns False if already acknowledged."""
    check_can_acknowledge_warning(actor, sanction)
    member = actor
    now = timezone.now()
    with transaction.atomic():
        updated = Sanction.objects.filter(pk=sanction.pk, acknowledged_at__isnull=True,
                                          lifted_at__isnull=True).update(acknowledged_at=now)
        if updated:
            sanction.acknowledged_at = now
            member.pending_warnings = _sync_warnings(member.pk)
    return bool(updated)


def _sync_warnings(member_id: int) -> int:
    """Recount the member's unacknowledged warnings into User.pending_warnings (the banner)."""
    User.objects.select_for_update(no_key=True).filter(pk=member_id).values_list("pk", flat=True).first()
    count = Sanction.objects.filter(member_id=member_id).pending_warnings().count()
    User.objects.filter(pk=member_id).update(pending_warnings=count)
    return count


def sanction_message(kind: str) -> str:
    return {
        SanctionKind.WARN: _("The member was warned."),
        SanctionKind.SILENCE: _("The member was silenced."),
        SanctionKind.SUSPEND: _("The member was suspended."),
        SanctionKind.BAN: _("The member was banned."),
    }[SanctionKind(kind)]
