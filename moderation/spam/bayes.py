"""A naive-Bayes text classifier, written for Tribune.

Features are the token *sets* of `spam.text.tokens` (a Bernoulli-flavoured multinomial model:
whether a word occurs, not how often, which suits short posts and repeated spam words). Scores are
sums of log-probabilities with Laplace smoothing, so long texts never underflow.

Counts live in a *store*: `DatabaseStore` (tables BayesToken/BayesStats, updated incrementally by
`learn()`, used in production) or `MemoryStore` (spam_eval, tests). The same `NaiveBayes` code runs
on both. With no example of one of the two classes, the classifier abstains (`probability()` is
None): it is useful from the first CM decisions on, and silent before.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

SPAM, HAM = "spam", "ham"
# The classifier alone holds a text at this probability (spam_eval measures this very rule).
HOLD_PROBABILITY = 0.9
SMOOTHING = 0.5  # added to every count (Jeffreys): an unseen class share is never zero
MIN_DOCS = 2
MAX_WEIGHT = 3.0
EVIDENCE = 16  # the strongest features that make the verdict


@dataclass
class Totals:
    spam_docs: int = 0
    ham_docs: int = 0
    spam_tokens: int = 0
    ham_tokens: int = 0
    vocabulary: int = 0


class MemoryStore:
    """Counts in dictionaries: for evaluation and tests (nothing touches the database)."""

    def __init__(self):
        self.totals = Totals()
        self.counts: dict[str, list[int]] = {}

    def read(self, wanted: set[str]) -> tuple[Totals, dict[str, tuple[int, int]]]:
        return self.totals, {token: tuple(self.counts[token]) for token in wanted if token in self.counts}

    def add(self, features: set[str], label: str) -> None:
        index = 0 if label == SPAM else 1
        for token in features:
            pair = self.counts.get(token)
            if pair is None:
                pair = self.counts[token] = [0, 0]
                self.totals.vocabulary += 1
            pair[index] += 1
        if label == SPAM:
            self.totals.spam_docs += 1
            self.totals.spam_tokens += len(features)
        else:
            self.totals.ham_docs += 1
            self.totals.ham_tokens += len(features)


class DatabaseStore:
    """Counts in BayesToken/BayesStats. Reading costs two queries; `add` serializes learners on the
    BayesStats row lock, so concurrent CM decisions never lose an increment."""

    def read(self, wanted: set[str]):
        from moderation.models import BayesStats, BayesToken

        stats = BayesStats.objects.filter(pk=1).first()
        if stats is None:
            return Totals(), {}
        totals = Totals(stats.spam_docs, stats.ham_docs, stats.spam_tokens, stats.ham_tokens, stats.vocabulary)
        if not totals.spam_docs or not totals.ham_docs:
            return totals, {}  # it abstains anyway: spare the token query
        rows = BayesToken.objects.filter(token__in=wanted).values_list("token", "spam", "ham")
        return totals, {token: (spam, ham) for token, spam, ham in rows}

    def add(self, features: set[str], label: str) -> None:
        self.add_many([(features, label)])

    def add_many(self, examples) -> None:
        """Add (features, label) pairs in one transaction: counts summed in memory, then one update
        of the rows that exist and one insert of the new ones (a corpus of thousands in seconds)."""
        from moderation.models import BayesStats, BayesToken

        spam, ham = Counter(), Counter()
        docs = {SPAM: 0, HAM: 0}
        tokens = {SPAM: 0, HAM: 0}
        for features, label in examples:
            (spam if label == SPAM else ham).update(features)
            docs[label] += 1
            tokens[label] += len(features)
        wanted = set(spam) | set(ham)
        with transaction.atomic():
            BayesStats.objects.get_or_create(pk=1)
            stats = BayesStats.objects.select_for_update().get(pk=1)
            existing = {}
            for chunk in _chunks(sorted(wanted), 5000):
                existing.update((row.token, row) for row in BayesToken.objects.filter(token__in=chunk))
            for row in existing.values():
                row.spam += spam[row.token]
                row.ham += ham[row.token]
            BayesToken.objects.bulk_update(existing.values(), ["spam", "ham"], batch_size=500)
            new = [BayesToken(token=token, spam=spam[token], ham=ham[token]) for token in wanted if token not in existing]
            BayesToken.objects.bulk_create(new, batch_size=500)
            stats.vocabulary += len(new)
            stats.spam_docs += docs[SPAM]
            stats.ham_docs += docs[HAM]
            stats.spam_tokens += tokens[SPAM]
            stats.ham_tokens += tokens[HAM]
            stats.updated_at = timezone.now()
            stats.save()


def _chunks(items, size):
    for index in range(0, len(items), size):
        yield items[index:index + size]


class NaiveBayes:
    def __init__(self, store=None):
        self.store = store if store is not None else DatabaseStore()

    def learn(self, text: str, label: str) -> None:
        """Add one labelled example (incremental: nothing is recomputed)."""
        from .features import of_text

        self.learn_features(of_text(text), label)

    def learn_many(self, examples) -> int:
        """Add many (text, label) pairs at once (spam_train); returns how many were learned."""
        from .features import of_text

        batch = []
        for text, label in examples:
            if label not in (SPAM, HAM):
                raise ValueError(f"label must be {SPAM!r} or {HAM!r}, not {label!r}")
            features = of_text(text)
            if features:
                batch.append((features, label))
        if hasattr(self.store, "add_many"):
            self.store.add_many(batch)
        else:
            for features, label in batch:
                self.store.add(features, label)
        return len(batch)

    def learn_features(self, features: set[str], label: str) -> None:
        if label not in (SPAM, HAM):
            raise ValueError(f"label must be {SPAM!r} or {HAM!r}, not {label!r}")
        if features:
            self.store.add(features, label)

    def log_odds(self, text: str) -> float | None:
        """log P(spam | text) - log P(ham | text); None while a class has no example (abstain)."""
        return self.assess(text)[0]

    def assess(self, text: str) -> tuple[float | None, Totals]:
        """(log-odds or None, the totals it was computed with): one read of the store."""
        from .features import of_text

        return self.assess_features(of_text(text))[:2]

    def assess_features(self, features: set[str]) -> tuple[float | None, Totals, list[str]]:
        """(log-odds or None, the totals, the features that weighed most towards spam).

        Each feature's weight is the log-ratio of the share of spam and of clean documents holding it
        (the counts are document frequencies: features are sets), smoothed, clipped to ±MAX_WEIGHT and
        counted only when seen in MIN_DOCS documents or more; the verdict sums the EVIDENCE strongest
        weights either way. Classes weigh the same whatever their sizes (no prior): a community's mix
        of spam and clean posts changes from week to week, the evidence of a text does not. Long and
        short texts thus speak with the same voice, and one rare word cannot decide."""
        totals, counts = self.store.read(features)
        if not totals.spam_docs or not totals.ham_docs or not features:
            return None, totals, []
        spam_docs, ham_docs = totals.spam_docs + 2 * SMOOTHING, totals.ham_docs + 2 * SMOOTHING
        weights = {}
        for token in features:
            spam, ham = counts.get(token, (0, 0))
            if spam + ham < MIN_DOCS:
                continue  # seen once or never: says nothing, and would only add noise
            weight = math.log((spam + SMOOTHING) / spam_docs) - math.log((ham + SMOOTHING) / ham_docs)
            weights[token] = max(-MAX_WEIGHT, min(MAX_WEIGHT, weight))
        chosen = sorted(weights, key=lambda token: abs(weights[token]), reverse=True)[:EVIDENCE]
        score = sum(weights[token] for token in chosen)
        strongest = sorted((token for token in chosen if weights[token] > 1.0), key=weights.get, reverse=True)[:5]
        return score, totals, strongest

    def probability(self, text: str) -> float | None:
        """P(spam | text), or None when the classifier abstains."""
        return to_probability(self.log_odds(text))

    def is_spam(self, text: str) -> bool:
        """The classifier's own verdict (what spam_eval measures and BayesChecker acts on)."""
        probability = self.probability(text)
        return probability is not None and probability >= HOLD_PROBABILITY

    def totals(self) -> Totals:
        return self.store.read(set())[0]


def to_probability(odds: float | None) -> float | None:
    if odds is None:
        return None
    if odds >= 0:
        return 1 / (1 + math.exp(-min(odds, 700)))
    exp = math.exp(max(odds, -700))
    return exp / (1 + exp)


def train(examples, store=None) -> NaiveBayes:
    """A classifier trained on (text, label) pairs."""
    classifier = NaiveBayes(store if store is not None else MemoryStore())
    for text, label in examples:
        classifier.learn(text, label)
    return classifier


def label_counts(examples) -> Counter:
    return Counter(label for _text, label in examples)
