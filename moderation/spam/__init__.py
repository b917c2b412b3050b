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

from . import cues as cuelib
from . import env as envlib
from . import features as featurelib
from . import obfuscation
from . import text as textlib
from .conf import setting

DEFAULT_CHECKERS = (
    "moderation.spam.checkers.LinksChecker",
    "moderation.spam.checkers.BlockedDomainChecker",
    "moderation.spam.checkers.ShortenerChecker",
    "moderation.spam.checkers.RepeatedTextChecker",
    "moderation.spam.checkers.PostingSpeedChecker",
    "moderation.spam.cue_checkers.UnseenDomainChecker",
    "moderation.spam.cue_checkers.ObfuscationChecker",
    "moderation.spam.cue_checkers.CallToActionChecker",
    "moderation.spam.checkers.BayesChecker",
    "moderation.spam.akismet.AkismetChecker",
)


@dataclass(frozen=True)
class Contribution:
    score: float = 0.0
    reasons: tuple[str, ...] = ()
    # What showed each reason (the domains, the words): shown to CMs beside the reason.
    evidence: dict = field(default_factory=dict)


ABSTAIN = Contribution()


@dataclass
class Sample:
    """What the checkers look at: one version of one piece of content and its author, in the
    community `env` (the database by default; spam_eval's in-memory community)."""

    text: str
    kind: str = ""
    author: object = None
    at: datetime = field(default_factory=timezone.now)
    content_type_id: int | None = None
    object_id: int | None = None
    # The text whose repetition counts (a post's body, without its topic's title); default: text.
    body: str | None = None
    env: object = None

    @cached_property
    def environment(self):
        return self.env if self.env is not None else envlib.database()

    @cached_property
    def parts(self) -> tuple[str, str]:
        """(the author's own words, the words they quote)."""
        return textlib.split_quoted(self.text)

    @cached_property
    def revealed(self) -> obfuscation.Revealed:
        """The author's own words with any disguise undone, and the tricks found."""
        return obfuscation.reveal(self.parts[0])

    @cached_property
    def links(self) -> list[tuple[str, str]]:
        """Every link, quoted ones included (a link in a quote is as clickable)."""
        return textlib.find_links(self.text)

    @cached_property
    def own_links(self) -> list[tuple[str, str]]:
        return textlib.find_links(self.revealed.text, bare=True)

    @cached_property
    def domains(self) -> set[str]:
        return {domain for _url, domain in self.links} | {domain for _url, domain in self.own_links}

    @cached_property
    def own_domains(self) -> set[str]:
        return {domain for _url, domain in self.own_links}

    @cached_property
    def cues(self) -> cuelib.Cues:
        return cuelib.read(self.revealed.text, code=textlib.has_code(self.text))

    @cached_property
    def features(self) -> set[str]:
        """The classifier's features of the author's own words (see spam.features)."""
        return featurelib.of_revealed(self.revealed, self.cues)

    @cached_property
    def quoted_features(self) -> set[str]:
        return featurelib.of_text(self.parts[1]) if self.parts[1].strip() else set()

    @cached_property
    def own_words(self) -> int:
        return len(self.revealed.text.split())

    @cached_property
    def fingerprint(self) -> str:
        return textlib.fingerprint(self.body if self.body is not None else self.text)

    @cached_property
    def is_new_member(self) -> bool:
        """Under the new-member rules: trust level 0 (moderation.trust, the one definition) or an
        account younger than setting("SPAM_NEW_MEMBER_DAYS"); never a CM, contributor or staff member.
        No author (spam_eval's test texts): new."""
        if self.author is None:
            return True
        from community.permissions import is_exempt_from_new_member_limits

        if getattr(self.author, "pk", None) is not None and is_exempt_from_new_member_limits(self.author):
            return False
        if getattr(self.author, "trust_level", 0) == 0:
            return True
        joined = getattr(self.author, "date_joined", None)
        return joined is None or joined > self.at - timedelta(days=setting("SPAM_NEW_MEMBER_DAYS"))


@dataclass(frozen=True)
class Outcome:
    score: float
    reasons: tuple[str, ...]
    details: dict
    verdict: str  # "spam" | "ham"
    evidence: dict = field(default_factory=dict)

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
    total, reasons, details, evidence = 0.0, [], {}, {}
    for checker in (active_checkers() if using is None else using):
        contribution = checker.check(sample)
        if contribution.score or contribution.reasons:
            details[checker.name] = round(contribution.score, 2)
            total += contribution.score
            reasons.extend(contribution.reasons)
            evidence.update({reason: list(words)[:5] for reason, words in contribution.evidence.items()})
    verdict = "spam" if total >= threshold() else "ham"
    return Outcome(score=round(total, 2), reasons=tuple(reasons), details=details, verdict=verdict,
                   evidence=evidence)
