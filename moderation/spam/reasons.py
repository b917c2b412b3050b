"""What a spam check's reason codes mean, in words a CM reads in the review queue.

The checkers record reason codes ("url:shortener", "cta:money"), what showed each one
(`SpamCheck.evidence`: the words or domains) and their points per checker (`SpamCheck.details`).
`explain(check)` turns them into one line per reason: a translated label, the evidence, and the
points the reason added (None when they cannot be told apart, e.g. a checker not of Tribune's own).
A code without a label (a checker added by configuration) is shown as itself.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cue_checkers import POINTS

LABELS = {
    # Links and domains (checkers.py, cue_checkers.UnseenDomainChecker).
    "domain:unseen": _("Links to sites never linked here before"),
    "domain:blocked": _("Links to a blocked domain"),
    "url:shortener": _("Shortened links hide where they go"),
    "links:many-new-member": _("Many links for a new member"),
    "links:many": _("A great many links"),
    # The author's pace and habits.
    "text:repeated": _("The same text, posted again by the same author"),
    "rate:burst": _("A burst of posts: far too many in a short time"),
    "rate:fast": _("Posting fast: many posts in a short time"),
    # Disguise and calls to action (cue_checkers.py; the cues are in cues.py).
    "text:disguised": _("Disguised words (look-alike letters, spaced or dotted letters, hidden characters)"),
    "cta:contact": _("Asks to get in touch outside the community"),
    "cta:money": _("Talks money: sums, earnings, cheap offers"),
    "cta:urgency": _("Pushes the reader to hurry"),
    "cta:imperative": _("Tells the reader what to do (click, order, sign up)"),
    "cta:promise": _("Promises what no member would (guaranteed, risk-free)"),
    "cta:pitch": _("Speaks as a business selling a service"),
    "cta:credentials": _("Asks the reader to log in or verify an account"),
    "cta:flattery": _("Empty praise, as comment spam opens"),
    "text:about-spam": _("Talks about spam (a report or a warning): counts for the author"),
    "text:warning": _("Warns the reader (“don’t click”, a defanged address): counts for the author"),
    "text:code": _("Holds code, as members answering members do: counts for the author"),
    "cta:messaging": _("Names a messaging app (WhatsApp, Telegram…)"),
    "cta:contact-short": _("A contact handle with little else around it"),
    # The classifier trained by CMs' decisions (checkers.BayesChecker).
    "bayes:spam": _("Reads like the spam CMs have marked"),
    "bayes:leaning-spam": _("Reads a little like the spam CMs have marked"),
    "bayes:ham": _("Reads like the posts CMs found clean"),
    # Akismet (akismet.py), when configured.
    "akismet:spam": _("Akismet says spam"),
    "akismet:ham": _("Akismet says not spam"),
    "akismet:unavailable": _("Akismet could not be reached (no points)"),
    "akismet:invalid-answer": _("Akismet gave an unreadable answer (no points)"),
}

# The classifier's evidence may name a cue ("cue:contact") rather than a word; the disguise's, when it
# has no disguised word to show, names its tricks ("invisible"). Short words: translated in a context.
SIGN = "spam sign"  # the context; written out in each call below, as makemessages needs
TERMS = {
    "cue:contact": pgettext_lazy("spam sign", "a contact outside the community"),
    "cue:money": pgettext_lazy("spam sign", "money"),
    "cue:urgency": pgettext_lazy("spam sign", "hurry"),
    "cue:imperative": pgettext_lazy("spam sign", "a command"),
    "cue:promise": pgettext_lazy("spam sign", "a promise"),
    "cue:pitch": pgettext_lazy("spam sign", "a sales pitch"),
    "cue:credentials": pgettext_lazy("spam sign", "a login request"),
    "cue:flattery": pgettext_lazy("spam sign", "empty praise"),
    "cue:several": pgettext_lazy("spam sign", "several of these signs"),
    "cue:about-spam": pgettext_lazy("spam sign", "talk of spam"),
    "cue:warning": pgettext_lazy("spam sign", "a warning"),
    "cue:conversation": pgettext_lazy("spam sign", "a conversational tone"),
    "cue:messaging": pgettext_lazy("spam sign", "a messaging app"),
    "cue:code": pgettext_lazy("spam sign", "code"),
}
TRICKS = {
    "invisible": pgettext_lazy("spam sign", "hidden characters"),
    "lookalike": pgettext_lazy("spam sign", "look-alike letters"),
    "spaced": pgettext_lazy("spam sign", "spaced or dotted letters"),
    "digits": pgettext_lazy("spam sign", "digits for letters"),
    "dot-written": pgettext_lazy("spam sign", "a dot written out (“dot com”)"),
}

# Which checker (its `name`, the key of SpamCheck.details) gives each code: its points are there.
CHECKER = {
    "links:many-new-member": "links", "links:many": "links",
    "domain:blocked": "blocked-domains", "url:shortener": "shorteners", "text:repeated": "repeated-text",
    "rate:burst": "posting-speed", "rate:fast": "posting-speed",
    "domain:unseen": "unseen-domains", "text:disguised": "obfuscation",
    "bayes:spam": "bayes", "bayes:leaning-spam": "bayes", "bayes:ham": "bayes",
    "akismet:spam": "akismet", "akismet:ham": "akismet", "akismet:unavailable": "akismet",
    "akismet:invalid-answer": "akismet",
    "text:about-spam": "call-to-action", "text:warning": "call-to-action", "text:code": "call-to-action",
    **{code: "call-to-action" for code in LABELS if code.startswith("cta:")},
}
# The call-to-action checker gives several codes: each cue its fixed points, talk of spam one of two.
_VARIABLE = {"text:about-spam": (POINTS["text:about-spam"], POINTS["text:about-spam-contact"])}


class Reason(NamedTuple):
    label: str
    evidence: list[str]
    points: float | None


def label(code: str) -> str:
    return LABELS.get(code, code)


def _evidence(code: str, words) -> list[str]:
    if isinstance(words, str | int | float):
        words = [words]
    words = [str(word) for word in (words or ())]
    if code.startswith("bayes:"):
        return [TERMS.get(word, word) for word in words]
    if code == "text:disguised" and words and all(word in TRICKS for word in words):
        return [TRICKS[word] for word in words]
    return words


def _points(reasons: list[str], details: dict) -> dict[str, float]:
    """The points of each code, from its checker's points: all of them when the checker gave one code;
    shared by the fixed points of each cue when it gave several (None if they do not add up)."""
    by_checker: dict[str, list[str]] = {}
    for code in reasons:
        if code in CHECKER:
            by_checker.setdefault(CHECKER[code], []).append(code)
    points = {}
    for checker, codes in by_checker.items():
        total = details.get(checker)
        if not isinstance(total, int | float):
            continue
        if len(codes) == 1:
            points[codes[0]] = float(total)
            continue
        shares = {code: POINTS[code] for code in codes if code in POINTS and code not in _VARIABLE}
        rest = [code for code in codes if code not in shares]
        remainder = round(total - sum(shares.values()), 2)
        if not rest and abs(remainder) < 0.011:
            points.update(shares)
        elif len(rest) == 1 and any(abs(remainder - value) < 0.011 for value in _VARIABLE.get(rest[0], ())):
            points.update(shares)
            points[rest[0]] = remainder
    return points


def explain(check) -> list[Reason]:
    """One Reason per reason code of a SpamCheck (or anything with reasons, evidence and details), in
    the order the checkers gave them: (label, evidence words or domains, points or None)."""
    if check is None:
        return []
    reasons = [str(code) for code in dict.fromkeys(check.reasons or ())]
    evidence = check.evidence if isinstance(check.evidence, dict) else {}
    points = _points(reasons, check.details if isinstance(check.details, dict) else {})
    return [Reason(label(code), _evidence(code, evidence.get(code)), points.get(code)) for code in reasons]
