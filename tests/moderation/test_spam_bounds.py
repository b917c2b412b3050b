"""Every post goes through the spam checks' regular expressions: a hostile one must not stall a worker.
On 100 KB built to make a pattern backtrack (runs that every start would scan again to their end,
lone quotation marks, digits and separators, look-alike letters), reveal, split_quoted,
find_links(bare=True) and cues.read each take well under half a second, and features.of_text (all of
them, then the classifier's tokens) under one.

Times are CPU seconds of this process: other processes on a busy machine do not count, and a pattern
that backtracks costs seconds to minutes (before they were bounded, "a-a-a-…" kept _WRITTEN_DOT and
_DOT_WORD busy for more than ten minutes, "a0a0…_" _LEET_WORD, "„a „a …" took _QUOTATION 2 s and one
long word of mixed scripts 1.5 s; now each takes at most about 0.1 s on a 2-vCPU machine). A call is stopped
at its limit (and tried once more), so that a regression fails within a second or two instead of
hanging the suite."""

from __future__ import annotations

import random
import signal
import time

import pytest

from moderation.spam import cues, features, obfuscation
from moderation.spam.text import find_links, split_quoted

SIZE = 100_000  # characters
LIMIT = 0.5  # CPU seconds for one call of one part on SIZE characters
WHOLE_LIMIT = 1.0  # for features.of_text, which runs them all and more


def fill(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def mixed_words() -> str:
    """Words of Latin and Cyrillic look-alike letters, all different (no cache helps)."""
    rng = random.Random(15)
    letters = "aeopcxyаеорсху"
    return fill(" ".join("".join(rng.choice(letters) for _ in range(7)) for _ in range(SIZE // 8)))


def jumble() -> str:
    """Every character the patterns care about, at random."""
    rng = random.Random(15)
    return "".join(rng.choice("a0134$@._-*/|·  \n“”«»„\"`>()[]€%+dotcmаос\u200b") for _ in range(SIZE))


HOSTILE = {
    "a.a.a.": fill("a."),
    "a a a ": fill("a "),
    "a-a-a-": fill("a-"),
    "a--a--": fill("a--"),
    "a0a0…_": fill("a0")[:-1] + "_",
    "m0ney$é": fill("m0ney$")[:-1] + "é",
    "000…": fill("0"),
    "0 0 0 ": fill("0 "),
    "0612-0612-": fill("0612-"),
    "06 12 34 56 ": fill("06 12 34 56 "),
    "+33 +33 ": fill("+33 "),
    "1 % 1 % ": fill("1 % "),
    "€1 €1 ": fill("€1 "),
    "@@@@": fill("@"),
    "@a @a ": fill("@a "),
    "a@a.a@a.": fill("a@a."),
    "x" * 3: "x" * SIZE,
    "www.www.": fill("www."),
    "x.comx.com": fill("x.com"),
    "> lines": fill("> someone else's words\n"),
    "“a “a ": fill("“a "),
    "„a „a ": fill("„a "),
    "« a « a ": fill("« a "),
    '"a "a ': fill('"a '),
    "`a `a ": fill("`a "),
    "``` lines": fill("```\n"),
    "dot dot ": fill("dot "),
    "xyz dot xyz dot ": fill("xyz dot "),
    "mixed words": mixed_words(),
    "one mixed word": fill("aа"),
    "é" * 3: "é" * SIZE,
    "a\u200b": fill("a\u200b"),
    "jumble": jumble(),
}

# No pattern is expected to be slow. (cues.py's e-mail alternative used to start inside any long run
# of letters, digits, dots or hyphens, and _AMOUNT inside any run of digits and spaces: both quadratic,
# both now start only where such a run starts, or are bounded.)
SLOW_IN_CUES: dict = {}
SLOW_ONCE_REVEALED: dict = {}

PARTS = {
    "reveal": obfuscation.reveal,
    "split_quoted": split_quoted,
    "find_links": lambda text: find_links(text, bare=True),
    "cues.read": cues.read,
}


class TooSlow(Exception):
    pass


def cpu_seconds(fn, text: str, limit: float) -> float:
    """CPU seconds of fn(text); stopped (TooSlow) at the limit."""

    def stop(_signum, _frame):
        raise TooSlow(f"stopped after {limit} CPU seconds")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, limit)
    start = time.process_time()
    try:
        fn(text)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    return time.process_time() - start


def assert_quick(fn, name: str, limit: float, *, expected_slow: bool = False) -> None:
    try:
        cpu_seconds(fn, HOSTILE[name], limit)
    except TooSlow:
        if expected_slow:
            raise
        # Once more: a machine busy enough slows even CPU time down (a backtracking pattern fails again).
        cpu_seconds(fn, HOSTILE[name], limit)


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Compile the patterns and build the Unicode tables once (each test times one call)."""
    features.of_text("Déjà vu, саsinо c\u200bash “a” « b » > c, m0ney, x dot com, a@b.fr, 50 €")


def slow(part: str) -> dict:
    if part == "cues.read":
        return SLOW_IN_CUES
    if part == "features.of_text":
        return {**SLOW_IN_CUES, **SLOW_ONCE_REVEALED}
    return {}


def cases(part: str) -> list:
    params = []
    for name in HOSTILE:
        marks = ()
        if name in slow(part):
            pattern, why = slow(part)[name]
            marks = pytest.mark.xfail(strict=True, raises=TooSlow, reason=f"cues.PATTERNS[{pattern!r}]: {why}")
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def test_the_hostile_inputs_are_100_kb():
    assert all(len(text) == SIZE for text in HOSTILE.values())


@pytest.mark.parametrize("name", cases("reveal"))
def test_reveal_is_quick_on_hostile_text(name):
    assert_quick(PARTS["reveal"], name, LIMIT)


@pytest.mark.parametrize("name", cases("split_quoted"))
def test_split_quoted_is_quick_on_hostile_text(name):
    assert_quick(PARTS["split_quoted"], name, LIMIT)


@pytest.mark.parametrize("name", cases("find_links"))
def test_find_links_is_quick_on_hostile_text(name):
    assert_quick(PARTS["find_links"], name, LIMIT)


@pytest.mark.parametrize("name", cases("cues.read"))
def test_reading_the_cues_is_quick_on_hostile_text(name):
    assert_quick(PARTS["cues.read"], name, LIMIT, expected_slow=name in slow("cues.read"))


@pytest.mark.parametrize("name", cases("features.of_text"))
def test_the_classifiers_features_are_quick_on_hostile_text(name):
    assert_quick(features.of_text, name, WHOLE_LIMIT, expected_slow=name in slow("features.of_text"))


def test_a_long_run_still_reads_as_before():
    """The bounded patterns find what they found: a spelled-out dot after a long hyphenated run, a
    quotation after many lone marks, digits for letters at the end of a long word."""
    assert find_links("a-" * 5000 + "quick dot com", bare=True)[0][1].endswith("-quick.com")
    assert split_quoted("„a " * 5000 + "„scam here“")[1].splitlines()[-1] == "scam here"
    assert obfuscation.reveal("a" * 5000 + "m0ney").tricks == {"digits": 1}
