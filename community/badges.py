"""Role badges beside a member's name (community manager, staff, featured contributor, guest
expert) on every post, comment, byline and profile — without a query per post.

The members who carry a badge are few, so their badges are kept as ONE map in the cache:
`{"groups": {group id: badge}, "members": {user id: (badge, …)}}`, built by one query when it is
missing (a cold or flushed cache) and rebuilt at once when what it says changes:

- group membership (`m2m_changed` on `User.groups`: `user.groups.add/remove/clear` and
  `group.user_set.…`, which is how casting makes a contributor or a guest expert),
- `is_staff` / `is_active` of a user (`post_save` on User; a save whose `update_fields` leaves both
  out is ignored), a user or a group deleted, a group renamed (`post_save` on Group).

A change the map does not care about (the Members group every new member joins) costs no query
once the map is warm (a cold map is built by the first group change, to know the badge groups). The map is rebuilt inside the writer's transaction (it reads what the writer sees) and again
once the transaction commits (a concurrent writer may have rebuilt it from the committed state in
between); a transaction rolled back after a rebuild is bounded by the map's TTL.

A page reads the map once (`badges_for(member, request=…)` keeps it on the request), so a topic of
20 posts costs the same as a topic of one: nothing once the cache is warm, one query when cold.
Bans are not reflected (a banned member's pages are closed to the public already).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, IntegerField, Value
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from . import pagecache
from .models import User
from .permissions.core import Role

log = logging.getLogger(__name__)

CACHE_KEY = "community:badges:v1"
TTL = 3600  # seconds: a bound on a map rebuilt by a transaction that was then rolled back

COMMUNITY_MANAGER, STAFF, CONTRIBUTOR, GUEST_EXPERT = "community-manager", "staff", "contributor", "guest-expert"


@dataclass(frozen=True)
class Badge:
    slug: str  # also its CSS class: `badge role-<slug>`
    label: str
    order: int


BADGES = {
    COMMUNITY_MANAGER: Badge(COMMUNITY_MANAGER, _("Community manager"), 10),
    STAFF: Badge(STAFF, _("Staff"), 20),
    CONTRIBUTOR: Badge(CONTRIBUTOR, _("Featured contributor"), 30),
    GUEST_EXPERT: Badge(GUEST_EXPERT, _("Guest expert"), 40),
}
# Badges that are the membership of a role (a group, made by the community migrations).
GROUP_BADGES = {Role.COMMUNITY_MANAGER: COMMUNITY_MANAGER, Role.CONTRIBUTOR: CONTRIBUTOR,
                Role.GUEST_EXPERT: GUEST_EXPERT}


def build() -> dict:
    """The map, from the database: one query (the badge groups with their active members, and the
    active staff, as one UNION)."""
    in_groups = (Group.objects.filter(name__in=list(GROUP_BADGES))
                 .order_by().values_list("pk", "name", "user__pk", "user__is_active"))
    staff = (User.objects.filter(is_staff=True, is_active=True).order_by()
             .values_list(Value(None, output_field=IntegerField()), Value("", output_field=CharField()), "pk",
                          "is_active"))
    groups, members = {}, {}
    for group_id, name, user_id, active in in_groups.union(staff, all=True):
        if group_id is not None:
            groups[group_id] = GROUP_BADGES[name]
            badge = GROUP_BADGES[name]
        else:
            badge = STAFF
        if user_id is not None and active:
            members.setdefault(user_id, set()).add(badge)
    return {"groups": groups,
            "members": {pk: tuple(sorted(found, key=lambda slug: BADGES[slug].order))
                        for pk, found in members.items()}}


def rebuild() -> dict:
    badge_map = build()
    try:
        cache.set(CACHE_KEY, badge_map, TTL)
    except Exception:  # a cache that cannot store: the next reader builds it again
        log.warning("could not store the badge map", exc_info=True)
    return badge_map


def current() -> dict:
    badge_map = cache.get(CACHE_KEY)
    return badge_map if badge_map is not None else rebuild()


def badge_map(request=None) -> dict:
    """The map, read once per request (kept on it)."""
    if request is None:
        return current()
    found = getattr(request, "_tribune_badges", None)
    if found is None:
        found = request._tribune_badges = current()
    return found


def badges_for(member, *, request=None) -> list[Badge]:
    if member is None or getattr(member, "pk", None) is None:
        return []
    return [BADGES[slug] for slug in badge_map(request)["members"].get(member.pk, ())]


def holders_of(slug: str, *, request=None) -> list[int]:
    """Ids of the members carrying a badge (from the map: no query when warm)."""
    return [pk for pk, found in badge_map(request)["members"].items() if slug in found]


# --- Invalidation ---------------------------------------------------------------------------------

def changed() -> None:
    """What the map says changed: rebuild it now and again after commit, and let cached pages
    (the anonymous forum pages, the comment threads) render anew with the new badges."""
    rebuild()
    transaction.on_commit(rebuild)
    pagecache.bump_after_commit([pagecache.DISPLAY])


def _warm():
    try:
        return cache.get(CACHE_KEY)
    except Exception:
        return None


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    # Which groups carry a badge is in the map: a cold map is built first (one query, once) to
    # tell a badge group from the Members group every new member joins.
    badge_map = _warm() or rebuild()
    if action == "pre_clear":
        if not reverse and badge_map["members"].get(instance.pk):
            instance._tribune_badges_clear = True
        return
    if action == "post_clear":
        if reverse:
            relevant = instance.pk in badge_map["groups"]
        else:
            relevant = getattr(instance, "_tribune_badges_clear", False)
    elif reverse:  # group.user_set.add(…): the instance is the group
        relevant = instance.name in GROUP_BADGES
    else:  # user.groups.add(…): pk_set holds group ids
        relevant = bool(set(pk_set or ()) & set(badge_map["groups"]))
    if relevant:
        changed()


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and not {"is_staff", "is_active"} & set(update_fields):
        return
    badge_map = _warm()
    if badge_map is None:
        return
    has_staff = STAFF in badge_map["members"].get(instance.pk, ())
    if has_staff != bool(instance.is_staff and instance.is_active) or (
            not instance.is_active and instance.pk in badge_map["members"]):
        changed()


def _user_deleted(sender, instance, **kwargs):
    badge_map = _warm()
    if badge_map is not None and instance.pk in badge_map["members"]:
        changed()


def _group_saved(sender, instance, **kwargs):
    badge_map = _warm()
    if badge_map is not None and (instance.pk in badge_map["groups"]) != (instance.name in GROUP_BADGES):
        changed()


def _group_deleted(sender, instance, **kwargs):
    badge_map = _warm()
    if badge_map is not None and instance.pk in badge_map["groups"]:
        changed()


def connect() -> None:
    """Called from the community app's ready()."""
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="community.badges.groups")
    post_save.connect(_user_saved, sender=User, dispatch_uid="community.badges.user_saved")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid="community.badges.user_deleted")
    post_save.connect(_group_saved, sender=Group, dispatch_uid="community.badges.group_saved")
    post_delete.connect(_group_deleted, sender=Group, dispatch_uid="community.badges.group_deleted")
