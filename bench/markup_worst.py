"""Worst-case Markdown (issue 11): how long `community.markup.render` takes on hostile shapes.

    .venv/bin/python bench/markup_worst.py [--size 65536] [--repeat 3] [--only NAME,...] [--fuzz 20]
                                           [--stages] [--plain] [--json FILE]

Every shape is a body of exactly `--size` bytes of UTF-8 (default 64 KB, the size limit of a post,
community.writing.BODY_MAX_BYTES): the cases that are known to hurt CommonMark parsers (brackets,
emphasis runs, nesting, backticks, unclosed HTML and link destinations, wide tables, reference
definitions — the "pathological" list of cmark and markdown-it, grown to 64 KB), Tribune's own work
(mentions), two ordinary long posts for comparison, and `--fuzz` random bodies over a hostile
alphabet. For each shape it prints the median of `--repeat` renders, the time at a quarter of the
size (times 4: equal for linear work, larger when the work grows faster than the input), the size
of the HTML, and with `--stages` where the time goes (markdown-it parse, HTML renderer, nh3).
`--plain` times `render_plain` too (the watched words read the text that way).

Imported by tests/community/test_markup_bounds.py (SHAPES, body): the tests feed the worst of them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = 64 * 1024


def fill(unit: str, size: int) -> str:
    """`unit` repeated to exactly `size` bytes of UTF-8 (cut at a character boundary)."""
    per = max(1, len(unit.encode()))
    text = unit * (size // per + 1)
    return text.encode()[:size].decode("utf-8", "ignore")


def grow(make, size: int) -> str:
    """make(i) for i = 0, 1, 2 … joined, cut at `size` bytes."""
    parts, total, i = [], 0, 0
    while total < size:
        part = make(i)
        parts.append(part)
        total += len(part.encode())
        i += 1
    return "".join(parts).encode()[:size].decode("utf-8", "ignore")


def _table(cols: int, row: str, size: int) -> str:
    head = "|" + "a|" * cols + "\n|" + "-|" * cols + "\n"
    return head + fill(row, size - len(head))


def _prose(seed: int, size: int, *, rich: bool) -> str:
    """An ordinary long post: paragraphs with some emphasis, links, code, lists, quotes, tables."""
    rng = random.Random(seed)
    words = ("the of forum reply topic garden tomato water seed summer plant soil light week answer "
             "question thanks again photo there about which would could").split()

    def sentence():
        out = []
        for _ in range(rng.randint(8, 20)):
            word, r = rng.choice(words), rng.random()
            if rich and r < 0.05:
                word = f"**{word}**"
            elif rich and r < 0.08:
                word = f"*{word}*"
            elif rich and r < 0.10:
                word = f"[{word}](https://example.com/{word})"
            elif rich and r < 0.11:
                word = f"`{word}()`"
            elif rich and r < 0.115:
                word = f"@{word}"
            out.append(word)
        return " ".join(out).capitalize() + "."

    def block(_i):
        r = rng.random()
        if not rich or r < 0.6:
            return " ".join(sentence() for _ in range(rng.randint(2, 6))) + "\n\n"
        if r < 0.7:
            return "\n".join(f"- {sentence()}" for _ in range(5)) + "\n\n"
        if r < 0.8:
            return "```python\n" + "\n".join(f"x = f({i}) * [a, b] < c & d" for i in range(10)) + "\n```\n\n"
        if r < 0.9:
            return "> " + sentence() + "\n> " + sentence() + "\n\n"
        return ("| name | qty | note |\n|---|:-:|--:|\n"
                + "\n".join(f"| {rng.choice(words)} | {i} | **{i * 2}** |" for i in range(8)) + "\n\n")

    return grow(block, size)


def _fuzz(seed: int, size: int) -> str:
    rng = random.Random(seed)
    alphabet = (list("<>&\"'[]()!*_`@#\n:/;=~|-\\ \t.0123456789") + list("abcxyz") * 3
                + ["](", "![", "**", "__", "~~", "```", "    ", "> ", "- ", "1. ", "|---|", "@bob ", "&#",
                   "&amp;", "<http://", "http://e.com", "<!--", "\n\n", "[x]: http://e.com\n", "javascript:"])
    return grow(lambda _i: rng.choice(alphabet), size)


#: name -> body(size). Grouped: brackets, emphasis, blocks, code and HTML, links, mentions, others.
SHAPES = {
    # brackets: link and image openers/closers (markdown-it's link label scan)
    "![ repeated": lambda n: fill("![", n),
    "[ repeated": lambda n: fill("[", n),
    "] repeated": lambda n: fill("]", n),
    "[a] undefined refs": lambda n: fill("[a]", n),
    "[] pairs": lambda n: fill("[]", n),
    "[]( repeated": lambda n: fill("[](", n),
    "[a]( repeated": lambda n: fill("[a](", n),
    "![[ repeated": lambda n: fill("![[", n),
    "[![ repeated": lambda n: fill("[![", n),
    "[( repeated": lambda n: fill("[(", n),
    "]( repeated": lambda n: fill("](", n),
    "[x](< unclosed": lambda n: fill("[x](<", n),
    "[x]( unclosed": lambda n: fill("[x](", n),
    '[x](y " unclosed title': lambda n: fill('[x](y "', n),
    "nested [[[x]]] groups": lambda n: fill("[" * 30 + "x" + "]" * 30 + "(http://e.com) ", n),
    "[ (]( openers": lambda n: fill("[ (](", n),
    "[ a_ link openers, emph closers": lambda n: fill("[ a_", n),
    "a] link closers": lambda n: fill("a]", n),
    "**x [a*b**c*](d) hard": lambda n: fill("**x [a*b**c*](d) ", n),
    "emphasis inside links": lambda n: fill("[*a* **b** _c_](http://e.com/x) ", n),
    # emphasis and strikethrough delimiter runs
    "* repeated": lambda n: fill("*", n),
    "*a repeated": lambda n: fill("*a", n),
    "_a repeated": lambda n: fill("_a", n),
    "*_ alternation": lambda n: fill("*_", n),
    "a* closers": lambda n: fill("a*", n),
    "**a repeated": lambda n: fill("**a", n),
    "*a**b***… growing runs": lambda n: grow(lambda i: "*" * (i % 40 + 1) + "a", n),
    "*a **a nested strong/em": lambda n: fill("*a **a ", n // 2) + fill(" a** a*", n - n // 2),
    "a**b c* multiple of 3": lambda n: fill("a**b c* ", n),
    "_* mismatched": lambda n: fill("*a_ ", n),
    "~~a strikethrough": lambda n: fill("~~a", n),
    "~ repeated": lambda n: fill("~", n),
    # blocks: nesting, lists, headings, tables
    "> one line": lambda n: fill(">", n),
    "> growing depth lines": lambda n: grow(lambda i: ">" * i + " x\n", n),
    "> > > spaced": lambda n: fill("> ", n),
    "- one line": lambda n: fill("- ", n),
    "- nested indents": lambda n: grow(lambda i: "  " * i + "- x\n", n),
    "1. nested": lambda n: grow(lambda i: "   " * i + "1. x\n", n),
    "1. one line": lambda n: fill("1. ", n),
    "- > mixed nesting": lambda n: fill("- > ", n),
    "- item lines": lambda n: fill("- x\n", n),
    "# heading lines": lambda n: fill("# x\n", n),
    "setext lines": lambda n: fill("a\n=\n", n),
    "indented code lines": lambda n: fill("    x\n", n),
    "``` fence lines": lambda n: fill("```\n", n),
    "*** rule lines": lambda n: fill("***\n", n),
    "| lines": lambda n: fill("|\n", n),
    "table 2 cols, many rows": lambda n: _table(2, "|x|y|\n", n),
    "table 1000 cols, empty rows": lambda n: _table(1000, "|\n", n),
    "table 100 cols, short rows": lambda n: _table(100, "x\n", n),
    "table 16k cols": lambda n: fill("|a", n // 2 - 1) + "\n" + fill("|-", n - n // 2),
    "blank lines": lambda n: "x" + fill("\n", n - 2) + "x",
    # code spans, HTML (escaped, html is off), entities, escapes
    "` repeated": lambda n: fill("`", n),
    "`a repeated": lambda n: fill("`a", n),
    "growing backtick runs": lambda n: grow(lambda i: "e" + "`" * (i % 60 + 1), n),
    "< repeated": lambda n: fill("<", n),
    "<a repeated": lambda n: fill("<a", n),
    "<!-- unclosed": lambda n: fill("<!--", n),
    "<? and <![CDATA[": lambda n: fill("<?<![CDATA[", n),
    "<script> tags": lambda n: fill("<script>alert(1)</script>", n),
    "<http:// autolinks": lambda n: fill("<http://e.com> ", n),
    "&# repeated": lambda n: fill("&#", n),
    "&amp; entities": lambda n: fill("&amp;", n),
    "&#123; numeric entities": lambda n: fill("&#123;", n),
    "\\ escapes": lambda n: fill("\\*", n),
    # links, images and reference definitions
    "links": lambda n: fill("[x](http://e.com) ", n),
    "images": lambda n: fill("![x](http://e.com/a.png) ", n),
    "javascript: links": lambda n: fill("[x](javascript:alert(1)) ", n),
    "ref definitions": lambda n: fill("[a]: http://e.com\n", n),
    "unique ref definitions": lambda n: grow(lambda i: f"[r{i}]: http://e.com/{i}\n", n),
    "ref definitions then uses": lambda n: grow(lambda i: f"[r{i}]: http://e.com/{i}\n", n // 3)
    + fill("[r1] [r2][] ", n - n // 3),
    "long labels": lambda n: fill("[" + "a" * 900 + "] ", n),
    "one long link text": lambda n: "[" + fill("a *b* ", n - 16) + "](http://e.com)",
    "one long image alt": lambda n: "![" + fill("a *b* ", n - 17) + "](http://e.com)",
    "one long autolink": lambda n: "<http://e.com/" + fill("é", n - 15) + ">",
    "mailto autolinks": lambda n: fill("<a@b.co> ", n),
    # mentions (Tribune's own token pass)
    "@a mentions": lambda n: fill("@a ", n),
    "unique mentions": lambda n: grow(lambda i: f"@u{i} ", n),
    "@ long name": lambda n: "@" + "a" * (n - 1),
    "a@b addresses": lambda n: fill("a@b ", n),
    "@@ repeated": lambda n: fill("@", n),
    # others
    "no spaces": lambda n: "a" * n,
    "one long heading": lambda n: "# " + fill("a *b* ", n - 2),
    "2-byte characters": lambda n: fill("é", n),
    "\\r\\n lines": lambda n: fill("x\r\n", n),
    "tab list nesting": lambda n: grow(lambda i: "\t" * (i % 50) + "- x\n", n),
    "quoted quote (a reply quoting 64 KB)": lambda n: "\n".join("> " + line for line in
                                                              fill("> **@a** wrote:\n> [x](", n).splitlines())[:n],
    "mixed worst": lambda n: fill("![[*_`<&@a ", n),
    # ordinary long posts, for comparison
    "prose (plain)": lambda n: _prose(1, n, rich=False),
    "prose (rich Markdown)": lambda n: _prose(2, n, rich=True),
}


def body(name: str, size: int = SIZE) -> str:
    text = SHAPES[name](size) if name in SHAPES else _fuzz(int(name.rpartition(" ")[2]), size)
    assert len(text.encode()) <= size, (name, len(text.encode()))
    return text


CLOCK = time.perf_counter


def timed(fn, *args, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = CLOCK()
        result = fn(*args)
        times.append(CLOCK() - start)
    return statistics.median(times), result


def stages(text: str) -> dict:
    """Seconds of one render's parse (markdown-it), HTML renderer and nh3, through the module's own
    objects, and the steps of the work budget it spent (community/markup_limits.py)."""
    from community import markup

    source = markup._prepare(text)
    start = time.perf_counter()
    env: dict = {}
    tokens = markup._md.parse(source, env)
    parsed = time.perf_counter()
    raw = markup._md.renderer.render(tokens, markup._md.options, env)
    rendered = time.perf_counter()
    markup._cleaner.clean(raw)
    found = {"parse": parsed - start, "renderer": rendered - parsed, "nh3": time.perf_counter() - rendered,
             "tokens": len(tokens) + sum(len(t.children or ()) for t in tokens)}
    try:
        from community import markup_limits as limits
    except ImportError:  # the code before the bounds
        return found
    spent = env.get("tribune_budget") or limits.Budget()
    found.update(steps=limits.STEPS - spent.left, cut=spent.cut)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated shape names (substrings)")
    parser.add_argument("--fuzz", type=int, default=20, help="random bodies (seeds 1..N)")
    parser.add_argument("--stages", action="store_true", help="split the time: parse, renderer, nh3")
    parser.add_argument("--plain", action="store_true", help="time render_plain too")
    parser.add_argument("--cpu", action="store_true",
                        help="time the CPU of this process, not the wall clock (on a busy machine)")
    parser.add_argument("--json", default="", help="write the figures to this file")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter

    from community import markup

    cached = getattr(markup, "_render_source", None)  # render() keeps its last results: time real work

    def uncached(fn):
        def call(text):
            if cached is not None:
                cached.cache_clear()
            return fn(text)
        return call

    render, render_plain = uncached(markup.render), uncached(markup.render_plain)
    names = list(SHAPES) + [f"fuzz {seed}" for seed in range(1, args.fuzz + 1)]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        names = [name for name in names if any(w in name for w in wanted)]
    markup.render(body("prose (rich Markdown)", 4096))  # warm up
    rows = []
    header = f"{'shape':40} {'bytes':>6} {'render':>8} {'¼ size×4':>9} {'html':>8}"
    header += "   parse  render     nh3  tokens   steps cut" if args.stages else ""
    header += "   plain" if args.plain else ""
    print(header, flush=True)
    for name in names:
        text = body(name, args.size)
        seconds, result = timed(render, text, repeat=args.repeat)
        quarter, _ = timed(render, body(name, args.size // 4), repeat=args.repeat)
        row = {"shape": name, "bytes": len(text.encode()), "seconds": seconds, "quarter_x4": quarter * 4,
               "html_bytes": len(result.html.encode())}
        line = f"{name:40} {row['bytes']:6} {seconds:8.3f} {quarter * 4:9.3f} {row['html_bytes']:8}"
        if args.stages:
            row["stages"] = st = stages(text)
            line += f" {st['parse']:7.3f} {st['renderer']:7.3f} {st['nh3']:7.3f} {st['tokens']:7}"
            if "cut" in st:
                line += f" {st['steps']:7} {'cut' if st['cut'] else ''}"
        if args.plain:
            row["plain"], _ = timed(render_plain, text, repeat=args.repeat)
            line += f" {row['plain']:7.3f}"
        print(line, flush=True)
        rows.append(row)
    worst = max(rows, key=lambda r: r["seconds"])
    total = sum(r["seconds"] for r in rows)
    clock = "CPU time" if args.cpu else "wall clock"
    print(f"\n{len(rows)} shapes of {args.size} bytes; worst: {worst['shape']!r} {worst['seconds']:.3f} s; "
          f"sum {total:.2f} s; median of {args.repeat} renders each ({clock}); load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
