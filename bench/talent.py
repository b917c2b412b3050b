"""The talent board's nightly job on the standard forum dataset (bench/README.md, "Talent scores").

    make bench-talent       (or, by hand:)
    dropdb --if-exists -h 127.0.0.1 -U postgres tribune_talent && createdb -h 127.0.0.1 -U postgres tribune_talent
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_talent .venv/bin/python bench/talent.py

Migrates, seeds the standard dataset (`manage.py seed_bench`: 1,000 members, 5,000 topics, 100,000
posts), then times `cm.scouting.scoring.compute()` — every registered provider (forums, blogs,
moderation) over 30, 90 and 365 days, the scores written with bulk upserts — as of one minute after
the dataset's last post (its posts are dated January 2024: scored as of today, every window would be
empty). Twice: on the dataset as it is (no likes, no accepted answers), then after adding likes
(posts whose id is a multiple of 3 get 1 to 8 likes: about 150,000 reactions) and an accepted answer
in every tenth topic, so that every aggregate has rows to sum. Each is run RUNS times; the median,
the fastest and the SQL queries of one run are printed (SHOW_SQL=1 lists the queries).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")
os.environ.setdefault("TRIBUNE_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def add_likes_and_answers() -> int:
    """About 150,000 likes (posts whose id is a multiple of 3: 1 to 8 each, by the members after their
    author) and an accepted answer (the post at position 2) in every tenth topic; set-based SQL."""
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO forums_reaction (post_id, user_id, created_at)
            SELECT p.id, u.id, p.created_at + interval '1 hour'
            FROM forums_post p
            CROSS JOIN LATERAL generate_series(1, 1 + (p.id / 3) % 8) AS n
            JOIN community_user u ON u.username = 'user' || lpad(((p.author_id + n * 7) % 1000)::text, 4, '0')
            WHERE p.id % 3 = 0 AND u.id <> p.author_id
            ON CONFLICT DO NOTHING""")
        cursor.execute("""
            UPDATE forums_post p SET reaction_count = r.n
            FROM (SELECT post_id, count(*) AS n FROM forums_reaction GROUP BY post_id) r WHERE r.post_id = p.id""")
        cursor.execute("""
            UPDATE forums_topic t SET accepted_answer_id = p.id, is_solved = true
            FROM forums_post p WHERE p.topic_id = t.id AND p.position = 2 AND t.id % 10 = 0""")
        cursor.execute("SELECT count(*) FROM forums_reaction")
        likes = cursor.fetchone()[0]
        cursor.execute("ANALYZE")
    return likes


def measure(label: str, until) -> None:
    from cm.models import TalentScore
    from cm.scouting import scoring

    timings, queries = [], []
    for run in range(RUNS):
        with CaptureQueriesContext(connection) as capture:
            started = time.perf_counter()
            scoring.compute(until=until)
            timings.append(time.perf_counter() - started)
        if run == 0:
            queries = list(capture.captured_queries)
    rows = {period: TalentScore.objects.filter(period=period).count() for period in (30, 90, 365)}
    sql = sum(float(query["time"]) for query in queries)
    print(f"  {label:<34} | median {statistics.median(timings):6.2f} s | fastest {min(timings):6.2f} s | "
          f"{len(queries):3d} queries ({sql:5.2f} s of SQL) | rows 30/90/365 d: {rows[30]}/{rows[90]}/{rows[365]}")
    if os.environ.get("SHOW_SQL"):
        for query in sorted(queries, key=lambda query: -float(query["time"]))[:15]:
            print(f"      {float(query['time']) * 1000:8.1f} ms  {query['sql'][:160]}")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    from machine import machine, postgres_version  # bench/machine.py (this folder is on sys.path)

    from forums.models import Post

    call_command("migrate", verbosity=0)
    if Post.objects.count() != 100_000:
        started = time.perf_counter()
        call_command("seed_bench", "--reset", urls_file=str(BASE / "bench" / "results" / "talent_urls.txt"))
        print(f"  seeded the standard dataset in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM forums_reaction")
        cursor.execute("UPDATE forums_post SET reaction_count = 0 WHERE reaction_count <> 0")
        cursor.execute("UPDATE forums_topic SET accepted_answer_id = NULL, is_solved = false "
                       "WHERE accepted_answer_id IS NOT NULL")
        cursor.execute("ANALYZE")
    until = Post.objects.aggregate(last=Max("created_at"))["last"] + timedelta(minutes=1)
    print(f"talent scores, {machine()}, PostgreSQL {postgres_version()}, as of {until:%Y-%m-%d %H:%M} UTC, "
          f"{RUNS} runs each")
    measure("standard dataset", until)
    started = time.perf_counter()
    likes = add_likes_and_answers()
    print(f"  added {likes:,} likes and 500 accepted answers in {time.perf_counter() - started:.1f} s")
    measure("with likes and accepted answers", until)


if __name__ == "__main__":
    main()
