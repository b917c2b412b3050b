"""Bounds on the work of one render (issue 11): any text up to the size limit renders quickly.

markdown-it-py stays linear on every shape we found, but its constant is large: before these
bounds, 64 KB of ``![`` repeated took 1 s to render, a wide table padded with empty rows 1.5 s
(3.4 s on a busy machine), 16,000 list items 0.6 s, 20,000 distinct mentions 0.7 s (our own
mention pass was quadratic: fixed in community.markup). bench/markup_worst.py measures about a
hundred hostile shapes of 64 KB. So one render gets a **work budget** of :data:`STEPS` steps, spent
by the parser as it goes, and whatever lies past it is shown as plain, escaped text: nothing is
refused, nothing typed is lost (the source is stored as written and the page shows all of it).

- **Blocks**: a rule placed first in markdown-it's block chain, and in the chains that decide
  where a paragraph, list, quote or reference ends, spends :data:`BLOCK_START` at each block and
  :data:`BLOCK_LINE` at each line checked for an end. Once only :data:`INLINE_RESERVE` is left, it
  ends the block being read and shows the rest of its container as one plain paragraph. It does
  the same from :data:`MAX_DEPTH` levels of quotes and lists on, where markdown-it would drop the
  rest of the document.
- **Tables**: each cell costs :data:`TABLE_CELL`; a table ends after the rows the budget pays for
  (the rows left are read as a paragraph), and one too wide for it is no table.
- **Inline**: a rule placed before markdown-it's ``text`` rule spends a step at every place the
  inline rules are tried (more where a link may start: ``[``, ``!``, ``<``) and one per token
  they made; an emphasis run (one token per ``*``) must fit in what is left. Past the
  budget, the rest of each inline run is literal text.
- **Mentions**: at most :data:`MENTION_LINKS` ``@name`` become links (community.markup).

Measured (bench/README.md, 2 vCPU): the slowest of 110 shapes of 64 KB now renders in 0.16 s
(64 KB of ``<http://e.com>``; render_plain 0.21 s at worst), against 1.5 s before; a 64 KB post in
ordinary rich Markdown spends 43 % of the budget and renders exactly as before.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import table as table_rule
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

__all__ = ["MAX_DEPTH", "MENTION_LINKS", "STEPS", "Budget", "budget", "install"]

#: The work budget of one render, in steps of roughly equal cost (2 to 6 µs of CPU here): the
#: block rules spend BLOCK_START at a line where a block starts, BLOCK_LINE at a line checked for
#: the end of a block (a paragraph's next line, say), TABLE_CELL per table cell; the inline rules
#: spend INLINE_STEP at each place where they are tried, INLINE_LINK more where a link may start
#: (``[``, ``![``, ``<``: label scans, URL checks) and INLINE_TOKEN per token they make (an
#: emphasis run makes one per character).
#: The block rules run first and may spend all but INLINE_RESERVE.
STEPS = 32_000
INLINE_RESERVE = 11_000
BLOCK_START = 6
BLOCK_LINE = 1
TABLE_CELL = 3
INLINE_STEP = 1
INLINE_LINK = 2
INLINE_TOKEN = 1
#: Nesting of block containers (a quote counts one, a list two: the list and the item) from which
#: the rest of a container is one plain paragraph. markdown-it drops everything from its own limit
#: on (maxNesting, 20: a list opened at 18 goes there); this keeps it, as text.
MAX_DEPTH = 18
#: ``@name`` mentions turned into links in one text (the rest stay text).
MENTION_LINKS = 100

_KEY = "tribune_budget"
_ENDS = ["paragraph", "reference", "blockquote", "list"]  # the chains that end a block early
_RUN = re.compile(r"\*+|_+|~+")


class Budget:
    """What is left of one render's budget (kept in markdown-it's env)."""

    __slots__ = ("left", "mentions", "cut", "charged")

    def __init__(self) -> None:
        self.left = STEPS
        self.mentions = MENTION_LINKS
        self.cut = False  # did a bound change the rendering?
        self.charged: dict[int, int] = {}  # id of an inline token list -> its tokens already paid for


def budget(env: dict) -> Budget:
    found = env.get(_KEY)
    if found is None:
        found = env[_KEY] = Budget()
    return found


def _container_end(state: StateBlock, start: int, end: int) -> int:
    """The line after the last one of the current container (a quote, a list item, the document)
    from `start`: lines indented less than the container are not its own (but a quote's lazy
    continuation lines, marked -1, are); blank lines at its end are left to the caller."""
    line, last = start, start
    while line < end:
        if not state.isEmpty(line):
            if 0 <= state.sCount[line] < state.blkIndent:
                break
            last = line + 1
        line += 1
    return max(last, start + 1)


def _plain_paragraph(state: StateBlock, start: int, end: int) -> None:
    """Lines start..end of the container as one paragraph, read as plain text (not parsed)."""
    content = state.getLines(start, end, state.blkIndent, False).strip()
    state.line = end
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, end]
    # Nothing for the inline rules to parse: the text is already the only child.
    token = state.push("inline", "", 0)
    token.map = [start, end]
    token.children = [Token("text", "", 0, content=content)]
    state.push("paragraph_close", "p", -1)


def _block_guard(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    spent = budget(state.env)
    spent.left -= BLOCK_LINE if silent else BLOCK_START
    if spent.left >= INLINE_RESERVE and state.level < MAX_DEPTH:
        return False
    spent.cut = True
    if silent:  # asked whether the line ends a block: yes, so that the next call takes it
        return True
    _plain_paragraph(state, start, _container_end(state, start, end))
    return True


def _columns(state: StateBlock, line: int) -> int:
    """Cells of a table whose delimiter row is `line` (an upper bound: every pipe counts)."""
    return state.src.count("|", state.bMarks[line] + state.tShift[line], state.eMarks[line]) + 1


def _bounded_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if silent or start + 2 > end:
        return table_rule(state, start, end, silent)
    spent = budget(state.env)
    per_row = _columns(state, start + 1) * TABLE_CELL
    rows = (spent.left - INLINE_RESERVE) // max(1, per_row)  # the header and body rows it pays for
    if rows < 1:
        spent.cut = True
        return False
    limit = min(end, start + 1 + rows)  # header, delimiter, rows - 1 body rows
    if not table_rule(state, start, limit, silent):
        return False
    if state.line >= limit < end:
        spent.cut = True
    spent.left -= (state.line - start - 1) * per_row
    return True


def _inline_guard(state: StateInline, silent: bool) -> bool:
    spent = budget(state.env)
    tokens = state.tokens
    made = len(tokens) - spent.charged.get(id(tokens), 0)
    if made > 0:
        spent.charged[id(tokens)] = len(tokens)
    char = state.src[state.pos]
    spent.left -= INLINE_STEP + made * INLINE_TOKEN + (INLINE_LINK if char in "[!<" else 0)
    if spent.left >= 0:
        if char not in "*_~":
            return False
        # An emphasis run makes a token per character at once: it must fit in what is left.
        run = _RUN.match(state.src, state.pos, state.posMax)
        if (run.end() - run.start()) * INLINE_TOKEN <= spent.left:
            return False
    spent.cut = True
    if not silent:
        state.append_pending(state.src[state.pos : state.posMax])
    state.pos = state.posMax
    return True


def install(md: MarkdownIt) -> MarkdownIt:
    """Put the guards into `md` (a commonmark parser with tables enabled)."""
    md.block.ruler.before("table", "tribune_budget", _block_guard, {"alt": _ENDS})
    md.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
    md.inline.ruler.before("text", "tribune_budget", _inline_guard)
    return md
