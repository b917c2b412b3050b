"""Write the wiki benchmark's figures (bench/run_wiki.sh's results) into bench/README.md, between
`<!-- wiki-results:start -->` and `<!-- wiki-results:end -->` (appended as a "Wiki" section if absent).

    report.py RESULTS_DIR README
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

START, END = "<!-- wiki-results:start -->", "<!-- wiki-results:end -->"
PAGES = ("page", "hist_page", "history", "diff", "bigdiff")
# WIKI_DATASET.md's django-wiki 0.13 figures (another day) and the targets.
REFERENCE = {"page": (65, 23), "hist_page": (36, 46), "history": (25, 77), "diff": (620, 3), "bigdiff": (62, 3)}
REFERENCE_SAVES = (19, 33)
FACTOR = {"page": 5, "hist_page": 5, "history": 5, "bigdiff": 2}
SAVES_FACTOR = 3
SQL_TARGET = 8


def load(path: Path):
    return json.loads(path.read_text()) if path.exists() else None


def rps(results: Path, peer: str, name: str):
    runs = [load(p) for p in sorted(results.glob(f"wrk_{peer}_{name}_*.json"))]
    runs = [r for r in runs if r]
    if not runs:
        return None
    return {"rps": statistics.median(r["rps"] for r in runs), "p50": statistics.median(r["p50_ms"] for r in runs),
            "p99": statistics.median(r["p99_ms"] for r in runs), "runs": [r["rps"] for r in runs],
            "errors": sum(r["non_2xx"] + r["socket_errors"] for r in runs)}


def fmt(w, sql):
    if w is None:
        return "not measured"
    runs = "" if len(w["runs"]) < 2 else " (" + " / ".join(f"{x:.0f}" for x in w["runs"]) + ")"
    errors = f", **{w['errors']} errors**" if w["errors"] else ""
    return f"{w['rps']:,.1f}{runs}{errors} · {w['p50']:.0f}/{w['p99']:.0f} ms · {sql} SQL"


def section(results: Path) -> str:
    sql = {peer: load(results / f"sql_{peer}.json") or {} for peer in ("ours", "ours_nocache", "djangowiki")}
    saves = {peer: load(results / f"saves_{peer}.json") for peer in ("ours", "djangowiki")}
    seed = (results / "seed_ours.txt").read_text() if (results / "seed_ours.txt").exists() else ""
    seed_s = next((line.split("=")[1] for line in seed.splitlines() if line.startswith("wiki_seed_seconds=")), "?")
    dw_seed = (results / "seed_djangowiki.txt").read_text() if (results / "seed_djangowiki.txt").exists() else ""
    dw_seed_s = next((line.split("=")[1] for line in dw_seed.splitlines()
                      if line.startswith("djangowiki_seed_seconds=")), None)
    have_dw = any(rps(results, "djangowiki", n) for n in PAGES)
    lines = [
        f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs ({platform.python_version()}), "
        f"load {os.environ.get('BENCH_LOAD_START', '?')} → {os.environ.get('BENCH_LOAD_END', '?')}; "
        f"wrk -t2 -c16 -d{os.environ.get('WIKI_BENCH_DURATION', '20s')} --timeout 10s, "
        f"{os.environ.get('WIKI_BENCH_RUNS', '1')} round(s), interleaved page by page "
        "(Tribune as served, Tribune with PAGE_CACHE_ENABLED=0, django-wiki). "
        f"Seeding: Tribune {seed_s} s, django-wiki {dw_seed_s or '—'} s.",
        "",
        "Each cell: req/s (median of the rounds; each round's figure in brackets) · p50/p99 latency · warm SQL "
        "of one anonymous request (test Client, in-process).",
        "",
        "| page | Tribune as served | Tribune, no page cache | django-wiki 0.13, same run | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for name in PAGES:
        ours, nocache, dw = (rps(results, p, name) for p in ("ours", "ours_nocache", "djangowiki"))
        ref = REFERENCE[name]
        base = dw["rps"] if dw else ref[0]
        label = "" if dw else " (ref., another day)"
        target, met = "—", "—"
        if name in FACTOR:
            goal = FACTOR[name] * base
            target = f"≥ {goal:,.0f} req/s{label}" + (f", ≤ {SQL_TARGET} SQL" if FACTOR[name] == 5 else "")
            ok_sql = FACTOR[name] != 5 or (sql["ours_nocache"].get(name, {}).get("sql", 99) <= SQL_TARGET)
            if nocache:
                met = "yes" if nocache["rps"] >= goal and ok_sql and not nocache["errors"] else "**no**"
        dw_cell = fmt(dw, sql["djangowiki"].get(name, {}).get("sql", "?")) if dw else \
            f"not measured (ref., another day: {ref[0]} req/s, {ref[1]} SQL)"
        lines.append(f"| `{name}` | {fmt(ours, sql['ours'].get(name, {}).get('sql', '?'))} "
                     f"| {fmt(nocache, sql['ours_nocache'].get(name, {}).get('sql', '?'))} | {dw_cell} "
                     f"| {target} | {met} |")
    lines += ["", "| saves (user0007, 100 edits in a row through the edit view) | saves/s | ms/save | SQL per save "
              "(POST) | SQL of the form (GET) |", "|---|---:|---:|---:|---:|"]
    for peer, label in (("ours", "Tribune"), ("djangowiki", "django-wiki 0.13, same run")):
        s = saves[peer]
        if s:
            lines.append(f"| {label} | {s['saves_per_s']:.1f} | {s['ms_per_save']:.1f} | {s['sql_per_save']} "
                         f"| {s['sql_per_form']} |")
        else:
            lines.append(f"| {label} | not measured | | | |")
    base = saves["djangowiki"]["saves_per_s"] if saves["djangowiki"] else REFERENCE_SAVES[0]
    met = "—"
    if saves["ours"]:
        met = "yes" if saves["ours"]["saves_per_s"] >= SAVES_FACTOR * base else "**no**"
    lines += ["", f"Saves target: ≥ {SAVES_FACTOR}× django-wiki = {SAVES_FACTOR * base:.1f}/s"
              f"{'' if saves['djangowiki'] else ' (its reference 19/s, another day)'}: {met}."]
    skipped = results / "skipped.txt"
    if skipped.exists():
        lines += ["", "Not measured in this run:", "", *[f"- {line}" for line in skipped.read_text().splitlines()]]
    if not have_dw:
        lines += ["", "django-wiki was not measured in this run: its column shows WIKI_DATASET.md's figures, "
                      "from another day, which do not compare."]
    commands = os.environ.get("WIKI_BENCH_COMMANDS", "").strip()
    if commands:
        lines += ["", "<details><summary>The wrk commands of this run</summary>", "", "```", commands, "```",
                  "", "</details>"]
    if os.environ.get("BENCH_NOTE"):
        lines += ["", os.environ["BENCH_NOTE"]]
    return "\n".join(lines)


def main(results_dir: str, readme: str) -> None:
    results, path = Path(results_dir), Path(readme)
    text = path.read_text()
    body = f"{START}\n{section(results)}\n{END}"
    if START in text and END in text:
        head, _sep, rest = text.partition(START)
        _old, _sep, tail = rest.partition(END)
        text = head + body + tail
    else:
        text = text.rstrip("\n") + "\n\n## Wiki\n\n" + body + "\n"
    path.write_text(text)
    print(section(results))


if __name__ == "__main__":
    main(*sys.argv[1:3])
