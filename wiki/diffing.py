"""Differences between two texts: what an edit added (for the spam check), and the diffs shown to
readers — a line diff with the changed words highlighted inside changed lines, inline or side by
side.

The diff of two revisions never changes (revisions are immutable), so the views cache what
`render_diff` returns (wiki/views/history.py); this module only computes. Every piece of text is
HTML-escaped here: the result is safe HTML made of table rows (`<tr>`), with no translatable word
in it (the table's head is in the template), so one cached copy serves every language.

Bounds (a diff is computed in the request): the lines common to both ends are trimmed first;
lines found once in each text anchor the match (patience diff), difflib (autojunk off) matches the
stretches between anchors, counting its comparisons: past `MATCH_BUDGET` (e.g. a reshuffled text
of repeated lines) it starts again with autojunk, and past it again the changed middle is shown as
replaced whole. Changed words are highlighted only inside paired changed lines, and not at all past
`WORD_DIFF_MAX_LINES` changed lines or `WORD_DIFF_MAX_CHARS` characters of them (whole lines then),
nor in a line longer than `WORD_LINE_MAX_CHARS`, nor past `WORD_BUDGET` comparisons. At most `MAX_ROWS` rows are shown.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections import Counter
from html import escape

CONTEXT = 3  # unchanged lines shown around each change
MATCH_BUDGET = 3_000_000  # line comparisons difflib may make before a cruder diff is used
WORD_BUDGET = 1_000_000  # word comparisons in one diff, after which changed lines are marked whole
WORD_DIFF_MAX_LINES = 5_000
WORD_DIFF_MAX_CHARS = 400_000
WORD_LINE_MAX_CHARS = 5_000
MAX_ROWS = 20_000
MODES = ("inline", "side")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def added_text(old: str, new: str) -> str:
    """The lines of `new` that are not in `old` (an edit's own words; all of `new` for a new page)."""
    old_lines = (old or "").splitlines()
    new_lines = (new or "").splitlines()
    if not old_lines:
        return "\n".join(new_lines)
    added = []
    for op, _i1, _i2, j1, j2 in line_opcodes(old_lines, new_lines):
        if op in ("replace", "insert"):
            added.extend(new_lines[j1:j2])
    return "\n".join(added)


def line_opcodes(a: list[str], b: list[str]) -> list[tuple]:
    """difflib opcodes over two lists of lines, the common head and tail trimmed before matching."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    middle_a, middle_b = a[head:len(a) - tail], b[head:len(b) - tail]
    codes = [("equal", 0, head, 0, head)] if head else []
    if middle_a or middle_b:
        codes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head)
                  for tag, i1, i2, j1, j2 in _bounded_opcodes(middle_a, middle_b)]
    if tail:
        codes.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return codes


def _blank(line: str) -> bool:
    return not line.strip()


class _OverBudget(Exception):
    pass


class _Budget:
    def __init__(self, left: int):
        self.left = left

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise _OverBudget


class _BoundedMatcher(difflib.SequenceMatcher):
    """difflib's matcher, counting the comparisons each longest-match search makes (the sum, over
    the lines of `a` searched, of how often each appears in `b`) against a budget."""

    def __init__(self, a, b, *, autojunk: bool, budget: _Budget):
        super().__init__(None, a, b, autojunk=autojunk)
        self.spent_from = budget
        self._cost = list(itertools.accumulate((len(self.b2j.get(line, ())) for line in a), initial=0))

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        self.spent_from.spend(self._cost[ahi] - self._cost[alo] + 1)
        return super().find_longest_match(alo, ahi, blo, bhi)


def _matched(a: list[str], b: list[str], budget: _Budget, *, autojunk: bool) -> list[tuple]:
    """Opcodes: lines found once in each text, not blank, and in the same order (the longest such
    chain, as patience diff does) anchor the match; difflib matches the stretches between them."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if count_b[line] == 1}
    pairs = [(i, where_b[line]) for i, line in enumerate(a)
             if count_a[line] == 1 and line in where_b and not _blank(line)]
    codes, i0, j0 = [], 0, 0
    for i, j in _longest_chain(pairs) + [(len(a), len(b))]:
        if i > i0 or j > j0:
            gap = _BoundedMatcher(a[i0:i], b[j0:j], autojunk=autojunk, budget=budget).get_opcodes()
            codes += [(tag, x1 + i0, x2 + i0, y1 + j0, y2 + j0) for tag, x1, x2, y1, y2 in gap]
        if i < len(a):
            codes.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    return _merged(codes)


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (increasing in i) also increasing in j."""
    tails, tail_at, before = [], [], [None] * len(pairs)
    for k, (_i, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        before[k] = tail_at[pos - 1] if pos else None
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = j, k
    chain, k = [], tail_at[-1] if tail_at else None
    while k is not None:
        chain.append(pairs[k])
        k = before[k]
    return chain[::-1]


def _merged(codes: list[tuple]) -> list[tuple]:
    out = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if out and out[-1][0] == code[0]:
            tag, i1, _i2, j1, _j2 = out[-1]
            out[-1] = (tag, i1, code[2], j1, code[4])
        else:
            out.append(code)
    return out


def _bounded_opcodes(a: list[str], b: list[str]) -> list[tuple]:
    for autojunk in (False, True):
        try:
            return _matched(a, b, _Budget(MATCH_BUDGET), autojunk=autojunk)
        except _OverBudget:
            continue
    if not a:
        return [("insert", 0, 0, 0, len(b))]
    if not b:
        return [("delete", 0, len(a), 0, 0)]
    return [("replace", 0, len(a), 0, len(b))]


def grouped(codes: list[tuple], context: int = CONTEXT) -> list[list[tuple]]:
    """The changes with `context` unchanged lines around them, in hunks (difflib's grouping)."""
    if not any(tag != "equal" for tag, *_rest in codes):
        return []
    codes = list(codes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    groups, group = [], []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def word_diff(old: str, new: str, budget: _Budget | None = None) -> tuple[str, str]:
    """Two changed lines as escaped HTML, the words only in `old` in <del>, only in `new` in <ins>.
    Past the budget (shared by a whole diff), the lines are marked whole."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    budget = budget or _Budget(WORD_BUDGET)
    try:
        if budget.left <= 0:
            raise _OverBudget
        codes = _BoundedMatcher(a, b, autojunk=False, budget=budget).get_opcodes()
    except _OverBudget:
        return (f"<del>{escape(old)}</del>" if old else ""), (f"<ins>{escape(new)}</ins>" if new else "")
    left, right = [], []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            same = escape("".join(a[i1:i2]))
            left.append(same)
            right.append(same)
            continue
        if i2 > i1:
            left.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            right.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(left), "".join(right)


def _rows(old_lines, new_lines, groups, *, words: bool):
    """(kind, old number, new number, old html, new html) per shown line; kind "skip" between hunks."""
    last_old = last_new = 0
    budget = _Budget(WORD_BUDGET)
    for group in groups:
        first = group[0]
        if first[1] > last_old or first[3] > last_new:
            yield ("skip", None, None, "", "")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for k in range(i2 - i1):
                    text = escape(old_lines[i1 + k])
                    yield ("equal", i1 + k + 1, j1 + k + 1, text, text)
            elif tag == "replace":
                pairs = min(i2 - i1, j2 - j1)
                for k in range(pairs):
                    old, new = old_lines[i1 + k], new_lines[j1 + k]
                    if words and len(old) <= WORD_LINE_MAX_CHARS and len(new) <= WORD_LINE_MAX_CHARS:
                        left, right = word_diff(old, new, budget)
                    else:
                        left, right = f"<del>{escape(old)}</del>", f"<ins>{escape(new)}</ins>"
                    yield ("replace", i1 + k + 1, j1 + k + 1, left, right)
                for k in range(i1 + pairs, i2):
                    yield ("delete", k + 1, None, escape(old_lines[k]), "")
                for k in range(j1 + pairs, j2):
                    yield ("insert", None, k + 1, "", escape(new_lines[k]))
            elif tag == "delete":
                for k in range(i1, i2):
                    yield ("delete", k + 1, None, escape(old_lines[k]), "")
            else:
                for k in range(j1, j2):
                    yield ("insert", None, k + 1, "", escape(new_lines[k]))
        last_old, last_new = group[-1][2], group[-1][4]
    if groups and (last_old < len(old_lines) or last_new < len(new_lines)):
        yield ("skip", None, None, "", "")


def _num(n) -> str:
    return "" if n is None else str(n)


def _inline(rows) -> str:
    out = []
    for kind, o, n, left, right in rows:
        if kind == "skip":
            out.append('<tr class="diff-skip"><td class="ln"></td><td class="ln"></td><td class="sign"></td>'
                       '<td class="code">…</td></tr>')
        elif kind == "equal":
            out.append(f'<tr class="diff-equal"><td class="ln">{o}</td><td class="ln">{n}</td>'
                       f'<td class="sign"></td><td class="code">{left}</td></tr>')
        else:
            if kind in ("delete", "replace"):
                body = left if kind == "replace" else f"<del>{left}</del>"
                out.append(f'<tr class="diff-delete"><td class="ln">{o}</td><td class="ln"></td>'
                           f'<td class="sign">−</td><td class="code">{body}</td></tr>')
            if kind in ("insert", "replace"):
                body = right if kind == "replace" else f"<ins>{right}</ins>"
                out.append(f'<tr class="diff-insert"><td class="ln"></td><td class="ln">{n}</td>'
                           f'<td class="sign">+</td><td class="code">{body}</td></tr>')
    return "\n".join(out)


def _side(rows) -> str:
    out = []
    for kind, o, n, left, right in rows:
        if kind == "skip":
            out.append('<tr class="diff-skip"><td class="ln"></td><td class="code">…</td>'
                       '<td class="ln"></td><td class="code">…</td></tr>')
            continue
        left_class = {"equal": "diff-equal", "insert": "diff-empty"}.get(kind, "diff-delete")
        right_class = {"equal": "diff-equal", "delete": "diff-empty"}.get(kind, "diff-insert")
        if kind == "delete":
            left = f"<del>{left}</del>"
        if kind == "insert":
            right = f"<ins>{right}</ins>"
        out.append(f'<tr class="diff-{kind}"><td class="ln">{_num(o)}</td><td class="code {left_class}">{left}</td>'
                   f'<td class="ln">{_num(n)}</td><td class="code {right_class}">{right}</td></tr>')
    return "\n".join(out)


def render_diff(old: str, new: str, *, mode: str = "inline") -> dict:
    """The diff of two texts for readers: {"rows": safe HTML table rows, "added": lines added,
    "removed": lines removed, "words": whether changed words are highlighted, "truncated": whether
rows past MAX_ROWS were left out}. `mode` is "inline"
    (one column, old line above new) or "side" (old on the left, new on the right)."""
    old_lines = (old or "").splitlines()
    new_lines = (new or "").splitlines()
    codes = line_opcodes(old_lines, new_lines)
    added = removed = changed_chars = 0
    for tag, i1, i2, j1, j2 in codes:
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
            if tag == "replace":
                changed_chars += sum(map(len, old_lines[i1:i2])) + sum(map(len, new_lines[j1:j2]))
    words = added + removed <= WORD_DIFF_MAX_LINES and changed_chars <= WORD_DIFF_MAX_CHARS
    rows = list(itertools.islice(_rows(old_lines, new_lines, grouped(codes), words=words), MAX_ROWS + 1))
    truncated = len(rows) > MAX_ROWS
    html = _side(rows[:MAX_ROWS]) if mode == "side" else _inline(rows[:MAX_ROWS])
    return {"rows": html, "added": added, "removed": removed, "words": words, "truncated": truncated}
