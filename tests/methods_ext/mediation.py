"""The mediation area's URLs (the brand-watch inbox, escalations) for tests/test_methods.py."""

from moderation import reports, watched
from moderation.models import WatchedWordHit

PAGES = {"cm:watch", "cm:escalations"}
FORMS = {"cm:escalate_item", "cm:escalate_report", "cm:escalate_member"}
ACTIONS = {"cm:watch_take", "cm:watch_release", "cm:watch_done", "cm:watch_reopen"}


def extend(world) -> dict:
    """An alert of the brand watch on the world's reply ("Yes, for gravel."), and a report about it."""
    word = watched.create_word(phrase="gravel", action="alert")
    hit = WatchedWordHit.objects.create(word=word, kind="forums.post", object_id=world["post"].pk, action="alert")
    report, _created = reports.report_content(actor=world["member"], kind_name="forums.post",
                                              object_id=world["post"].pk, reason="off_topic")
    return {"alert": hit, "report": report, "samples": {"alert_id": hit.pk, "report_id": report.pk}}
