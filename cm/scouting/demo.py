"""The talent board's part of the demo (manage.py seed_demo): declared skills (some verified by the
CM `cm`), a private CM note, then one run of the scoring so that the board shows ranked members,
their why (likes, replies, accepted answers, comments, followers) and their best pieces at once.
Runs after the forums, the spaces and moderation (its report shows on a member card). Idempotent."""

from django.db import transaction
from django.utils import timezone

from community.models import MemberSkill, Skill, User

from ..models import MemberNote
from . import scoring

SKILLS = [  # username, skill, verified by the CM `cm`
    ("camille", Skill.PHOTO, True), ("camille", Skill.WRITING, False),
    ("priya", Skill.VIDEO, True), ("priya", Skill.SOCIAL_MEDIA, False),
    ("nadia", Skill.PODCAST, True), ("contributor", Skill.WRITING, True), ("contributor", Skill.BLOG, False),
    ("tomasz", Skill.WIKI, False), ("tomasz", Skill.WRITING, False), ("member", Skill.WRITING, False),
    ("oliver", Skill.PHOTO, False), ("hugo", Skill.PHOTO, False), ("ines", Skill.TRANSLATION, False),
]
NOTE = ("tomasz", "Answers questions patiently and precisely: a candidate for a self-hosting column? "
                  "Ask him about it at the next meetup.")


@transaction.atomic
def _seed_people(users) -> None:
    cm = users.get("cm")
    for username, skill, verified in SKILLS:
        if username not in users:
            continue
        declared, created = MemberSkill.objects.get_or_create(user=users[username], skill=skill)
        if created and verified and cm is not None:
            MemberSkill.objects.filter(pk=declared.pk).update(verified_by=cm, verified_at=timezone.now())
    member, body = NOTE
    if member in users and cm is not None and not MemberNote.objects.filter(member=users[member]).exists():
        MemberNote.objects.create(member=users[member], author=cm, body=body)


def seed_talent(*, stdout=None) -> None:
    users = {user.username: user for user in User.objects.filter(username__in={"cm", NOTE[0]} | {s[0] for s in SKILLS})}
    _seed_people(users)
    run = scoring.compute()
    if stdout is not None:
        stdout.write(f"  talent board: {run.members} members scored in {run.seconds:.2f} s")
