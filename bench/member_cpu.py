"""CPU per rendered forum page, in process, for a visitor and for a logged-in member (issue 16).

    .venv/bin/python bench/member_cpu.py URLS_FILE [N]

Against the database in DATABASE_URL (a `manage.py seed_bench` database; the same environment as
bench/run.sh), with the page cache off: each of the five pages (index, forum, hot_first, hot_last,
normal) rendered N times (default 40) by Django's test Client, as a visitor and as `user0007` (the
peers' member), after 5 warm-up renders. Prints the CPU time of the process per render (min and
median, `time.process_time`: the figure other processes on the machine disturb least), the SQL
queries of one render (warm) and the page's size. Used for the before/after figures of
docs/ARCHITECTURE.md ("Speed for members"): run it on the same database from two checkouts.
"""

from __future__ import annotations

import statistics
import sys
import time

from bench import PAGES, client, django_setup, read_urls

MEMBER = "user0007"


def main(urls_file: str, count: str = "40") -> None:
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import override_settings

    override_settings(PAGE_CACHE_ENABLED=False).enable()
    urls = read_urls(urls_file)
    n = int(count)
    print(f"{'who':8} {'page':10} {'cpu min':>8} {'cpu med':>8} {'SQL':>4} {'bytes':>7}")
    for who in ("visitor", "member"):
        c = client()
        if who == "member":
            c.force_login(get_user_model().objects.get(username=MEMBER))
        for name in PAGES:
            path = urls[name]
            for _ in range(5):
                c.get(path)
            connection.force_debug_cursor = True  # log the queries of one render (DEBUG is off)
            reset_queries()
            response = c.get(path)
            queries = list(connection.queries)
            connection.force_debug_cursor = False
            assert response.status_code == 200, (name, response.status_code)
            times = []
            for _ in range(n):
                started = time.process_time()
                c.get(path)
                times.append(time.process_time() - started)
            print(f"{who:8} {name:10} {min(times) * 1000:7.1f}ms {statistics.median(times) * 1000:7.1f}ms "
                  f"{len(queries):4} {len(response.content):7}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
