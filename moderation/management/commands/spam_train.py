"""Teach the spam classifier (the production one, in the database) labelled JSON lines.

    manage.py spam_train tests/data/spam_corpus.jsonl

A new community starts with a classifier that knows nothing and abstains until its CMs have made
decisions; this gives it a head start. Incremental like every lesson: running it twice counts every
text twice (use --reset to start over). The links of the clean texts become known domains.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from moderation.models import BayesStats, BayesToken
from moderation.services import learn_corpus
from moderation.spam import evaluation


class Command(BaseCommand):
    help = "Teach the spam classifier in the database labelled JSON lines (file or directory)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="labelled JSON lines: {\"text\": …, \"label\": \"spam\"|\"ham\"}")
        parser.add_argument("--reset", action="store_true", help="forget what the classifier learned first")

    def handle(self, *args, **options):
        try:
            rows = evaluation.load(options["file"])
        except evaluation.CorpusError as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            if options["reset"]:
                BayesToken.objects.all().delete()
                BayesStats.objects.all().delete()
            learned = learn_corpus((row.text, row.label) for row in rows)
        stats = BayesStats.objects.get(pk=1)
        self.stdout.write(f"learned {learned} texts; the classifier now knows {stats.spam_docs} spam and "
                          f"{stats.ham_docs} clean texts, {stats.vocabulary} features")
