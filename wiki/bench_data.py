"""The standard wiki benchmark dataset (../shared/bench/WIKI_DATASET.md), engine-independent and exact.

Pure Python (no Django): `manage.py seed_wiki_bench` seeds Tribune with it and
bench/peers_wiki/seed_djangowiki.py seeds django-wiki 0.13 with the same text. `digest()` must equal
`EXPECTED_DIGEST`; the seed command refuses to run otherwise.

611 pages (root, 10 sections x 10 pages x 5 sub-pages) in pre-order, 1,611 revisions: one ~3 KB
revision per page, except the history page (1,000 revisions of ~5 KB, each changing one paragraph)
and the big page (2 revisions of ~100 KB differing in 76 lines).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

EXPECTED_DIGEST = "0ad5f2f4be2e3c7e38c03befa5f2079c442203eac65064621ace9235e7c78172"
BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
USERS = 1000
PASSWORD = "benchpass"
WORDS = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt "
    "ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco "
    "laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate "
    "velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident "
    "sunt culpa qui officia deserunt mollit anim id est laborum"
).split()
assert len(WORDS) == 62

SECTIONS, PAGES_PER_SECTION, SUBS_PER_PAGE = 10, 10, 5
HISTORY_PAGE = "section-0/page-0-0/"   # i = 2
HISTORY_INDEX = 2
HISTORY_REVISIONS = 1000
BIG_PAGE = "section-0/page-0-1/"       # i = 8
BIG_INDEX = 8
MUTABLE = (0, 1, 2, 3, 5, 6, 7, 8, 9, 10)
MEASURED_PAGE = "section-5/page-5-5/sub-5-5-2/"
_MASK = (1 << 64) - 1


class Rng:
    def __init__(self, seed: int):
        self.x = seed & _MASK

    def next(self, n: int) -> int:
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & _MASK
        return (self.x >> 33) % n


def word(rng: Rng) -> str:
    return WORDS[rng.next(62)]


def words(rng: Rng, k: int) -> str:
    return " ".join(word(rng) for _ in range(k))


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def sentence(rng: Rng) -> str:
    k = 8 + rng.next(7)
    return cap(words(rng, k)) + "."


def paragraph(rng: Rng, m: int) -> str:
    s = sentence(rng)
    while len(s) < m:
        s = s + " " + sentence(rng)
    return s


def heading(rng: Rng) -> str:
    return "## " + cap(words(rng, 3))


def bullets(rng: Rng) -> str:
    lines = []
    for _ in range(5):
        k = 4 + rng.next(4)
        lines.append("- " + words(rng, k))
    return "\n".join(lines)


# --- The page tree ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageDef:
    i: int
    path: str
    slug: str
    title: str
    parent: int | None


def _build_pages() -> tuple[PageDef, ...]:
    pages = [PageDef(0, "", "", "Home", None)]
    for s in range(SECTIONS):
        section = len(pages)
        pages.append(PageDef(section, f"section-{s}/", f"section-{s}", f"Section {s}", 0))
        for p in range(PAGES_PER_SECTION):
            page = len(pages)
            base = f"section-{s}/page-{s}-{p}/"
            pages.append(PageDef(page, base, f"page-{s}-{p}", f"Page {s}.{p}", section))
            for q in range(SUBS_PER_PAGE):
                pages.append(PageDef(len(pages), f"{base}sub-{s}-{p}-{q}/", f"sub-{s}-{p}-{q}",
                                     f"Sub-page {s}.{p}.{q}", page))
    return tuple(pages)


PAGES = _build_pages()
assert len(PAGES) == 611 and PAGES[HISTORY_INDEX].path == HISTORY_PAGE and PAGES[BIG_INDEX].path == BIG_PAGE


def link_targets(i: int) -> list[int]:
    out = []
    for k in range(3):
        t = (37 * i + 101 * k + 1) % len(PAGES)
        if t == i:
            t = (t + 1) % len(PAGES)
        out.append(t)
    return out


def links_sentence(i: int) -> str:
    t0, t1, t2 = (PAGES[t] for t in link_targets(i))
    return f"See [{t0.title}](/{t0.path}), [{t1.title}](/{t1.path}) and [{t2.title}](/{t2.path})."


# --- Bodies ----------------------------------------------------------------------------------------

def body_blocks(i: int, n: int, seed: int) -> list[str]:
    r = Rng(seed)
    blocks = [paragraph(r, 390), heading(r), paragraph(r, 390), paragraph(r, 390), heading(r),
              paragraph(r, 390), bullets(r), heading(r)]
    blocks.append(paragraph(r, 390) + " " + links_sentence(i))
    blocks.append(paragraph(r, 390))
    blocks.extend(paragraph(r, 390) for _ in range(n - 6))
    return blocks


def body(i: int, n: int, seed: int) -> str:
    return "\n\n".join(body_blocks(i, n, seed)) + "\n"


# Paragraph number -> index among the blocks of body_blocks (headings and bullets sit in between).
def _paragraph_block(k: int) -> int:
    return (0, 2, 3, 5, 8)[k] if k < 5 else k + 4


def history_bodies() -> Iterator[str]:
    """The history page's revisions 1..1000, in order."""
    blocks = body_blocks(HISTORY_INDEX, 11, 10000 + HISTORY_INDEX)
    yield "\n\n".join(blocks) + "\n"
    for n in range(2, HISTORY_REVISIONS + 1):
        blocks[_paragraph_block(MUTABLE[(7 * n) % 10])] = paragraph(Rng(200000 + n), 390)
        yield "\n\n".join(blocks) + "\n"


