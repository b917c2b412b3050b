"""Render time of the benchmark pages in process, page cache off (no network, no wrk): a steadier
figure than req/s on a shared machine, for comparing two versions of the code on one database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_bench PAGE_CACHE_ENABLED=0 \\
        .venv/bin/python bench/render.py [RUNS]

Reads the page paths from bench/results/urls.txt (written by `make bench`, which also seeds the
database); prints the median of RUNS renders per page (default 150) after 20 warm-up renders.
Run it from each checkout in turn (a worktree of the older commit sharing .venv) to compare them.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
os.environ.setdefault("TRIBUNE_TESTING", "1")
os.environ.setdefault("PAGE_CACHE_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

PAGES = ("index", "forum", "hot_first", "hot_last", "normal")


def main(runs: int) -> None:
    paths = dict(line.split() for line in (BASE / "bench/results/urls.txt").read_text().splitlines() if line.strip())
    client = Client()
    figures = []
    for name in PAGES:
        for _ in range(20):
            client.get(paths[name])
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(paths[name])
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (name, response.status_code)
        figures.append(f"{name} {statistics.median(timings):.1f} ms")
    print(f"{BASE.name}: " + " · ".join(figures))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150)
