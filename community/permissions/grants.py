"""What a member was granted — their groups, the capabilities of those groups, the forums they
moderate — read from the cache on every page instead of a query.

Every request of a member needs them (the menu shows Moderation and Workspace by capability; a
forum page asks whether they moderate it), and they change rarely: a CM casts someone, staff edit a
group or a forum's moderators. So they are kept in the cache under the member's id, with the two
generation counters they were read under — the member's own and the site's:

- the member's counter moves when *their* grants change: their groups (`user.groups.…` or
  `group.user_set.…`), the forums they moderate (`forum.moderators.…` or `user.moderated_forums.…`);
- the site's counter moves when a group changes for everyone: its capabilities
  (`group.permissions.…`), a group saved or deleted, a `clear()` whose members are not named.

A counter is bumped at once *and* again after the writer's transaction commits: a reader that read
the old grants between the two (before the commit) stored them under the first bump's value, which
the second makes obsolete. An entry is used only when both counters match, so a stale entry is
never read; its TTL only frees memory. With no cache (or an outage) every read goes to the database.

Bans, suspensions, `is_active`, `is_staff` and `is_superuser` live on the user row, loaded anyway
by the authentication middleware: they are never cached here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, IntegerField, Value
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

TTL = 24 * 3600
SITE_GEN = "grants:gen"


@dataclass(frozen=True)
class Grants:
    roles: frozenset
    codenames: frozenset
    moderated_forum_ids: frozenset


def _keys(user_id: int) -> tuple[str, str]:
    return f"grants:{user_id}", f"grants:gen:{user_id}"


def _moderators_through():
    """The forums' moderator table, by name: the core imports no content app."""
    try:
        return apps.get_model("forums", "Forum").moderators.through
    except LookupError:
        return None


def _from_database(user_id: int) -> Grants:
    """One query: the member's groups with their capabilities, and the forums they moderate."""
    rows = Group.objects.filter(user__pk=user_id).values_list(
        "name", "permissions__codename", Value(None, output_field=IntegerField()))
    through = _moderators_through()
    if through is not None:
        rows = rows.union(through.objects.filter(user_id=user_id).values_list(
            Value(None, output_field=CharField()), Value(None, output_field=CharField()), "forum_id"), all=True)
    rows = list(rows)
    return Grants(roles=frozenset(name for name, _codename, _forum in rows if name is not None),
                  codenames=frozenset(codename for _name, codename, _forum in rows if codename),
                  moderated_forum_ids=frozenset(forum for _name, _codename, forum in rows if forum is not None))


def cache_keys(user_id: int) -> list[str]:
    """The cache keys `grants_of` reads (for a caller that reads them in its own round trip)."""
    return [*_keys(user_id), SITE_GEN]


def from_found(user_id: int, found: dict) -> Grants | None:
    """The member's grants out of what a `get_many` of `cache_keys(user_id)` found, if current."""
    data_key, gen_key = _keys(user_id)
    entry = found.get(data_key)
    if entry is not None and entry[0] == (found.get(gen_key, 0), found.get(SITE_GEN, 0)):
        return entry[1]
    return None


def grants_of(user_id: int) -> Grants:
    """The member's grants: one cache round trip when warm, one query when not (always one where
    the cache is not shared by every process: settings.MEMBER_CACHE)."""
    if not settings.MEMBER_CACHE:
        return _from_database(user_id)
    data_key, gen_key = _keys(user_id)
    try:
        found = cache.get_many([data_key, gen_key, SITE_GEN])
    except Exception:  # an unreachable cache costs the queries, never the page
        log.warning("grants cache unreachable", exc_info=True)
        found = {}
    gens = (found.get(gen_key, 0), found.get(SITE_GEN, 0))
    current = from_found(user_id, found)
    if current is not None:
        return current
    grants = _from_database(user_id)
    try:
        cache.set(data_key, (gens, grants), TTL)
    except Exception:
        log.warning("grants cache unreachable", exc_info=True)
    return grants


# --- Invalidation ----------------------------------------------------------------------------------

def _bump(keys: list[str]) -> None:
    for key in keys:
        try:
            try:
                cache.incr(key)
            except ValueError:  # not there yet: any value differs from "missing" (0)
                cache.set(key, 1, TTL)
        except Exception:
            log.warning("could not bump %s", key, exc_info=True)


def bump_now_and_after_commit(keys: list[str]) -> None:
    """Move these generation counters now and again after the current transaction commits (a
    reader between the two stored what it read under the first value, which the second retires)."""
    if not keys:
        return
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def changed(user_ids=None) -> None:
    """The grants of these members (or, with None, of everyone) changed: bump now and after commit."""
    bump_now_and_after_commit([SITE_GEN] if user_ids is None else [_keys(pk)[1] for pk in user_ids])


def _members_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    """m2m_changed of User.groups and Forum.moderators: from the user's side (`reverse` False for
    groups, True for moderated forums) the instance is the member; from the other side, pk_set."""
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    user_model = get_user_model()
    if isinstance(instance, user_model):
        changed([instance.pk])
    elif model is user_model and pk_set:
        changed(pk_set)
    elif action == "pre_clear":  # group.user_set.clear() / forum.moderators.clear(): members unnamed
        changed()


def _group_capabilities_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        changed()


def _group_saved_or_deleted(sender, **kwargs):
    changed()


def connect() -> None:
    user_model = get_user_model()
    m2m_changed.connect(_members_changed, sender=user_model.groups.through, dispatch_uid="grants-groups")
    through = _moderators_through()
    if through is not None:
        m2m_changed.connect(_members_changed, sender=through, dispatch_uid="grants-moderators")
    m2m_changed.connect(_group_capabilities_changed, sender=Group.permissions.through,
                        dispatch_uid="grants-group-permissions")
    post_save.connect(_group_saved_or_deleted, sender=Group, dispatch_uid="grants-group-saved")
    post_delete.connect(_group_saved_or_deleted, sender=Group, dispatch_uid="grants-group-deleted")
