"""Moderation's part of the demo (manage.py seed_demo): watched words, including the CMs' brand
watch, and an open report so that the review queue has something to show. Idempotent."""

from pathlib import Path

from django.conf import settings
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
    seed_classifier(stdout=stdout)


CORPUS = Path(settings.BASE_DIR) / "tests" / "data" / "spam_corpus.jsonl"


def seed_classifier(*, stdout=None) -> None:
    """Give the demo's spam classifier the project's corpus (manage.py spam_train does the same for
    a real community), so that the queue's reasons show what a trained classifier says."""
    from .models import BayesStats
    from .services import learn_corpus
    from .spam import evaluation

    if BayesStats.objects.exists() or not CORPUS.exists():
        return
    rows = evaluation.load(CORPUS)
    learn_corpus((row.text, row.label) for row in rows)
    if stdout is not None:
        stdout.write(f"  the spam classifier learned {len(rows)} labelled texts")
