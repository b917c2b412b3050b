"""Watched words: the CMs' list of words and phrases, compiled into one matcher.

Four actions:
- block: `publish_check` refuses the text (PublishRefused: the form says which word, keeps the text);
- approve: `publish_check` starts the row PENDING (held in the review queue);
- censor: `mask` (a display filter) replaces the word by ■ when the content is shown; the stored
  text is untouched, so removing the word un-masks everything at once;
- alert: the content is published; the outbox handler `record_hits` stores one WatchedWordHit per
  word and item and records a "moderation.watched_word" event, whose notification source tells the
  CMs watching the word (once per item, however often it is edited).

Split by responsibility: `matching` (phrases → regular expressions, the cached matcher), `hooks`
(the content protocol's checks, mask and hits), `services` (the list is written there only),
`preview` (what a rule would have caught).
"""

from .hooks import held_by_word, mask, publish_check, record_hits
from .matching import (
    MASK,
    MAX_WILDCARDS,
    RECHECK_SECONDS,
    VERSION_KEY,
    Matcher,
    changed,
    clean_phrase,
    matcher,
    normalize_phrase,
    pattern_for,
    prepare,
    reset,
    validate_phrase,
)
from .preview import PREVIEW_WINDOW, RuleMatch, RulePreview, preview_rule
from .services import WORD_KIND, create_word, delete_word, remove_word, save_word

__all__ = [
    "MASK", "MAX_WILDCARDS", "PREVIEW_WINDOW", "RECHECK_SECONDS", "VERSION_KEY", "WORD_KIND", "Matcher", "RuleMatch",
    "RulePreview", "changed", "clean_phrase", "create_word", "delete_word", "remove_word", "held_by_word", "mask", "matcher", "normalize_phrase",
    "pattern_for", "prepare", "preview_rule", "publish_check", "record_hits", "reset", "save_word",
    "validate_phrase",
]
