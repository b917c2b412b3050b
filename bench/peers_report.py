"""Write the side-by-side forum benchmark (bench/run_peers.sh: Tribune, Spirit and django-machina in the
same run, ../shared/bench/peers) into bench/README.md, between `<!-- peers-results:start -->` and
`<!-- peers-results:end -->` (a section is added before "## Latest results" if they are absent).

    peers_report.py RESULTS_DIR README

RESULTS_DIR holds what the run left: results.md (the peers' summarize.py: one row per peer and page,
with the machine block), ratios.txt and ratios_status.txt (ratios.py's output and exit status),
commands.txt (the commands run) and pip_freeze_<peer>.txt. Standard library only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

START, END = "<!-- peers-results:start -->", "<!-- peers-results:end -->"
HEADING = "## Forum pages: Tribune, Spirit and machina in one run"
PAGES = ("index", "forum", "hot_first", "hot_last", "normal")
# summarize.py's peer names, in the table's order, and what each row is.
VARIANTS = {
    "ours": "Tribune as served",
    "ours_nocache": "Tribune rendered",
    "ours@member": "Tribune as member",
    "spirit": "Spirit",
    "spirit@member": "Spirit as member",
    "machina": "machina",
    "machina@member": "machina as member",
}
# Tribune's variant -> the Spirit row it is held against (ratios.py's pairs).
AGAINST = {"ours": "spirit", "ours_nocache": "spirit", "ours@member": "spirit@member"}
FULL_DURATION, FULL_RUNS = 20, 2  # below this, a smoke run: its figures compare with nothing


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse_results(text: str) -> dict:
    """summarize.py's results.md -> {"reads": {(peer, page): {...}}, "writes": {peer: {...}},
    "machine": {key: value}}. A read row's runs are its req/s figures; its notes, wrk's errors."""
    reads, writes, machine = {}, {}, {}
    in_block = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            key, _, value = line.partition(" ")
            if key:
                machine[key] = value.strip()
            continue
        if not line.startswith("|"):
            continue
        cells = _cells(line)
        if cells[0] in ("peer", "") or set(cells[0]) <= {"-"}:
            continue
        if len(cells) == 8:
            runs, notes = [], []
            for cell in cells[2:4]:
                match = re.match(r"[\d.]+", cell)
                if match:
                    runs.append(float(match.group()))
                    notes.append(cell[match.end():].strip())
            sql = re.match(r"\d+", cells[6])
            reads[(cells[0], cells[1])] = {"runs": runs, "notes": " ".join(n for n in notes if n),
                                           "sql": int(sql.group()) if sql else None}
        elif len(cells) == 5:
            writes[cells[0]] = {"replies_per_s": _number(cells[2]), "ms_per_reply": _number(cells[3]),
                                "sql": _number(cells[4])}
    return {"reads": reads, "writes": writes, "machine": machine}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _mean(row: dict | None) -> float | None:
    return sum(row["runs"]) / len(row["runs"]) if row and row["runs"] else None


def _read_cell(row: dict | None) -> str:
    mean = _mean(row)
    if mean is None:
        return "—"
    cell = f"{mean:,.1f}"
    if row["sql"] is not None:
        cell += f" ({row['sql']})"
    if row["notes"]:
        cell += f" ⚠ {row['notes']}"
    return cell


def _write_cell(write: dict | None) -> str:
    if not write or write["replies_per_s"] is None:
        return "—"
    sql = write["sql"]
    return f"{write['replies_per_s']:.1f}" + (f" ({sql:g})" if sql is not None else "")


def _variants(parsed: dict) -> list[str]:
    measured = {peer for peer, _page in parsed["reads"]} | set(parsed["writes"])
    return [v for v in VARIANTS if v in measured] + sorted(measured - set(VARIANTS))


def parse_ratios(output: str, status: int) -> dict:
    """ratios.py's output (its last line: `[short: a; b | ]vs Spirit: ...`) and exit status."""
    lines = [line for line in output.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else ""
    short = []
    if last.startswith("short: "):
        short = [s.strip() for s in last[len("short: "):].split(" | ", 1)[0].split(";") if s.strip()]
    return {"line": last, "status": status, "met": status == 0 and bool(last), "short": short}


def _machine_line(machine: dict) -> list[str]:
    params = machine.get("params", "")
    postgres = re.sub(r"^psql \(PostgreSQL\)", "PostgreSQL", machine.get("postgres", "?"))
    wrk = re.split(r" \[| Copyright", machine.get("wrk", "?"))[0]
    lines = [
        f"Run of {machine.get('date', '?')} ({params}) on {machine.get('nproc', '?')} vCPU "
        f"({machine.get('cpu', '?')}), {machine.get('mem_gb', '?')} GB RAM; load average "
        f"{_load(machine.get('loadavg_start'))} at start, {_load(machine.get('loadavg_end'))} at end.",
        f"Software: {machine.get('python', '?')}, {postgres}, Redis {machine.get('redis', '?')}, {wrk}.",
    ]
    duration = re.search(r"duration=(\d+)s", params)
    runs = re.search(r"runs=(\d+)", params)
    if (duration and int(duration.group(1)) < FULL_DURATION) or (runs and int(runs.group(1)) < FULL_RUNS):
        lines += ["", "**Smoke run** (shorter than the standard 20 s × 2 rounds): its figures compare with "
                      "nothing; run `make bench` with the defaults for a measurement."]
    return lines


def _load(value: str | None) -> str:
    return " ".join(value.split()[:3]) if value else "?"


def build_section(results_md: str, ratios_output: str, status: int, commands: list[str],
                  versions: dict[str, str] | None = None) -> str:
    parsed = parse_results(results_md)
    ratios = parse_ratios(ratios_output, status)
    reads, writes = parsed["reads"], parsed["writes"]
    variants = _variants(parsed)
    lines = [*_machine_line(parsed["machine"]), ""]
    if ratios["met"]:
        lines.append(f"**Verdict: every goal met** (`ratios.py` exit status {status}).")
    else:
        lines.append(f"**Verdict: goals not met** (`ratios.py` exit status {status})"
                     + (": " + "; ".join(ratios["short"]) + "." if ratios["short"] else "."))
    lines += [
        "",
        "`ratios.py`'s last line (the goals: every page ≥ 3× Spirit's req/s as served, rendered and as a "
        "member, ≤ 8 SQL, `hot_last` within 10 % of `hot_first`; replies/s ≥ 2× Spirit's):",
        "",
        "```",
        ratios["line"] or "(no output)",
        "```",
        "",
        "Requests/s per page (mean of the rounds; SQL queries of an anonymous request, warm, in "
        "parentheses), gunicorn 2 sync workers, `wrk -t2 -c16`; write path: 200 sequential replies by "
        "`user0007` through each forum's own view (Django's test Client, in process), replies/s (SQL per reply):",
        "",
        "| | " + " | ".join(f"`{p}`" for p in PAGES) + " | replies/s (SQL) |",
        "|---|" + "---:|" * (len(PAGES) + 1),
    ]
    for v in variants:
        label = VARIANTS.get(v, v)
        lines.append(f"| {label} (`{v}`) | " + " | ".join(_read_cell(reads.get((v, p))) for p in PAGES)
                     + f" | {_write_cell(writes.get(v))} |")
    pairs = [(v, s) for v, s in AGAINST.items() if v in variants and s in variants]
    if pairs:
        lines += ["", "The same, ÷ Spirit's in this run (goal: ≥ 3 for pages, ≥ 2 for replies):", "",
                  "| | " + " | ".join(f"`{p}`" for p in PAGES) + " | replies/s |",
                  "|---|" + "---:|" * (len(PAGES) + 1)]
        for v, s in pairs:
            cells = [_ratio(_mean(reads.get((v, p))), _mean(reads.get((s, p)))) for p in PAGES]
            ours_w, spirit_w = writes.get(v), writes.get(s)
            cells.append(_ratio(ours_w and ours_w["replies_per_s"], spirit_w and spirit_w["replies_per_s"]))
            lines.append(f"| {VARIANTS[v]} ÷ {VARIANTS[s]} | " + " | ".join(cells) + " |")
    peers = [name for name in ("Spirit", "machina") if any(VARIANTS.get(v, "").startswith(name) for v in variants)]
    versions = versions or {}
    named = [f"{name} {versions[name]}" if name in versions else name for name in peers]
    lines += [
        "",
        f"**{' and '.join(peers) or 'No peer'} in this run.** "
        + (f"{' and '.join(named)} ran on this machine, in this run, on the same dataset (DATASET.md), "
           "interleaved with Tribune (each round loads every peer in turn, so the machine's noise falls on "
           "all of them): the ratios hold for this run, though absolute figures drift 2× from one day to "
           "the next. " if peers else "")
        + "The forum tables no longer compare with DATASET.md's peer figures (taken another day, on a "
        "machine then about 2.5× faster): those columns and the absolute req/s targets derived from them "
        "are gone.",
        "",
        "Commands of this run (from the project root; `make bench` runs them, then bench/run.sh's "
        "contributor spaces part):",
        "```sh",
        *commands,
        "```",
        "",
        "<details><summary>The whole table (summarize.py's results.md: both rounds, p50/p99, bytes, "
        "seeding)</summary>",
        "",
        results_md.strip(),
        "",
        "</details>",
    ]
    return "\n".join(lines)


def _ratio(ours: float | None, spirit: float | None) -> str:
    return f"{ours / spirit:.2f}" if ours is not None and spirit else "—"


def write_section(readme: Path, section: str) -> None:
    text = readme.read_text() if readme.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        text = f"{head}{START}\n{section}\n{END}{tail}"
    else:
        block = f"{HEADING}\n\n{START}\n{section}\n{END}\n\n"
        anchor = text.find("## Latest results")
        text = (text[:anchor] + block + text[anchor:]) if anchor >= 0 else f"{text.rstrip()}\n\n{block}"
    readme.write_text(text)


def _versions(results: Path) -> dict[str, str]:
    found = {}
    for name, package in (("Spirit", "django-spirit"), ("machina", "django-machina")):
        for path in results.glob("pip_freeze_*.txt"):
            match = re.search(rf"^{package}==(\S+)", path.read_text(), re.M | re.I)
            if match:
                found[name] = match.group(1)
    return found


def main(results_dir: str, readme: str) -> None:
    results = Path(results_dir)
    status_file, commands_file = results / "ratios_status.txt", results / "commands.txt"
    section = build_section(
        (results / "results.md").read_text(),
        (results / "ratios.txt").read_text() if (results / "ratios.txt").exists() else "",
        int(status_file.read_text().strip()) if status_file.exists() else 1,
        commands_file.read_text().splitlines() if commands_file.exists() else [],
        _versions(results),
    )
    write_section(Path(readme), section)
    (results / "report.md").write_text(section + "\n")
    print(section)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
