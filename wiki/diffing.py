"""Differences between two texts: what an edit added (for the spam check). The history area adds
the word-level diffs shown to readers."""

from __future__ import annotations

import difflib


def added_text(old: str, new: str) -> str:
    """The lines of `new` that are not in `old` (an edit's own words; all of `new` for a new page)."""
    old_lines = (old or "").splitlines()
    new_lines = (new or "").splitlines()
    if not old_lines:
        return "\n".join(new_lines)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    added = []
    for op, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "insert"):
            added.extend(new_lines[j1:j2])
    return "\n".join(added)
