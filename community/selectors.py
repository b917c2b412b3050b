"""Reads of the community app: querysets with their joins in place and visibility applied."""

from django.db.models import Count, Q

from .models import User
from .permissions import visible_members_filter


def members_for(actor, *, query: str = ""):
    members = (
        User.objects.filter(visible_members_filter(actor))
        .select_related("profile")
        .order_by("username")
    )
    query = query.strip()
    if query:
        members = members.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    return members


def member_by_username(username: str):
    """The member with this username (case-insensitive), with their profile; None if unknown."""
    return (
        User.objects.select_related("profile")
        .filter(username__iexact=username)
        .first()
    )


def newest_members(actor, *, limit: int = 8):
    return list(members_for(actor).order_by("-date_joined")[:limit])


def community_counts():
    return User.objects.aggregate(
        members=Count("pk", filter=Q(is_active=True, banned_at__isnull=True)),
    )
