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


class UnseenDomainChecker:
    """A new member's links to domains that no clean content of the community ever linked to
    (spammers need a fresh domain for each campaign; members link to the sites the others know)."""

    name = "unseen-domains"

    def check(self, sample: Sample) -> Contribution:
        if not sample.is_new_member:
            return ABSTAIN
        domains = {domain for _url, domain in sample.own_links
                   if not is_shortener(domain) and not _url.lower().startswith("mailto:")}
        if not domains:
            return ABSTAIN
        unseen = sample.environment.unseen(domains)
        if not unseen:
            return ABSTAIN
        score = 2.0 if len(unseen) == 1 else 3.0
        return Contribution(score, ("domain:unseen",), {"domain:unseen": sorted(unseen)})


class ObfuscationChecker:
    """Words disguised to slip past filters (see obfuscation.py): members have no reason to."""

    name = "obfuscation"
    WEIGHTS = {"lookalike": 3.0, "invisible": 3.0, "spaced": 2.0, "digits": 1.5, "dot-written": 1.5}

    def check(self, sample: Sample) -> Contribution:
        tricks = sample.revealed.tricks
        if not tricks:
            return ABSTAIN
        score = sum(self.WEIGHTS.get(name, 1.0) * min(count, 2) for name, count in tricks.items())
        if not sample.is_new_member:
            score /= 2
        return Contribution(min(score, 6.0), ("text:disguised",),
                            {"text:disguised": list(sample.revealed.examples) or sorted(tricks)})


class CallToActionChecker:
    """A text that sells: a way to get in touch outside the community, money, hurry, commands and
    promises — scored by how many of these moves it makes, more when it holds no conversation
    (no question, no thanks, no answer to anyone), less when it talks about spam."""

    name = "call-to-action"

    def check(self, sample: Sample) -> Contribution:
        if not sample.is_new_member:
            return ABSTAIN
        cues = sample.cues
        found = {name: words for name, words in cues.found.items() if words}
        reasons, evidence, score = [], {}, 0.0
        selling = [name for name in ("money", "urgency", "imperative", "promise") if name in found]
        if "contact" in found:
            score += 1.0 + 1.0 * len(selling)
        else:
            score += 0.75 * len(selling) if len(selling) >= 2 else 0.0
        if score:
            for name in ("contact", *selling):
                if name in found:
                    reasons.append(f"cta:{name}")
                    evidence[f"cta:{name}"] = list(found[name])
        promo_moves = len(found) + (1 if sample.own_links else 0)
        if promo_moves >= 2 and not cues.conversational:
            score += 1.5
            reasons.append("text:promotion-only")
        if cues.about_spam and "contact" not in found and not (sample.own_links and selling):
            score -= 2.0
            reasons.append("text:about-spam")
        if not reasons:
            return ABSTAIN
        return Contribution(score, tuple(reasons), evidence)