def wrap(text: str, width: int = 78) -> list[str]:
    lines, line = [], ""
    for w in text.split(" "):
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    if line:
        lines.append(line)
    return lines


def big_lines() -> list[str]:
    r = Rng(300000)
    lines = [links_sentence(BIG_INDEX), ""]
    for k in range(43):
        lines += [f"## Part {k}: " + words(r, 3), ""]
        for _ in range(4):
            lines += wrap(paragraph(r, 480))
            lines.append("")
        lines += bullets(r).split("\n")
        lines.append("")
    return lines


def big_bodies() -> tuple[str, str]:
    lines = big_lines()
    first = "\n".join(lines) + "\n"
    changed, nonblank = list(lines), 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if nonblank % 20 == 10:
            ws = line.split()
            r = Rng(400000 + index)
            ws[-1] = word(r) + "x"
            if len(ws) >= 4:
                ws[2] = word(r) + "y"
            changed[index] = " ".join(ws)
        nonblank += 1
    return first, "\n".join(changed) + "\n"


def edit_body(base: str, k: int) -> str:
    """The write benchmark's k-th edit: `base` with its first paragraph replaced."""
    _first, sep, rest = base.partition("\n\n")
    return paragraph(Rng(500000 + k), 390) + sep + rest


# --- Revisions -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RevisionDef:
    page: int
    number: int
    title: str
    author: int  # user number: user{author:04d}
    created: datetime
    summary: str
    body: str


def revisions() -> Iterator[RevisionDef]:
    """Every revision: pages in order, revision numbers ascending."""
    for page in PAGES:
        if page.i == HISTORY_INDEX:
            for n, text in enumerate(history_bodies(), start=1):
                yield RevisionDef(page.i, n, page.title, (n - 1) % USERS, BASE_TIME + timedelta(minutes=n - 1),
                                  f"Edit {n}", text)
        elif page.i == BIG_INDEX:
            for n, text in enumerate(big_bodies(), start=1):
                yield RevisionDef(page.i, n, page.title, (37 * BIG_INDEX + n - 1) % USERS,
                                  BASE_TIME + timedelta(minutes=n - 1), f"Edit {n}", text)
        else:
            yield RevisionDef(page.i, 1, page.title, (37 * page.i) % USERS, BASE_TIME, "Edit 1",
                              body(page.i, 6, 10000 + page.i))


def digest() -> str:
    h = hashlib.sha256()
    for p in PAGES:
        h.update(f"{p.i}|{p.path}|{p.slug}|{p.title}|{p.parent}\n".encode())
    for r in revisions():
        h.update(f"{r.page}|{r.number}|{r.title}|{r.author}|{r.created.isoformat()}|{r.summary}\n".encode())
        h.update(r.body.encode())
    return h.hexdigest()


def measured_urls(prefix: str = "/wiki/") -> dict[str, str]:
    """The five measured pages (names of the results) under the wiki's URL prefix."""
    return {
        "page": f"{prefix}{MEASURED_PAGE}",
        "hist_page": f"{prefix}{HISTORY_PAGE}",
        "history": f"{prefix}{HISTORY_PAGE}_history/",
        "diff": f"{prefix}{HISTORY_PAGE}_diff/?from={HISTORY_REVISIONS - 1}&to={HISTORY_REVISIONS}",
        "bigdiff": f"{prefix}{BIG_PAGE}_diff/?from=1&to=2",
    }


if __name__ == "__main__":
    print(digest())
