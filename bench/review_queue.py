"""The review queue's first page during a spam wave (bench/README.md, "Review queue").

    make bench-queue        (or, by hand:)
    dropdb --if-exists -h 127.0.0.1 -U postgres tribune_queue && createdb -h 127.0.0.1 -U postgres tribune_queue
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_queue .venv/bin/python bench/review_queue.py

Migrates the database, then measures `/moderation/` as a community manager, in this process
(Django's test client: the view, the selectors, the templates; no network), twice: with 25 items
under review (one full page), then with 10,000 held posts and 1,000 open reports on other posts (a spam wave and a
busy day). Each page is fetched 30 times; the median and the 90th percentile are printed with the
SQL queries of one request (SHOW_SQL=1 lists them). The target: the same queries as with a
handful of items, under 100 ms.
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

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = 30
PAGES = {"newest": "/moderation/", "most reported": "/moderation/?sort=reported",
         "spam reason": "/moderation/?reason=spam", "one kind": "/moderation/?kind=forums.post",
         "page 200": "/moderation/?page=200"}


def seed(topic, authors, reporters, *, held: int, reported: int, start: int) -> None:
    """`held` posts judged spam and held, and `reported` published posts with one open report each,
    written in bulk; the review index is then rebuilt from them (as the services keep it)."""
    from django.utils import timezone

    from community import writing
    from community.models import SpamStatus, Visibility
    from forums.models import Post
    from moderation import review
    from moderation.models import Report

    now = timezone.now()
    rows = []
    for index in range(held + reported):
        body = f"Post {start + index}: cheap watches at example.com" if index < held else f"Opinion {start + index}"
        rows.append(Post(topic=topic, author=authors[index % len(authors)], position=start + index + 2, body=body,
                         body_html=f"<p>{body}</p>", created_at=now, fingerprint=writing.fingerprint(0, body),
                         status=Visibility.PENDING if index < held else Visibility.PUBLISHED,
                         spam_status=SpamStatus.SPAM if index < held else SpamStatus.HAM))
    posts = Post.objects.bulk_create(rows, batch_size=2000)
    Report.objects.bulk_create([Report(reporter=reporters[index % len(reporters)], kind="forums.post",
                                       object_id=post.pk, reason="abuse" if index % 3 else "spam")
                                for index, post in enumerate(posts[held:])], batch_size=2000)
    started = time.perf_counter()
    count = review.rebuild()
    print(f"  review index rebuilt: {count:,} items in {time.perf_counter() - started:.2f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, label: str) -> None:
    for name, url in PAGES.items():
        if name == "page 200" and label.startswith("25 "):
            continue
        client.get(url)  # warm the templates and the connection
        connection.queries_log.clear()  # (each request clears the log: count from an empty one)
        with CaptureQueriesContext(connection) as capture:
            response = client.get(url)
        queries = list(capture.captured_queries)  # (read now: the next requests clear the log)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _run in range(RUNS):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        sql_ms = sum(float(query["time"]) for query in queries) * 1000
        print(f"  {label:>24} | {name:<13} | median {statistics.median(timings):6.1f} ms | "
              f"p90 {timings[int(RUNS * 0.9) - 1]:6.1f} ms | {len(queries):2d} queries ({sql_ms:5.1f} ms)")
        if os.environ.get("SHOW_SQL"):
            for query in queries:
                print(f"      {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    call_command("migrate", verbosity=0)
    from machine import machine, postgres_version  # bench/machine.py (this folder is on sys.path)

    from forums.models import Forum
    from forums.services import save_forum
    from tests.factories import TopicFactory, UserFactory

    print(f"review queue, {machine()}, PostgreSQL {postgres_version()}, {RUNS} requests per page")
    suffix = str(int(time.time()))
    cm = UserFactory(username=f"qcm{suffix}", roles=["Community managers"])
    authors = [UserFactory(username=f"qa{suffix}-{index}") for index in range(50)]
    reporters = [UserFactory(username=f"qr{suffix}-{index}") for index in range(50)]
    forum = save_forum(forum=Forum(name=f"Queue bench {suffix}", slug=f"queue-bench-{suffix}"))
    topic = TopicFactory(forum=forum, author=authors[0], title="Queue bench", body="The queue bench topic.")
    client = Client()
    client.force_login(cm)

    seed(topic, authors, reporters, held=15, reported=10, start=0)  # one full page (25 items)
    measure(client, "25 items")
    seed(topic, authors, reporters, held=10_000, reported=1_000, start=25)
    measure(client, "10,000 held + 1,000 rep.")


if __name__ == "__main__":
    main()
