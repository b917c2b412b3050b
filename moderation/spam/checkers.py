"""Tribune's own checkers: heuristics on links, authors and pace, and the naive-Bayes classifier.

Weights are in points; setting("SPAM_THRESHOLD") (5) makes the verdict. One strong sign (a blocked
domain, a trained classifier sure of itself) decides alone; weaker ones must add up, and a new
member (young account or few posts found clean) is held to stricter limits.
"""

from __future__ import annotations

from datetime import timedelta

from . import ABSTAIN, Contribution, Sample, threshold
from .conf import setting
from .text import is_shortener


class LinksChecker:
    """Many links from a new member (a link list), or very many from anyone."""

    name = "links"

    def check(self, sample: Sample) -> Contribution:
        # Links the author quotes count half: a warning may quote the scam's link.
        quoted = max(0, len(sample.links) - len(sample.own_links))
        count = len(sample.own_links) + quoted // 2
        if sample.is_new_member and count > setting("SPAM_NEW_MEMBER_MAX_LINKS") * 2:
            return Contribution(2.0, ("links:many-new-member",))
        if count >= 10:
            return Contribution(2.0, ("links:many",))
        return ABSTAIN


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
            return Contribution(4.5 + (1.0 if short >= 2 else 0.0), ("url:shortener",))
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
    """The classifier learned from CM decisions, read as points: PER_LOG_ODD points per unit of its
    log-odds (spam side) or PER_LOG_ODD_HAM (clean side), the log-odds clipped to ±MAX_LOG_ODDS, so that
    the classifier alone never quite decides on a kind of spam it has not seen — it needs one more
    sign — yet tips every close call (weights fitted with the other signs: see cue_checkers.POINTS).
    Its voice grows with its training: full after setting("SPAM_BAYES_FULL_CONFIDENCE_DOCS") examples
    of each class.

    It reads the author's own words; quoted and reported words are left out (a member quoting a scam
    to warn the others has not written it) — unless the post is little more than the quote (fewer own
    words than QUOTE_ALONE_WORDS), which is how spam would hide behind a ">"."""

    name = "bayes"
    PER_LOG_ODD = 0.4
    PER_LOG_ODD_HAM = 0.33
    MAX_LOG_ODDS = 12.0
    SURE_LOG_ODDS = 20.0  # this sure, it decides alone (a wave of spam CMs have taught it), even for the trusted
    QUOTE_ALONE_WORDS = 8

    def __init__(self, classifier=None):
        self.classifier = classifier

    def check(self, sample: Sample) -> Contribution:
        classifier = self.classifier or sample.environment.classifier
        features = sample.features
        if sample.quoted_features and sample.own_words < self.QUOTE_ALONE_WORDS:
            features = features | sample.quoted_features
        odds, totals, strongest = classifier.assess_features(features)
        if odds is None:
            return ABSTAIN
        confidence = min(1.0, min(totals.spam_docs, totals.ham_docs) / setting("SPAM_BAYES_FULL_CONFIDENCE_DOCS"))
        if odds >= self.SURE_LOG_ODDS:
            score = round(confidence * threshold(), 2)
        else:
            odds = max(-self.MAX_LOG_ODDS, min(self.MAX_LOG_ODDS, odds))
            score = round(confidence * odds * (self.PER_LOG_ODD if odds > 0 else self.PER_LOG_ODD_HAM), 2)
        shown = [token for token in strongest if ":" not in token or token.startswith("cue:")][:5]
        if score >= 2.0:
            return Contribution(score, ("bayes:spam",), {"bayes:spam": shown})
        if score > 0:
            return Contribution(score, ("bayes:leaning-spam",), {"bayes:leaning-spam": shown})
        if score <= -2.0:
            return Contribution(score, ("bayes:ham",))
        return Contribution(score)
