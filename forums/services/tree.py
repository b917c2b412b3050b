"""The forum tree (trusted: the admin and the seeds go through it)."""

from __future__ import annotations

from django.db import transaction

from community.writing import slug_for

from .. import cache_keys
from ..models import Forum


def save_forum(*, forum: Forum) -> Forum:
    """Trusted (admin, seeds): save a forum and recompute read levels below it."""
    with transaction.atomic():
        if not forum.slug:
            forum.slug = slug_for(forum.name, fallback="forum")
        parent_level = forum.parent.read_level if forum.parent_id else 0
        forum.read_level = max(forum.access, parent_level)
        forum.save()
        recompute_read_levels(root=forum)
        cache_keys.everything()
    return forum


def recompute_read_levels(*, root: Forum) -> None:
    """One UPDATE per tree level under `root` (a tree is a handful of levels deep)."""
    levels = {root.pk: root.read_level}
    descendants = list(root.get_descendants().values_list("pk", "parent_id", "access", "level"))
    changes: dict[int, list[int]] = {}
    for pk, parent_id, access, _level in sorted(descendants, key=lambda row: row[3]):
        levels[pk] = max(access, levels.get(parent_id, 0))
        changes.setdefault(levels[pk], []).append(pk)
    for level, ids in changes.items():
        Forum.objects.filter(pk__in=ids).exclude(read_level=level).update(read_level=level)
