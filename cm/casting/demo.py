"""Casting's part of the demo (after the spaces, order 75): one pending invitation for `member` (a
podcast, sent by `cm` through the real service: notified on the site and by email), and a current
term for `contributor`'s existing column, ending in 12 days (the beat's reminder is due). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from community import spaces
from community.models import User

from ..models import Casting, CastingStatus, CastingStep, StepAction
from . import services

TERM_LEFT_DAYS = 12


def seed_casting(*, stdout=None) -> None:
    users = {user.username: user for user in User.objects.filter(username__in=["member", "contributor", "cm"])}
    cm = users.get("cm")
    if cm is None:
        return
    today = timezone.localdate()
    member = users.get("member")
    if member is not None and not Casting.objects.filter(member=member).exists():
        services.cast(actor=cm, member=member, kind="podcast", title="Le vélo du dimanche",
                      message=("Hello Maya! Your ride reports are among the most read threads of the forums. "
                               "Would you host a podcast about weekend cycling? Two episodes a month would be "
                               "perfect; we help with the sound."),
                      starts_on=today, ends_on=today + timedelta(days=365))
    contributor = users.get("contributor")
    held = spaces.held_by(contributor) if contributor is not None else []
    for space in held[:1]:
        if Casting.objects.filter(space_id=space.id).exists():
            continue
        casting = Casting.objects.create(
            member=contributor, cast_by=cm, kind=space.kind, title=space.title,
            message="Bienvenue parmi les contributeurs, Jules !", starts_on=today - timedelta(days=365 - TERM_LEFT_DAYS),
            ends_on=today + timedelta(days=TERM_LEFT_DAYS), status=CastingStatus.ACCEPTED,
            answered_at=timezone.now() - timedelta(days=350), space_id=space.id, space_state=space.state,
            created_at=timezone.now() - timedelta(days=355))
        # The history dated as the terms say (invited, then answered), not at seeding time.
        invited = services.step(casting, StepAction.INVITED, cm, space.title)
        accepted = services.step(casting, StepAction.ACCEPTED, contributor)
        CastingStep.objects.filter(pk=invited.pk).update(at=casting.created_at)
        CastingStep.objects.filter(pk=accepted.pk).update(at=casting.answered_at)
    if stdout:
        stdout.write(f"  castings: {Casting.objects.count()}")
