"""Measure the naive-Bayes classifier on labelled JSON lines ({"text": …, "label": "spam"|"ham"}).

    manage.py spam_eval --train tests/data/spam_corpus.jsonl --test tests/data/spam_heldout.jsonl
    manage.py spam_eval --cv 10 tests/data/spam_corpus.jsonl

The classifier is the production one (moderation.spam.bayes.NaiveBayes, same tokens, same
smoothing, same "hold" rule `is_spam`) on an in-memory store: the database is never touched.
The last line is always `precision=… recall=… f1=…` (spam is the positive class).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from moderation.spam import bayes


def load(path) -> list[tuple[str, str]]:
    examples = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, label = row["text"], row["label"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}:{number}: expected {{\"text\": …, \"label\": …}} ({exc})") from exc
        if label not in (bayes.SPAM, bayes.HAM):
            raise CommandError(f"{path}:{number}: label must be spam or ham, not {label!r}")
        examples.append((text, label))
    if not examples:
        raise CommandError(f"{path}: no examples")
    return examples


def confusion(classifier, examples) -> dict[str, int]:
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for text, label in examples:
        predicted = classifier.is_spam(text)
        actual = label == bayes.SPAM
        counts[("t" if predicted == actual else "f") + ("p" if predicted else "n")] += 1
    return counts


def scores(counts) -> tuple[float, float, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


class Command(BaseCommand):
    help = "Train the spam classifier on labelled JSON lines and print precision, recall and F1."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="with --cv: the labelled file to cross-validate on")
        parser.add_argument("--train", help="labelled JSON-lines file to train on")
        parser.add_argument("--test", help="labelled JSON-lines file to measure on")
        parser.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation on one file")
        parser.add_argument("--seed", type=int, default=5, help="shuffle seed for --cv (default 5)")

    def handle(self, *args, **options):
        if options["cv"]:
            path = options["file"] or options["train"]
            if not path or options["test"]:
                raise CommandError("--cv K takes one file: spam_eval --cv 10 FILE")
            counts = self.cross_validate(load(path), options["cv"], options["seed"])
        else:
            if not (options["train"] and options["test"]):
                raise CommandError("give --train FILE --test FILE, or --cv K FILE")
            train, test = load(options["train"]), load(options["test"])
            classifier = bayes.train(train)
            counts = confusion(classifier, test)
            self.stdout.write(f"trained on {len(train)} ({self.mix(train)}), tested on {len(test)} "
                              f"({self.mix(test)})")
        self.stdout.write("tp={tp} fp={fp} fn={fn} tn={tn}".format(**counts))
        precision, recall, f1 = scores(counts)
        self.stdout.write(f"precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}")

    def cross_validate(self, examples, k, seed) -> dict[str, int]:
        if not 2 <= k <= len(examples):
            raise CommandError(f"--cv needs 2 <= K <= {len(examples)}")
        shuffled = examples[:]
        random.Random(seed).shuffle(shuffled)
        total = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
        for fold in range(k):
            test = shuffled[fold::k]
            train = [row for index, row in enumerate(shuffled) if index % k != fold]
            counts = confusion(bayes.train(train), test)
            for key in total:
                total[key] += counts[key]
            precision, recall, f1 = scores(counts)
            self.stdout.write(f"fold {fold + 1}/{k}: precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}")
        self.stdout.write(f"{k}-fold cross-validation on {len(examples)} ({self.mix(examples)}), pooled:")
        return total

    @staticmethod
    def mix(examples) -> str:
        counts = bayes.label_counts(examples)
        return f"{counts['spam']} spam, {counts['ham']} ham"
