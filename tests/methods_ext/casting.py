"""The casting area's URLs for tests/test_methods.py: pages, form pages, actions, and a casting for
them (an accepted one holding the world's space: every step's URL answers)."""

from datetime import timedelta

from django.utils import timezone

PAGES = {"cm:casting", "cm:casting_detail", "cm:casting_space", "invitations:list", "invitations:detail"}
FORMS = {"cm:cast"}
ACTIONS = {
    "cm:casting_withdraw", "cm:casting_pause", "cm:casting_resume", "cm:casting_retire", "cm:casting_renew",
    "cm:casting_end", "cm:casting_hand_over", "cm:casting_revoke", "invitations:accept", "invitations:decline",
}


def extend(world) -> dict:
    from cm.models import Casting, CastingStatus

    today = timezone.localdate()
    space = world["space"]
    casting = Casting.objects.create(
        member=world["member"], cast_by=world["cm"], kind=space.kind, title=space.title, starts_on=today,
        ends_on=today + timedelta(days=365), status=CastingStatus.ACCEPTED, answered_at=timezone.now(),
        space_id=space.pk, space_state=space.state)
    return {"casting": casting, "samples": {"casting_id": casting.pk}}
