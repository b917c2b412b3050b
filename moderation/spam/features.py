"""The classifier's features of a text: what `NaiveBayes` learns and weighs.

Read from the author's own words only (quoted lines are someone else's: see text.split_quoted), with
any disguise undone (obfuscation.reveal): the words and word pairs of text.tokens, plus one feature per
cue of cues.read ("cue:contact", "cue:money"…) and per trick ("trick:lookalike"). The cue and trick
features are the same in every family of spam, so what the classifier learns from casino spam about
"a contact handle with a sum of money" carries over to the essay mill it has never seen.
"""

from __future__ import annotations

from .cues import Cues
from .cues import read as read_cues
from .obfuscation import Revealed, reveal
from .text import has_code, split_quoted, tokens


def of_revealed(revealed: Revealed, cues: Cues) -> set[str]:
    found = tokens(revealed.text)
    found.update(f"cue:{name}" for name, words in cues.found.items() if words)
    if cues.kinds >= 2:
        found.add("cue:several")
    if cues.about_spam:
        found.add("cue:about-spam")
    if cues.code:
        found.add("cue:code")
    if cues.warning:
        found.add("cue:warning")
    if cues.conversational:
        found.add("cue:conversation")
    found.update(f"trick:{name}" for name in revealed.tricks)
    return found


def of_text(text: str) -> set[str]:
    """The features of a whole text (own words only): what a CM's decision teaches."""
    revealed = reveal(split_quoted(text)[0])
    return of_revealed(revealed, read_cues(revealed.text, code=has_code(text)))
