"""A three-way merge of texts, line by line (like diff3 and MediaWiki's edit conflicts).

`merge3(base, mine, theirs)`: the editor started from `base` and wrote `mine`; meanwhile `theirs` was
saved. Each side's changes against the base are hunks (difflib, no junk heuristic); hunks of the two
sides that overlap — or touch: changes to adjacent lines, or insertions at the same place — form a
cluster. A cluster changed by one side takes that side's lines; one changed by both merges only if
both sides made it the same. Otherwise the edits conflict and the answer is None: the editor must
choose (no edit is ever silently lost).
"""

from __future__ import annotations

import difflib


def _lines(text: str) -> list[str]:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _hunks(base: list[str], other: list[str], side: int) -> list[tuple[int, int, list[str], int]]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2], side) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _apply(base: list[str], hunks: list, lo: int, hi: int) -> list[str]:
    out, pos = [], lo
    for i1, i2, lines, _side in hunks:
        out.extend(base[pos:i1])
        out.extend(lines)
        pos = i2
    out.extend(base[pos:hi])
    return out


def merge3(base: str, mine: str, theirs: str) -> str | None:
    """The merged text, or None when the two edits overlap differently."""
    if mine == theirs:
        return mine
    if theirs == base:
        return mine
    if mine == base:
        return theirs
    old = _lines(base)
    hunks = sorted(_hunks(old, _lines(mine), 0) + _hunks(old, _lines(theirs), 1), key=lambda h: (h[0], h[1]))
    clusters: list[list] = []
    for hunk in hunks:
        if clusters and hunk[0] <= clusters[-1][1]:  # overlaps or touches the cluster
            cluster = clusters[-1]
            cluster[1] = max(cluster[1], hunk[1])
            cluster[2].append(hunk)
        else:
            clusters.append([hunk[0], hunk[1], [hunk]])
    out, pos = [], 0
    for lo, hi, members in clusters:
        out.extend(old[pos:lo])
        sides = {hunk[3] for hunk in members}
        if len(sides) == 1:
            out.extend(_apply(old, members, lo, hi))
        else:
            ours = _apply(old, [h for h in members if h[3] == 0], lo, hi)
            other = _apply(old, [h for h in members if h[3] == 1], lo, hi)
            if ours != other:
                return None
            out.extend(ours)
        pos = hi
    out.extend(old[pos:])
    return "\n".join(out)


def merge_title(base: str, mine: str, theirs: str) -> str | None:
    """A title changed by one side takes that change; changed by both differently: None."""
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs
    return None
