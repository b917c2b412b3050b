"""Tribune's own checkers: heuristics on links, authors and pace, and the naive-Bayes classifier.

Weights are in points; setting("SPAM_THRESHOLD") (5) makes the verdict. One strong sign (a blocked
domain, a trained classifier sure of itself) decides alone; weaker ones must add up, and a new
member (young account or few posts found clean) is held to stricter limits.
"""

from __future__ import annotations

from datetime import timedelta

from . import ABSTAIN, Contribution, Sample, threshold
from . import bayes as bayeslib
from .conf import setting
from .text import is_shortener


class LinksChecker:
    """Many links, or links to many domains, from a new member."""

    name = "links"

    def check(self, sample: Sample) -> Contribution:
        # Links the author quotes count half: a warning may quote the scam's link.
        quoted = max(0, len(sample.links) - len(sample.own_links))
        count = len(sample.own_links) + quoted // 2
        domains = len(sample.own_domains)
        if not count:
            return ABSTAIN
        score, reasons = 0.0, []
        if sample.is_new_member:
            if count >= setting("SPAM_NEW_MEMBER_MAX_LINKS") * 2:
                score, reasons = 4.0, ["links:many-new-member"]
            elif count > setting("SPAM_NEW_MEMBER_MAX_LINKS"):
                score, reasons = 2.0, ["links:several-new-member"]
            if domains >= 3:
                score += 1.0
                reasons.append("links:domains-new-member")
        elif count >= 10:
            score, reasons = 2.0, ["links:many"]
        return Contribution(score, tuple(reasons))


class BlockedDomainChecker:
    """A link to a blocked domain (setting("SPAM_BLOCKED_DOMAINS") or BlockedDomain rows) decides."""

    name = "blocked-domains"

    def check(self, sample: Sample) -> Contribution:
        if not sample.domains:
            return ABSTAIN
        blocked = sample.environment.blocked(sample.domains)
        if blocked:
            return Contribution(threshold() + 1, ("domain:blocked",), {"domain:blocked": sorted(blocked)})
        return ABSTAIN


class ShortenerChecker:
    """URL shorteners hide where a link goes: a classic of link drops."""

    name = "shorteners"

    def check(self, sample: Sample) -> Contribution:
        short = sum(1 for _url, domain in sample.own_links if is_shortener(domain))
        if not short:
            return ABSTAIN
        if sample.is_new_member:
            return Contribution(3.0 + (2.0 if short >= 2 else 0.0), ("url:shortener",))
        return Contribution(1.0 + (1.0 if short >= 2 else 0.0), ("url:shortener",))


class RepeatedTextChecker:
    """The same text (case, accents and spacing aside) already posted by the same author lately."""

    name = "repeated-text"

    def check(self, sample: Sample) -> Contribution:
        if not sample.fingerprint or sample.author is None:
            return ABSTAIN
        since = sample.at - timedelta(hours=setting("SPAM_REPEAT_WINDOW_HOURS"))
        copies = sample.environment.copies(sample, since)
        if not copies:
            return ABSTAIN
        return Contribution(2.0 if copies == 1 else 4.0, ("text:repeated",))


class PostingSpeedChecker:
    """Many new pieces of content in a short time (counted in the outbox: every creation is there,
    checked or not yet)."""

    name = "posting-speed"

    def check(self, sample: Sample) -> Contribution:
        if sample.author is None:
            return ABSTAIN
        window = timedelta(seconds=setting("SPAM_BURST_WINDOW_SECONDS"))
        limit = setting("SPAM_BURST_POSTS_NEW_MEMBER") if sample.is_new_member else setting("SPAM_BURST_POSTS")
        count = sample.environment.recent_posts(sample.author.pk, sample.at - window, sample.at, limit * 2)
        if count >= limit * 2:
            return Contribution(4.0, ("rate:burst",))
        if count >= limit:
            return Contribution(2.0, ("rate:fast",))
        return ABSTAIN


class BayesChecker:
    """The classifier learned from CM decisions. Its weight grows with its training: after
    setting("SPAM_BAYES_FULL_CONFIDENCE_DOCS") examples of each class a confident "spam" decides alone.

    It reads the author's own words. Quoted words weigh less (QUOTE_WEIGHT): a member quoting a scam
    to warn the others has not written it — unless the post is little more than the quote (fewer own
    words than QUOTE_ALONE_WORDS), which is how spam would hide behind a ">"."""

    name = "bayes"
    QUOTE_WEIGHT = 0.3
    QUOTE_ALONE_WORDS = 8

    def __init__(self, classifier=None):
        self.classifier = classifier

    def check(self, sample: Sample) -> Contribution:
        classifier = self.classifier or sample.environment.classifier
        odds, totals, strongest = classifier.assess_features(sample.features)
        contribution = self.weigh(odds, totals, strongest, "bayes")
        if sample.quoted_features:
            weight = 1.0 if sample.own_words < self.QUOTE_ALONE_WORDS else self.QUOTE_WEIGHT
            odds, totals, strongest = classifier.assess_features(sample.quoted_features)
            quoted = self.weigh(odds, totals, strongest, "bayes-quoted")
            if quoted.score > 0:
                contribution = Contribution(contribution.score + weight * quoted.score,
                                            contribution.reasons + quoted.reasons,
                                            {**contribution.evidence, **quoted.evidence})
        return contribution

    @staticmethod
    def weigh(odds, totals, strongest, prefix) -> Contribution:
        probability = bayeslib.to_probability(odds)
        if probability is None:
            return ABSTAIN
        confidence = min(1.0, min(totals.spam_docs, totals.ham_docs) / setting("SPAM_BAYES_FULL_CONFIDENCE_DOCS"))
        shown = [token for token in strongest if ":" not in token or token.startswith("cue:")][:5]
        if probability >= bayeslib.HOLD_PROBABILITY:
            return Contribution(threshold() * confidence, (f"{prefix}:spam",), {f"{prefix}:spam": shown})
        if probability >= 0.5:
            return Contribution(2.0 * confidence, (f"{prefix}:leaning-spam",), {f"{prefix}:leaning-spam": shown})
        if probability <= 0.1:
            return Contribution(-2.0 * confidence, (f"{prefix}:ham",))
        return ABSTAIN
