"""bench/peers_report.py: the side-by-side run's results.md (the shared peers' summarize.py) and
ratios.py's verdict, written into bench/README.md between its markers."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("peers_report", ROOT / "bench" / "peers_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# summarize.py's output for a MEMBER=1 run (the figures of 2026-12-03, shortened to three peers'
# pages where the test needs no more; queries are counted for anonymous requests only).
RESULTS_MD = """\
| peer | page | req/s run1 | req/s run2 | p50 ms run1 / run2 | p99 ms run1 / run2 | queries | bytes |
|---|---|---|---|---|---|---|---|
| ours | index | 870.0 | 866.0 | 17.1 / 17.3 | 30.2 / 31.0 | 0 | 18979 |
| ours | forum | 865.0 | 865.0 | 17.0 / 17.2 | 29.0 / 30.1 | 0 | 12326 |
| ours | hot_first | 845.0 | 845.0 | 17.5 / 17.6 | 31.0 / 32.0 | 0 | 29783 |
| ours | hot_last | 839.0 | 839.0 | 17.6 / 17.7 | 31.5 / 32.5 | 0 | 30031 |
| ours | normal | 830.0 | 830.0 | 17.8 / 17.9 | 32.0 / 33.0 | 0 | 29170 |
| ours_nocache | index | 73.0 | 73.8 | 210.0 / 208.0 | 300.0 / 290.0 | 1 (cold 9) | 18979 |
| ours_nocache | forum | 93.8 | 93.8 | 160.0 / 161.0 | 250.0 / 251.0 | 2 (cold 6) | 12326 |
| ours_nocache | hot_first | 57.1 | 57.1 | 270.0 / 271.0 | 400.0 / 401.0 | 2 | 29783 |
| ours_nocache | hot_last | 61.3 | 61.3 | 250.0 / 251.0 | 380.0 / 381.0 | 2 | 30031 |
| ours_nocache | normal | 57.3 | 57.3 non2xx=3 | 270.0 / 270.0 | 400.0 / 400.0 | 2 | 29170 |
| spirit | index | 26.0 | 26.0 | 600.0 / 600.0 | 900.0 / 900.0 | 24 | 40000 |
| spirit | forum | 68.6 | 68.6 | 230.0 / 230.0 | 350.0 / 350.0 | 5 | 30000 |
| spirit | hot_first | 37.2 | 37.2 | 420.0 / 420.0 | 600.0 / 600.0 | 7 | 50000 |
| spirit | hot_last | 31.4 | 31.4 | 500.0 / 500.0 | 700.0 / 700.0 | 7 | 50000 |
| spirit | normal | 42.7 | 42.7 | 370.0 / 370.0 | 550.0 / 550.0 | 7 | 50000 |
| ours@member | index | 62.0 | 67.0 | 240.0 / 230.0 | 350.0 / 340.0 | ? | ? |
| ours@member | forum | 60.0 | 60.0 | 260.0 / 260.0 | 380.0 / 380.0 | ? | ? |
| spirit@member | index | 26.0 | 28.0 | 600.0 / 560.0 | 900.0 / 850.0 | ? | ? |
| spirit@member | forum | 56.0 | 60.0 | 280.0 / 260.0 | 400.0 / 380.0 | ? | ? |

| peer | seed s | replies/s | ms/reply | queries/reply |
|---|---|---|---|---|
| ours | 7.5 | 30.3 | 33.0 | 13 |
| ours_nocache | 7.4 | 30.1 | 33.2 | 13 |
| spirit | 40.2 | 40.2 | 24.9 | 12 |
| ours@member | ? | - | - | - |
| spirit@member | ? | - | - | - |

