"""Checkers on what a spammer cannot drop cheaply: where the links go, disguised words, and a text that
sells (money, hurry, a contact outside the community) instead of taking part in the thread.

They read the author's own words (quoted lines aside) and hold new members to them; a member with a
record of clean posts is spared all but the disguise. Weights are points as in checkers.py (the
threshold is 5): none decides alone except heavy disguise, and "talking about spam" (a report, a
warning, a patrol summary) earns points back as long as the author's own words sell nothing.
"""

from __future__ import annotations

from . import ABSTAIN, Contribution, Sample
from .text import is_shortener

# Points per sign. Fitted, then rounded: a logistic regression over these signs, measured by
# leave-one-family-out on tests/data/spam_corpus.jsonl (bench/README.md, "Spam checks"), scaled so that
# the pipeline's threshold (5) is its decision boundary. A sign not listed weighs nothing but still
# teaches the classifier (spam.features).
POINTS = {
    "domain:unseen": 6.5,
    "domain:unseen-untrained": 4.0,  # while the classifier has learned nothing: a doubt, not a verdict
    "cta:contact": 3.8,
    "cta:contact-short": 1.2,  # added when the post is little else (fewer than SHORT_WORDS own words)
    "cta:messaging": 1.7,
    "cta:money": 0.7,
    "cta:imperative": 1.75,
    "cta:pitch": 1.0,
    "cta:credentials": 1.25,
    "cta:flattery": 0.9,
    "text:disguised": 2.1,  # per disguised word, three at most
    "text:about-spam": -1.8,  # a report or a warning, without a contact handle in the author's words
    "text:about-spam-contact": -2.3,  # the same with one: the reporter names the scammer's handle
    "text:warning": -0.7,  # "don't click", "scam[.]xyz", "red flags"
    "text:code": -3.0,  # code in the post: members answering members
}


class UnseenDomainChecker:
    """A new member's links to domains that no clean content of the community ever linked to
    (spammers need a fresh domain for each campaign; members link to the sites the others know).
    Addresses written without "https://" count: the reader is asked to type them."""

    name = "unseen-domains"

    def check(self, sample: Sample) -> Contribution:
        if not sample.is_new_member:
            return ABSTAIN
        domains = {domain for url, domain in sample.own_links
                   if not is_shortener(domain) and not url.lower().startswith("mailto:")}
        if not domains:
            return ABSTAIN
        unseen = sample.environment.unseen(domains)
        if not unseen:
            return ABSTAIN
        # The points were fitted beside a trained classifier, whose reading of a clean text takes some
        # back; a new community's classifier knows nothing yet, and an unknown site alone must not hold
        # every first post with a link (`manage.py spam_train` gives it the corpus).
        totals = sample.environment.classifier.totals()
        points = POINTS["domain:unseen"] if totals.spam_docs and totals.ham_docs else POINTS["domain:unseen-untrained"]
        return Contribution(points, ("domain:unseen",), {"domain:unseen": sorted(unseen)})


class ObfuscationChecker:
    """Words disguised to slip past filters (see obfuscation.py): members have no reason to."""

    name = "obfuscation"

    def check(self, sample: Sample) -> Contribution:
        count = sample.revealed.count
        if not count:
            return ABSTAIN
        score = POINTS["text:disguised"] * min(count, 3)
        if not sample.is_new_member:
            score /= 2
        return Contribution(score, ("text:disguised",),
                            {"text:disguised": list(sample.revealed.examples) or sorted(sample.revealed.tricks)})


class CallToActionChecker:
    """A text that sells: a way to get in touch outside the community, money, commands, a business
    speaking, a request to log in, empty praise — each cue its points; talking about spam (a report,
    a warning) takes points back."""

    name = "call-to-action"
    SHORT_WORDS = 25

    def check(self, sample: Sample) -> Contribution:
        if not sample.is_new_member:
            return ABSTAIN
        cues = sample.cues
        reasons, evidence, score = [], {}, 0.0
        for name, words in cues.found.items():
            points = POINTS.get(f"cta:{name}")
            if words and points:
                score += points
                reasons.append(f"cta:{name}")
                evidence[f"cta:{name}"] = list(words)
        if cues.has("contact") and sample.own_words < self.SHORT_WORDS:
            score += POINTS["cta:contact-short"]  # a handle dropped with little else: a drop, not a post
            reasons.append("cta:contact-short")
        if cues.about_spam:
            key = "text:about-spam-contact" if cues.has("contact") else "text:about-spam"
            score += POINTS[key]
            reasons.append("text:about-spam")
        if cues.warning:
            score += POINTS["text:warning"]
            reasons.append("text:warning")
        if cues.code:
            score += POINTS["text:code"]
            reasons.append("text:code")
        if not reasons:
            return ABSTAIN
        return Contribution(round(score, 2), tuple(reasons), evidence)
