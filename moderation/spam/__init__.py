"""The spam pipeline: pluggable checkers combined into one score with reason codes.

A checker is any object with a `name` and `check(sample) -> Contribution` (a score added to the
total, positive for spam, negative for ham, and the reason codes shown to CMs). The checkers in use
are the dotted paths of settings.SPAM_CHECKERS; the verdict is spam when the total reaches
settings.SPAM_THRESHOLD (defaults in spam/conf.py). `evaluate()` has no side effect: moderation.services records decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from . import text as textlib
from .conf import setting

DEFAULT_CHECKERS = (
    "moderation.spam.checkers.LinksChecker",
    "moderation.spam.checkers.BlockedDomainChecker",
    "moderation.spam.checkers.ShortenerChecker",
    "moderation.spam.checkers.RepeatedTextChecker",
    "moderation.spam.checkers.PostingSpeedChecker",
    "moderation.spam.checkers.BayesChecker",
    "moderation.spam.akismet.AkismetChecker",
)


@dataclass(frozen=True)
class Contribution:
    score: float = 0.0
    reasons: tuple[str, ...] = ()


ABSTAIN = Contribution()


@dataclass
class Sample:
    """What the checkers look at: one version of one piece of content and its author."""

    text: str
    kind: str = ""
    author: object = None
    at: datetime = field(default_factory=timezone.now)
    content_type_id: int | None = None
    object_id: int | None = None
    # The text whose repetition counts (a post's body, without its topic's title); default: text.
    body: str | None = None

    @cached_property
    def links(self) -> list[tuple[str, str]]:
        return textlib.find_links(self.text)

    @cached_property
    def domains(self) -> set[str]:
        return {domain for _url, domain in self.links}

    @cached_property
    def fingerprint(self) -> str:
        return textlib.fingerprint(self.body if self.body is not None else self.text)

    @cached_property
    def ham_count(self) -> int:
        """How many earlier versions of this author's content were judged not spam (capped)."""
        from moderation.models import SpamCheck, Verdict

        if self.author is None or self.author.pk is None:
            return 0
        cap = setting("SPAM_NEW_MEMBER_HAM_POSTS")
        return len(SpamCheck.objects.filter(author_id=self.author.pk, verdict=Verdict.HAM)
                   .values_list("pk", flat=True)[:cap])

    @cached_property
    def is_new_member(self) -> bool:
        """Discourse's trust level 0: a young account, or one with few posts found clean."""
        if self.author is None:
            return True
        joined = getattr(self.author, "date_joined", None)
        young = joined is None or joined > self.at - timedelta(days=setting("SPAM_NEW_MEMBER_DAYS"))
        return young or self.ham_count < setting("SPAM_NEW_MEMBER_HAM_POSTS")


@dataclass(frozen=True)
class Outcome:
    score: float
    reasons: tuple[str, ...]
    details: dict
    verdict: str  # "spam" | "ham"

    @property
    def is_spam(self) -> bool:
        return self.verdict == "spam"


_loaded: dict[tuple, list] = {}


def active_checkers() -> list:
    """The configured checkers, instantiated once per configuration."""
    paths = tuple(getattr(settings, "SPAM_CHECKERS", DEFAULT_CHECKERS))
    if paths not in _loaded:
        _loaded[paths] = [import_string(path)() for path in paths]
    return _loaded[paths]


def threshold() -> float:
    return float(setting("SPAM_THRESHOLD"))


def evaluate(sample: Sample, using=None) -> Outcome:
    """Run every checker and combine. A checker that raises makes the whole check raise: the
    caller leaves the content pending and the outbox tries again (no half-checked verdicts)."""
    total, reasons, details = 0.0, [], {}
    for checker in (active_checkers() if using is None else using):
        contribution = checker.check(sample)
        if contribution.score or contribution.reasons:
            details[checker.name] = round(contribution.score, 2)
            total += contribution.score
            reasons.extend(contribution.reasons)
    verdict = "spam" if total >= threshold() else "ham"
    return Outcome(score=round(total, 2), reasons=tuple(reasons), details=details, verdict=verdict)