```
date 2026-12-03T10:00:00Z
nproc 2
kernel 6.1.0
cpu AMD EPYC
mem_gb 23
python Python 3.11.7
postgres psql (PostgreSQL) 15.20
redis v=7.0.15
wrk wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer
loadavg_start 0.52 0.40 0.30 1/170 9000
params duration=20s runs=2 gunicorn_sync_workers=2 wrk_threads=2 wrk_conns=16
loadavg_end 2.10 1.90 1.20 2/180 9900
```
"""
RATIOS = ("short: index 1.04x Spirit; rendered index 2.82x Spirit; replies/s 0.75x Spirit | vs Spirit: "
          "index 33.38x/0q, rendered index 2.82x/1q, member index 1.19x/999q, replies 0.75x\n")
COMMANDS = ["export TRIBUNE_ROOT=$PWD BENCH_RESULTS=$PWD/bench/results/peers DURATION=20 RUNS=2 MEMBER=1",
            "bash ../shared/bench/peers/measure.sh"]


def test_results_md_is_read_row_by_row(report):
    parsed = report.parse_results(RESULTS_MD)
    assert parsed["reads"][("ours_nocache", "index")] == {"runs": [73.0, 73.8], "notes": "", "sql": 1}
    assert parsed["reads"][("ours_nocache", "normal")]["notes"] == "non2xx=3"
    assert parsed["reads"][("ours@member", "index")]["sql"] is None
    assert parsed["writes"]["spirit"]["replies_per_s"] == 40.2
    assert parsed["writes"]["ours@member"]["replies_per_s"] is None
    assert parsed["machine"]["loadavg_end"].startswith("2.10 1.90 1.20")


def test_the_section_shows_each_variant_the_ratios_line_and_the_verdict(report):
    section = report.build_section(RESULTS_MD, "checking...\n" + RATIOS, 1, COMMANDS,
                                   {"Spirit": "0.14.3"})
    lines = section.splitlines()
    assert "Run of 2026-12-03T10:00:00Z (duration=20s runs=2" in section
    assert "load average 0.52 0.40 0.30 at start, 2.10 1.90 1.20 at end" in section
    assert "Software: Python 3.11.7, PostgreSQL 15.20, Redis v=7.0.15, wrk debian/4.1.0-3+b2." in lines
    assert "Smoke run" not in section
    assert ("**Verdict: goals not met** (`ratios.py` exit status 1): index 1.04x Spirit; "
            "rendered index 2.82x Spirit; replies/s 0.75x Spirit.") in lines
    assert RATIOS.strip() in lines  # the last line, verbatim
    # One row per variant, in order; mean of the rounds (SQL); the write path on the peers' rows.
    rows = [line for line in lines if line.startswith("| ") and "(`" in line.split("|")[1]]
    assert [row.split("|")[1].strip() for row in rows] == [
        "Tribune as served (`ours`)", "Tribune rendered (`ours_nocache`)", "Tribune as member (`ours@member`)",
        "Spirit (`spirit`)", "Spirit as member (`spirit@member`)"]
    assert rows[1] == ("| Tribune rendered (`ours_nocache`) | 73.4 (1) | 93.8 (2) | 57.1 (2) | 61.3 (2) "
                       "| 57.3 (2) ⚠ non2xx=3 | 30.1 (13) |")
    assert rows[2] == "| Tribune as member (`ours@member`) | 64.5 | 60.0 | — | — | — | — |"
    assert "| Tribune rendered ÷ Spirit | 2.82 | 1.37 | 1.53 | 1.95 | 1.34 | 0.75 |" in lines
    assert "| Tribune as member ÷ Spirit as member | 2.39 | 1.03 | — | — | — | — |" in lines
    assert "**Spirit in this run.** Spirit 0.14.3 ran on this machine, in this run" in section
    assert "DATASET.md's peer figures" in section and "are gone" in section
    assert "```sh\n" + "\n".join(COMMANDS) + "\n```" in section
    assert RESULTS_MD.strip() in section  # the whole table, in a <details> block


def test_a_smoke_run_and_a_met_verdict_say_so(report):
    smoke = RESULTS_MD.replace("duration=20s runs=2", "duration=2s runs=1")
    section = report.build_section(smoke, "vs Spirit: index 3.10x/0q, replies 2.10x\n", 0, [])
    assert "**Verdict: every goal met** (`ratios.py` exit status 0)." in section
    assert "**Smoke run**" in section


def test_the_section_replaces_the_one_between_the_markers(report, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\n## Running it\n\ntext\n\n## Latest results\n\n"
                      "<!-- results:start -->\nold\n<!-- results:end -->\n")
    report.write_section(readme, "first")
    text = readme.read_text()
    assert text.index(report.HEADING) < text.index("## Latest results")
    assert f"{report.START}\nfirst\n{report.END}" in text
    report.write_section(readme, "second")
    text = readme.read_text()
    assert f"{report.START}\nsecond\n{report.END}" in text and "first" not in text
    assert text.count(report.HEADING) == 1 and "<!-- results:start -->\nold\n" in text


def test_main_reads_what_run_peers_sh_leaves(report, tmp_path):
    (tmp_path / "results.md").write_text(RESULTS_MD)
    (tmp_path / "ratios.txt").write_text(RATIOS)
    (tmp_path / "ratios_status.txt").write_text("1\n")
    (tmp_path / "commands.txt").write_text("\n".join(COMMANDS) + "\n")
    (tmp_path / "pip_freeze_spirit.txt").write_text("Django==5.2.19\ndjango-spirit==0.14.3\n")
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n")
    report.main(str(tmp_path), str(readme))
    text = readme.read_text()
    assert "**Verdict: goals not met**" in text and "Spirit 0.14.3 ran" in text
    assert (tmp_path / "report.md").read_text().strip() in text
