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
from .text import domain_matches, is_shortener


class LinksChecker:
    """Many links, or links to many domains, from a new member."""

    name = "links"

    def check(self, sample: Sample) -> Contribution:
        count, domains = len(sample.links), len(sample.domains)
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
        from moderation.models import BlockedDomain

        blocked = {domain.lower() for domain in setting("SPAM_BLOCKED_DOMAINS")}
        blocked.update(BlockedDomain.objects.values_list("domain", flat=True))
        if any(domain_matches(domain, blocked) for domain in sample.domains):
            return Contribution(threshold() + 1, ("domain:blocked",))
        return ABSTAIN


class ShortenerChecker:
    """URL shorteners hide where a link goes: a classic of link drops."""

    name = "shorteners"

    def check(self, sample: Sample) -> Contribution:
        short = sum(1 for _url, domain in sample.links if is_shortener(domain))
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
        from moderation.models import SpamCheck

        since = sample.at - timedelta(hours=setting("SPAM_REPEAT_WINDOW_HOURS"))
        earlier = SpamCheck.objects.filter(author_id=sample.author.pk, fingerprint=sample.fingerprint,
                                           created_at__gte=since)
        if sample.object_id is not None:
            earlier = earlier.exclude(content_type_id=sample.content_type_id, object_id=sample.object_id)
        copies = len(earlier.values_list("object_id", flat=True).distinct()[:3])
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
        from community import events
        from community.models import Event

        window = timedelta(seconds=setting("SPAM_BURST_WINDOW_SECONDS"))
        recent = Event.objects.filter(actor_id=sample.author.pk, kind=events.CONTENT_CREATED,
                                      created_at__gt=sample.at - window, created_at__lte=sample.at)
        limit = setting("SPAM_BURST_POSTS_NEW_MEMBER") if sample.is_new_member else setting("SPAM_BURST_POSTS")
        count = len(recent.values_list("pk", flat=True)[: limit * 2])
        if count >= limit * 2:
            return Contribution(4.0, ("rate:burst",))
        if count >= limit:
            return Contribution(2.0, ("rate:fast",))
        return ABSTAIN


class BayesChecker:
    """The classifier learned from CM decisions. Its weight grows with its training: after
    setting("SPAM_BAYES_FULL_CONFIDENCE_DOCS") examples of each class a confident "spam" decides alone."""

    name = "bayes"

    def __init__(self, classifier=None):
        self.classifier = classifier or bayeslib.NaiveBayes()

    def check(self, sample: Sample) -> Contribution:
        odds, totals = self.classifier.assess(sample.text)
        probability = bayeslib.to_probability(odds)
        if probability is None:
            return ABSTAIN
        confidence = min(1.0, min(totals.spam_docs, totals.ham_docs) / setting("SPAM_BAYES_FULL_CONFIDENCE_DOCS"))
        if probability >= bayeslib.HOLD_PROBABILITY:
            return Contribution(threshold() * confidence, ("bayes:spam",))
        if probability >= 0.5:
            return Contribution(2.0 * confidence, ("bayes:leaning-spam",))
        if probability <= 0.1:
            return Contribution(-2.0 * confidence, ("bayes:ham",))
        return ABSTAIN
