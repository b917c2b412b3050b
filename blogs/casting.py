"""What blogs brings to the CM workspace's casting: the featured spaces' host (community.spaces),
registered at import, from blogs's ready().

A space's state (`SpacePage.state`) is casting's decision, never a revision's:
- paused: hidden from the public (its page, posts, tag pages, feed, the Contributors index and the
  home page answer as if it did not exist), content kept; its holders and CMs still read it, here
  and in /cms/, and may keep writing;
- retired: a read-only archive, labelled "Archive": readable, comments closed, and its group loses
  Wagtail's add / edit / publish permissions on it (the CMs keep theirs);
- active again (resume): the group's permissions back (publish only without the CMs' approval
  workflow).
Handing over publishes a revision naming the new owner: `sync_space_holders` (on publish) moves the
space's group; the former owner leaves the Contributors role unless they hold another space.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupPagePermission

from community import spaces
from community.permissions import Role, check_can_cast_members
from community.permissions.casting import check_can_be_cast

from .models import SpaceKind, SpacePage
from .services import (
    OWNER_PAGE_PERMISSIONS,
    create_space,
    page_permission,
    requires_approval,
    space_group,
    sync_space_holders,
)


def _ref(space: SpacePage) -> spaces.SpaceRef:
    return spaces.SpaceRef(id=space.pk, title=space.title, url=space.get_url() or "", owner_id=space.space_owner_id,
                           owner_name=space.space_owner.name, kind=space.kind, state=space.state)


def _locked(space_id: int) -> SpacePage:
    """The space, its row locked until the caller's transaction ends (LookupError when gone)."""
    space = SpacePage.objects.select_for_update().filter(pk=space_id).first()
    if space is None:
        raise LookupError(f"no space {space_id}")
    return space


def create(*, actor, owner, kind: str, title: str) -> spaces.SpaceRef:
    return _ref(create_space(actor=actor, owner=owner, kind=kind, title=title))


def set_writing_permissions(space: SpacePage) -> None:
    """The space's group writes in it unless it is retired (publishing unless the CMs approve)."""
    group = space_group(space)
    if space.state == spaces.RETIRED:
        GroupPagePermission.objects.filter(group=group, page=space,
                                           permission__codename__in=OWNER_PAGE_PERMISSIONS).delete()
        return
    approval = requires_approval(space)
    for codename in OWNER_PAGE_PERMISSIONS:
        if codename == "publish_page" and approval:
            continue
        GroupPagePermission.objects.get_or_create(group=group, page=space, permission=page_permission(codename))


def _set_state(actor, space_id: int, state: str) -> spaces.SpaceRef:
    check_can_cast_members(actor)
    with transaction.atomic():
        space = _locked(space_id)
        if space.state != state:
            SpacePage.objects.filter(pk=space.pk).update(state=state)
            space.state = state
            set_writing_permissions(space)
    return _ref(space)


def pause(*, actor, space_id: int) -> spaces.SpaceRef:
    return _set_state(actor, space_id, spaces.PAUSED)


def resume(*, actor, space_id: int) -> spaces.SpaceRef:
    return _set_state(actor, space_id, spaces.ACTIVE)


def retire(*, actor, space_id: int) -> spaces.SpaceRef:
    return _set_state(actor, space_id, spaces.RETIRED)


def holds_a_space(user, *, besides: int | None = None) -> bool:
    held = SpacePage.objects.filter(Q(space_owner=user) | Q(co_authors=user))
    if besides is not None:
        held = held.exclude(pk=besides)
    return held.exists()


def hand_over(*, actor, space_id: int, new_owner) -> spaces.SpaceRef:
    """`new_owner` holds the space from now on (its group, the Contributors role); the former owner
    leaves its group, and the Contributors role unless they hold another space. Idempotent."""
    check_can_cast_members(actor)
    check_can_be_cast(new_owner)
    with transaction.atomic():
        space = _locked(space_id)
        former = space.space_owner
        if former.pk != new_owner.pk:
            space.space_owner = new_owner
            space.owner = new_owner  # Wagtail's owner too (its "edit my own pages" rule)
            space.co_authors = [user for user in space.co_authors.all() if user.pk != new_owner.pk]
            # A revision (not an UPDATE): publishing an older one later must not give the space back.
            space.save_revision(user=actor).publish(user=actor)
            space = SpacePage.objects.get(pk=space.pk)
            sync_space_holders(space)  # (page_published did it already: kept explicit, it is idempotent)
            if not holds_a_space(former, besides=space.pk):
                former.groups.remove(Group.objects.get_or_create(name=Role.CONTRIBUTOR)[0])
    return _ref(space)


def read(ids) -> dict[int, spaces.SpaceRef]:
    return {space.pk: _ref(space) for space in SpacePage.objects.filter(pk__in=list(ids)).select_related("space_owner")}


def held_by(user) -> list[spaces.SpaceRef]:
    return [_ref(space) for space in SpacePage.objects.filter(space_owner=user).select_related("space_owner")
            .order_by("title")]


spaces.register(spaces.Host(name="blogs", kinds=lambda: list(SpaceKind.choices), create=create, pause=pause,
                            resume=resume, retire=retire, hand_over=hand_over, read=read, held_by=held_by))
