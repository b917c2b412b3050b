"""Reads of notifications: a member's inbox, grouped, in a fixed number of queries.

A group is every notification of one member sharing a `group_key` ("<kind>:<thing>", e.g.
"reply:topic:42"). While some of them are unread, the group tells what is new (the unread ones:
"Alice and 2 others replied"); once read, it tells the whole story. A group that was read and gets
a new notification becomes unread again and moves to the top.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext

from .. import content
from .models import AlertSettings, Notification, NotificationPreference
from .registry import Line, fallback_line, find_kind

PER_PAGE = 30

_UNREAD = Q(read_at__isnull=True)


@dataclass
class Group:
    """Notifications about one thing, as one line of the inbox."""

    key: str
    kind: str
    head: Notification  # the newest notification of the part shown (unread part, else all)
    link_id: int  # where the line leads: the first unread notification, else the newest
    count: int  # notifications in the part shown
    others: int  # distinct actors in the part shown, besides the head's actor
    unread: bool
    visible: bool  # may the member still see the content? (hidden, removed, access lost)

    @property
    def line(self):
        """The inbox sentence, as the kind words it (the registry), in the active language."""
        return describe(self.head, others=self.others, gone=not self.visible)


def line_of(notification: Notification, *, others: int = 0, gone: bool = False) -> Line:
    """What a notification's sentence and subject are made of (names and titles as shown now). An
    item the member may no longer read (`gone`) is not named: its title is member text too (a
    topic hidden as spam)."""
    actor = notification.actor.name if notification.actor_id and notification.actor else gettext("Someone")
    data = notification.data if isinstance(notification.data, dict) else {}
    if gone:
        title, data = gettext("something no longer available"), {}
    else:
        title = content.display(str(data.get("title") or ""), is_html=False)
    return Line(actor=actor, others=others, title=title, data=data)


def describe(notification: Notification, *, others: int = 0, gone: bool = False):
    line = line_of(notification, others=others, gone=gone)
    kind = find_kind(notification.kind)
    return kind.line(line) if kind is not None else fallback_line(line)


def inbox_groups(user):
    """The member's groups, newest activity first, one row per group_key (for a Paginator: one
    COUNT query and one page query)."""
    return (
        Notification.objects.filter(recipient=user)
        .values("group_key")
        .annotate(
            last=Max("created_at"),
            latest_id=Max("pk"),
            count=Count("pk"),
            actors=Count("actor", distinct=True),
            unread_latest_id=Max("pk", filter=_UNREAD),
            unread_first_id=Min("pk", filter=_UNREAD),
            unread_count=Count("pk", filter=_UNREAD),
            unread_actors=Count("actor", distinct=True, filter=_UNREAD),
        )
        .order_by("-last", "-latest_id")
    )


def load_groups(user, rows) -> list[Group]:
    """Turn a page of `inbox_groups` rows into Groups: one query for the head notifications (with
    actors and their avatars), then one per content kind on the page to ask whether the member may
    still see each target (content.fetch_mixed) — the same count for 1 group or 30."""
    rows = list(rows)
    head_ids = [row["unread_latest_id"] or row["latest_id"] for row in rows]
    heads = Notification.objects.select_related("actor__profile", "target_type").in_bulk(head_ids)
    visible = _visible_targets(user, heads.values())
    groups = []
    for row, head_id in zip(rows, head_ids, strict=True):
        head = heads[head_id]
        unread = bool(row["unread_count"])
        actors = row["unread_actors"] if unread else row["actors"]
        groups.append(Group(
            key=row["group_key"], kind=head.kind, head=head,
            link_id=row["unread_first_id"] if unread else row["latest_id"],
            count=row["unread_count"] if unread else row["count"],
            others=max(actors - (1 if head.actor_id else 0), 0),
            unread=unread, visible=visible.get(head.pk, True),
        ))
    return groups


def notification_for(user, notification_id) -> Notification | None:
    """One of the member's notifications (None for anyone else's: they do not exist for them)."""
    return Notification.objects.select_related("target_type").filter(pk=notification_id, recipient=user).first()


def target_visible(user, notification: Notification) -> bool:
    return _visible_targets(user, [notification]).get(notification.pk, True)


def _visible_targets(user, notifications) -> dict[int, bool]:
    """{notification id: may `user` see its target now}, through the content protocol: one query per
    content kind. A notification without a target, or about a model that is not a content kind, is
    visible; a target that no longer exists is not."""
    refs = {}
    for notification in notifications:
        if notification.target_type_id is None or notification.target_id is None:
            continue
        model = notification.target_type.model_class()
        try:
            kind = content.kind_for(model) if model is not None else None
        except LookupError:
            kind = None
        if kind is not None:
            refs[notification.pk] = (kind, notification.target_id)
    found = content.fetch_mixed((kind.name, pk) for kind, pk in refs.values())
    result = {}
    for notification_id, (kind, pk) in refs.items():
        obj = found.get((kind.name, pk))
        result[notification_id] = obj is not None and kind.visible_to(user, obj)
    return result


def group_for(user, group_key: str) -> Group | None:
    """One line of the inbox, as `load_groups` shows it (after a read mark, for htmx)."""
    groups = load_groups(user, inbox_groups(user).filter(group_key=group_key))
    return groups[0] if groups else None


def preferences_of(user) -> dict[str, str]:
    """{kind name: channel} of the kinds the member chose (the others follow the kind's default)."""
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))


def alert_settings_of(user) -> AlertSettings | None:
    return AlertSettings.objects.filter(user=user).first()
