"""bench/bench.py report: the Tribune-alone part of `make bench` (contributor spaces, SQL per page, the
write path over HTTP) no longer compares with DATASET.md's peer figures."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_script", ROOT / "bench" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wrk(rps):
    return {"rps": rps, "p50_ms": 100.0, "p99_ms": 200.0, "non_2xx": 0, "socket_errors": 0, "requests": 1000}


@pytest.fixture
def results(tmp_path):
    page = {"url": "/x/", "status": 200, "sql": 2, "bytes": 29783, "cache": "hit", "sql_cached": 0}
    pages = {name: dict(page) for name in ("index", "forum", "hot_first", "hot_last", "normal", "space",
                                            "post500", "post0", "post500_member", "post500_reader")}
    files = {
        "meta.json": {"date": "2026-12-06 10:00 UTC", "machine": "2 vCPU", "software": "Python 3.11",
                      "seed_seconds": 5.0, "seed_wall_seconds": 7.5, "blog_seed_seconds": 20.9,
                      "blog_seed_wall_seconds": 22.9, "note": "", "commands": ["bash bench/run.sh"]},
        "pages.json": pages,
        "reply_sql.json": {"sql": 13},
        "writes.json": {"replies": 200, "seconds": 3.0, "replies_per_s": 66.2, "post_count_before": 22,
                        "post_count_after": 222},
        # What run.sh measures by default: the spaces' pages, and the hot topic rendered (their yardstick).
        "wrk_hot_first_render.json": wrk(108.2),
        "wrk_post500.json": wrk(102.3), "wrk_post500_render.json": wrk(99.1),
    }
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data))
    return tmp_path


def test_the_report_has_no_dataset_md_ratio_and_says_so(bench, results):
    report = bench.build_report(results)
    tables = [line for line in report.splitlines() if line.startswith("|")]
    assert not [line for line in tables if "Spirit" in line or "machina" in line or "target" in line]
    assert "DATASET.md's peer figures" in report and "are gone" in report
    assert "| `hot_first` | 2 | 0 (hit) | 29,783 |" in report  # SQL per forum page, in process
    assert "| `hot_first` | 108.2 | 100.0 | 200.0 | 2 | 29,783 |" in report  # rendered, the yardstick
    assert "**66.2 replies/s**" in report and "13 SQL queries per reply" in report
    assert "`post500` / `hot_first` req/s: **0.92**" in report
