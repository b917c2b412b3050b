"""Reads of the community app: querysets with their joins in place and visibility applied."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q

from .models import MemberSkill, User
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


def directory(actor, *, query: str = "", skill: str = ""):
    """The members directory: `members_for`, filtered by a declared skill, each member with their
    skills (`declared_skills`, verified first: one query for the page)."""
    members = members_for(actor, query=query)
    if skill:
        members = members.filter(Exists(MemberSkill.objects.filter(user=OuterRef("pk"), skill=skill)))
    return members.prefetch_related(Prefetch(
        "skills", queryset=MemberSkill.objects.only("pk", "user_id", "skill", "verified_at").order_by(
            F("verified_at").asc(nulls_last=True), "skill"), to_attr="declared_skills"))


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
