"""Measuring the spam checks on labelled text, as production decides (used by `manage.py spam_eval`).

A labelled row is {"text": …, "label": "spam"|"ham"} with, optionally, "family" (the kind of spam or
of legitimate post: "crypto-recovery", "spam-reports") and "lang". Each test row is judged as a new
member's first post: the whole pipeline (settings.SPAM_CHECKERS, links and domains, shorteners,
disguise, calls to action, the classifier…) runs on it in a `MemoryEnv` — a community whose
classifier and known domains come from the training rows only, where nothing was posted before. With
`classifier_only`, the naive-Bayes verdict alone is measured (its own hold rule, `is_spam`).

Leave-one-family-out (`leave_one_family_out`) trains on every family but one and tests on the one
left out: the figure for spam of a kind the checks have never seen.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import Sample, active_checkers, bayes, evaluate
from .env import MemoryEnv

NO_FAMILY = "(no family)"


class CorpusError(ValueError):
    pass


@dataclass
class Row:
    text: str
    label: str
    family: str = NO_FAMILY
    lang: str = ""
    sample: Sample | None = field(default=None, repr=False)

    @property
    def is_spam(self) -> bool:
        return self.label == bayes.SPAM


def load(path) -> list[Row]:
    """The rows of a JSON-lines file, or of every *.jsonl file of a directory (sorted)."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise CorpusError(f"{path}: no .jsonl file")
    rows = []
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(f"cannot read {file}: {exc}") from exc
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                text, label = data["text"], data["label"]
            except (ValueError, KeyError, TypeError) as exc:
                raise CorpusError(f'{file}:{number}: expected {{"text": …, "label": …}} ({exc})') from exc
            if label not in (bayes.SPAM, bayes.HAM) or not isinstance(text, str):
                raise CorpusError(f"{file}:{number}: label must be spam or ham, not {label!r}")
            rows.append(Row(text=text, label=label, family=str(data.get("family") or NO_FAMILY),
                            lang=str(data.get("lang") or "")))
    if not rows:
        raise CorpusError(f"{path}: no examples")
    return rows


@dataclass
class Result:
    counts: Counter = field(default_factory=Counter)  # tp fp fn tn
    by_family: dict = field(default_factory=lambda: defaultdict(Counter))  # family -> {"n", "wrong"}
    misses: dict = field(default_factory=lambda: defaultdict(list))  # family -> texts judged wrong

    def add(self, row: Row, predicted_spam: bool) -> None:
        right = predicted_spam == row.is_spam
        self.counts[("t" if right else "f") + ("p" if predicted_spam else "n")] += 1
        family = self.by_family[(row.family, row.label)]
        family["n"] += 1
        if not right:
            family["wrong"] += 1
            self.misses[(row.family, row.label)].append(row.text)

    def absorb(self, fold: Result) -> None:
        """Pool one fold's counts and misses into these."""
        for key, value in fold.counts.items():
            self.counts[key] += value
        for key, counter in fold.by_family.items():
            self.by_family[key].update(counter)
        for key, texts in fold.misses.items():
            self.misses[key].extend(texts)

    def scores(self) -> tuple[float, float, float]:
        tp, fp, fn = self.counts["tp"], self.counts["fp"], self.counts["fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


class Judge:
    """Trains on some rows and judges others, reusing each row's features across folds."""

    def __init__(self, *, classifier_only: bool = False, checkers=None):
        self.classifier_only = classifier_only
        self.checkers = checkers if checkers is not None else active_checkers()
        self.env = MemoryEnv(bayes.NaiveBayes(bayes.MemoryStore()))

    def sample(self, row: Row) -> Sample:
        if row.sample is None:
            row.sample = Sample(text=row.text, kind="forums.post", env=self.env)
        return row.sample

    def train(self, rows: list[Row]) -> None:
        classifier = bayes.NaiveBayes(bayes.MemoryStore())
        known = set()
        for row in rows:
            sample = self.sample(row)
            classifier.learn_features(sample.features, row.label)
            if not row.is_spam:
                known.update(domain for url, domain in sample.own_links if not url.startswith("mailto:"))
        self.env.classifier = classifier
        self.env.known = known | MemoryEnv(classifier).known

    def is_spam(self, row: Row) -> bool:
        sample = self.sample(row)
        if self.classifier_only:
            odds, _totals, _strongest = self.env.classifier.assess_features(sample.features)
            probability = bayes.to_probability(odds)
            return probability is not None and probability >= bayes.HOLD_PROBABILITY
        return evaluate(sample, using=self.checkers).is_spam

    def test(self, rows: list[Row], result: Result) -> Result:
        for row in rows:
            result.add(row, self.is_spam(row))
        return result


def families(rows: list[Row]) -> list[str]:
    return sorted({row.family for row in rows})


def leave_one_family_out(rows: list[Row], judge: Judge, report=None) -> Result:
    """Train on every family but one, test on the one left out; pooled over all families."""
    names = families(rows)
    if len(names) < 2:
        raise CorpusError("leave-one-family-out needs rows of two families or more (a \"family\" field)")
    result = Result()
    for name in names:
        judge.train([row for row in rows if row.family != name])
        fold = judge.test([row for row in rows if row.family == name], Result())
        result.absorb(fold)
        if report:
            report(name, fold)
    return result


def k_fold(rows: list[Row], judge: Judge, k: int, seed: int, report=None) -> Result:
    import random

    if not 2 <= k <= len(rows):
        raise CorpusError(f"--cv needs 2 <= K <= {len(rows)}")
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    result = Result()
    for fold_number in range(k):
        judge.train([row for index, row in enumerate(shuffled) if index % k != fold_number])
        fold = judge.test(shuffled[fold_number::k], Result())
        result.absorb(fold)
        if report:
            report(f"fold {fold_number + 1}/{k}", fold)
    return result
