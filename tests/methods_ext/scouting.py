"""The scouting area's URLs (talent board, member card) for tests/test_methods.py."""

from cm.models import MemberNote
from community.models import MemberSkill

PAGES = {"cm:talent", "cm:member"}
FORMS = set()
ACTIONS = {"cm:talent_run", "cm:skill_verify", "cm:note_add", "cm:note_delete"}


def extend(world) -> dict:
    skill = MemberSkill.objects.create(user=world["member"], skill="photo")
    note = MemberNote.objects.create(member=world["member"], author=world["staff"], body="Promising photographer.")
    return {"member_skill": skill, "member_note": note, "samples": {"skill_id": skill.pk, "note_id": note.pk}}
