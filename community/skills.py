"""Members' skills (community.models.Skill, MemberSkill): declared by the member on their profile,
verified by a community manager in the CM workspace (`verified_by` / `verified_at`, written there).

`set_skills` is the one writer of declarations: a skill declared again keeps its verification, a
skill no longer declared is deleted (with its verification). Idempotent: the same form sent twice
gives the same rows (the unique constraint settles a race).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import MemberSkill, Skill, User
from .permissions.profile import check_can_declare_skills


def parse(values) -> list[str]:
    """Skill names from input; an unknown name is a ValidationError that says which."""
    wanted = []
    for value in values or ():
        if value not in Skill.values:
            raise ValidationError(_("“%(value)s” is not a skill we know.") % {"value": value}, code="unknown_skill")
        if value not in wanted:
            wanted.append(value)
    return wanted


def set_skills(*, actor: User, member: User, skills) -> list[MemberSkill]:
    """Make `member`'s declared skills exactly `skills` (names from community.models.Skill)."""
    check_can_declare_skills(actor, member)
    wanted = set(parse(skills))
    with transaction.atomic():
        # The member's row locked: two submissions of the form are applied one after the other.
        User.objects.select_for_update().filter(pk=member.pk).values_list("pk").first()
        have = set(MemberSkill.objects.filter(user=member).values_list("skill", flat=True))
        if have - wanted:
            MemberSkill.objects.filter(user=member, skill__in=have - wanted).delete()
        if wanted - have:
            MemberSkill.objects.bulk_create([MemberSkill(user=member, skill=skill) for skill in sorted(wanted - have)],
                                            ignore_conflicts=True)
    return declared(member)


def declared(member) -> list[MemberSkill]:
    """The member's skills, verified ones first, then in the vocabulary's order (one query)."""
    order = {value: n for n, value in enumerate(Skill.values)}
    found = list(MemberSkill.objects.filter(user=member).only("pk", "user_id", "skill", "verified_at"))
    return sorted(found, key=lambda item: (item.verified_at is None, order.get(item.skill, len(order))))
