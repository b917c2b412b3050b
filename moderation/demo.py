"""Moderation's part of the demo (manage.py seed_demo): watched words, including the CMs' brand
watch, and an open report so that the review queue has something to show. Idempotent."""

from django.db import transaction

from community.models import User
from forums.models import Post

from . import reports, watched
from .models import WatchedAction, WatchedWord

WORDS = [
    # phrase, action, note, CMs alerted
    ("Tribune", WatchedAction.ALERT, "Brand watch: where people talk about us.", ["cm", "lea"]),
    ("casino*", WatchedAction.APPROVE, "Gambling spam comes in waves.", []),
    ("viagra", WatchedAction.BLOCK, "Never legitimate here.", []),
    ("idiot*", WatchedAction.CENSOR, "Keep it friendly: masked on display.", []),
]


@transaction.atomic
def seed_moderation(*, stdout=None) -> None:
    if WatchedWord.objects.exists():
        if stdout is not None:
            stdout.write("  moderation already seeded")
        return
    users = {user.username: user for user in User.objects.filter(username__in=["cm", "lea", "camille", "oliver"])}
    for phrase, action, note, watchers in WORDS:
        word = watched.create_word(phrase=phrase, action=action, note=note, created_by=users.get("cm"))
        word.watchers.set([users[name] for name in watchers if name in users])
    post = Post.objects.filter(author__username="oliver", position__gt=1).order_by("pk").first()
    if post is not None and "camille" in users:
        reports.report_content(actor=users["camille"], kind_name="forums.post", object_id=post.pk,
                               reason="off_topic", note="Ce n'est pas vraiment le sujet du fil.")
    if stdout is not None:
        stdout.write(f"  {len(WORDS)} watched words, 1 open report")
