"""Spam-check throughput with a real Celery worker (bench/README.md, "Spam checks with a real worker").

    .venv/bin/python bench/spam_worker.py [N] [--db tribune_bench_spam] [--concurrency 2] [--baseline 300]
    (or: make bench-spam-worker)

Everything on 127.0.0.1, with production-like settings (DEBUG=0, no TRIBUNE_TESTING, persistent
database connections, email to nowhere):

1. a fresh PostgreSQL database (dropdb/createdb -h 127.0.0.1 -U postgres), migrated, and a private
   redis-server on a free loopback port (no persistence; never the machine's shared Redis);
2. the production (database) classifier trained on tests/data/spam_corpus.jsonl with
   `NaiveBayes().learn()`, as bench/spam.py does;
3. posts written through `forums.services.create_topic` (each post the opening post of its own topic,
   in a forum nobody watches, so that the notification fan-out of the delivery finds nobody and the
   spam check is the work measured), texts from the corpus round robin with a unique suffix, by
   --members established members; the courier is held back (`community.events.enqueue` is replaced
   while writing), so every `content.created` event stays pending and nothing is checked yet;
4. baseline: --baseline other posts dispatched in this process, one after another, with
   `community.events.dispatch_event` (what the Celery task runs), and the SQL of one delivery counted;
5. one real worker, started as the integration harness starts it:
   `celery -A community worker --pool=prefork --concurrency=2 -Q <every routed queue>`; once it answers a
   ping, --warm-up posts are delivered (unreported: per-process caches, connections);
6. the measure: the clock starts, `community.deliver_event` is published for each of the N pending
   events on the queue of their kind, `spam` (what the sweeper does), and PostgreSQL is polled every 0.2 s until no post of the measured
   forum has spam_status "pending"; checks/s = N / that wall time. The worker's own log gives the
   span from the first task received to the last one finished, and each task's run time.

Prints the results and writes bench/results/spam_worker.json (the worker's log is
bench/results/spam_worker_celery.log). bench/README.md is written by hand from the output.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from machine import machine, postgres_version  # bench/machine.py (this folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
WORKER_LOG = RESULTS / "spam_worker_celery.log"
REDIS_LOG = RESULTS / "spam_worker_redis.log"
CORPUS = ROOT / "tests" / "data" / "spam_corpus.jsonl"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
POLL_SECONDS = 0.2


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=2000, help="posts checked by the worker (2000)")
    parser.add_argument("--db", default=os.environ.get("BENCH_SPAM_DB", "tribune_bench_spam"))
    parser.add_argument("--concurrency", type=int, default=2, help="worker pool processes (2)")
    parser.add_argument("--members", type=int, default=200, help="authors of the posts (200)")
    parser.add_argument("--baseline", type=int, default=300, help="posts dispatched in-process first (300; 0: none)")
    parser.add_argument("--warm-up", type=int, default=20, help="posts delivered by the worker before the clock (20)")
    parser.add_argument("--timeout", type=float, default=1800, help="give up after this many seconds")
    parser.add_argument("--note", default=os.environ.get("BENCH_NOTE", ""), help="a sentence for the report")
    return parser.parse_args(argv)


# --- processes ------------------------------------------------------------------------------------------

def fresh_database(name: str) -> None:
    subprocess.run(["pg_isready", *PG, "-q"], check=True)
    subprocess.run(["dropdb", *PG, "--if-exists", name], check=True)
    subprocess.run(["createdb", *PG, name], check=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server not found on PATH (apt-get install redis-server)")
    with REDIS_LOG.open("wb") as log:
        process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--daemonize", "no"],
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit(f"redis-server did not start on port {port}: see {REDIS_LOG}")
        time.sleep(0.05)


def configure(db: str, redis_port: int) -> None:
    """Production-like settings: DEBUG off, the bench database, the private Redis as broker and cache."""
    for name in ("TRIBUNE_DEMO", "TRIBUNE_TESTING", "DB_CONN_MAX_AGE", "OUTBOX_RESEND_AFTER_SECONDS"):
        os.environ.pop(name, None)
    os.environ.update({
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": "tribune-bench-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "EMAIL_URL": "dummy://", "LOG_LEVEL": "INFO",
        "DJANGO_SETTINGS_MODULE": "community.settings",
    })
    import django

    django.setup()
    import logging

    logging.getLogger("moderation").setLevel(logging.WARNING)  # this process: no line per check


def worker_queues() -> list[str]:
    """Every queue a task is routed to, as the integration harness computes it."""
    from django.conf import settings

    from community.events import QUEUES

    return sorted({settings.CELERY_TASK_DEFAULT_QUEUE, *QUEUES,
                   *(r["queue"] for r in settings.CELERY_TASK_ROUTES.values())})


def start_worker(concurrency: int) -> tuple[subprocess.Popen, list[str]]:
    from community.celery import app

    command = [sys.executable, "-m", "celery", "-A", "community", "worker", "--pool=prefork",
               f"--concurrency={concurrency}", "-Q", ",".join(worker_queues()), "--loglevel=INFO",
               "--hostname", f"bench-spam-{os.getpid()}@%h",
               "--without-mingle", "--without-gossip", "--without-heartbeat"]
    with WORKER_LOG.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            stop_worker(process)
            sys.exit(f"the Celery worker did not start: see {WORKER_LOG}")
        if re.search(r"\S+@\S+ ready\.", WORKER_LOG.read_text(errors="replace")):
            try:
                if app.control.ping(timeout=1.0):
                    return process, command
            except Exception:  # noqa: BLE001 - reconnecting
                pass
        time.sleep(0.1)


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --- data -----------------------------------------------------------------------------------------------

def train() -> tuple[list[dict], float]:
    from moderation.models import BayesStats, BayesToken
    from moderation.spam import bayes

    rows = [json.loads(line) for line in CORPUS.open(encoding="utf-8") if line.strip()]
    BayesToken.objects.all().delete()
    BayesStats.objects.all().delete()
    started = time.perf_counter()
    classifier = bayes.NaiveBayes()
    for row in rows:
        classifier.learn(row["text"], row["label"])
    return rows, time.perf_counter() - started


def make_members(count: int) -> list:
    """Established members (a long-standing account; tests.factories gives them their role)."""
    from django.utils import timezone

    from community.models import User
    from tests.factories import UserFactory

    members = [UserFactory(username=f"sw-{index:04d}") for index in range(count)]
    User.objects.filter(pk__in=[m.pk for m in members]).update(
        date_joined=timezone.now() - datetime.timedelta(days=400))
    for member in members:
        member.refresh_from_db()
    return members


def write_posts(forum, members, rows, count: int, offset: int) -> dict[int, str]:
    """`count` topics (their opening posts) with corpus texts; returns {post id: corpus label}."""
    from forums.services import create_topic

    labels = {}
    for index in range(offset, offset + count):
        row = rows[index % len(rows)]
        text = f"{row['text']} (#{index})"
        title = " ".join(row["text"].split()[:7])[:70] or f"Topic {index}"
        topic = create_topic(actor=members[index % len(members)], forum=forum, title=title, body=text)
        labels[topic.first_post_id] = row["label"]
    return labels


def pending_events(post_ids) -> list[int]:
    from community.events import CONTENT_CREATED
    from community.models import Event, EventStatus

    return list(Event.objects.filter(kind=CONTENT_CREATED, status=EventStatus.PENDING, target_id__in=list(post_ids),
                                     payload__kind="forums.post").order_by("pk").values_list("pk", flat=True))


def undecided(forum) -> int:
    from community.models import SpamStatus
    from forums.models import Post

    return Post.objects.filter(topic__forum=forum, spam_status=SpamStatus.PENDING).count()


def lock_waiters() -> int:
    """Sessions of the bench database waiting for a lock right now (row locks between deliveries)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def wait_decided(forum, *, timeout: float, worker, samples: list | None = None,
                 resent: dict | None = None) -> float:
    """Poll until no post of `forum` is pending; returns the clock then. With `samples`, each poll
    also appends how many sessions were waiting for a lock. With `resent`, a delivery that failed
    (its event still pending with an error: e.g. a deadlock) is published again at once, as the
    sweeper would after OUTBOX_RESEND_AFTER_SECONDS, and recorded in `resent` {event id: errors}."""
    from community.events import CONTENT_CREATED, queue_for
    from community.models import Event, EventStatus
    from community.tasks import deliver_event
    from forums.models import Post

    deadline = time.monotonic() + timeout
    retried: set[tuple[int, int]] = set()
    while undecided(forum):
        if samples is not None:
            samples.append(lock_waiters())
        failed = Event.objects.filter(
            kind=CONTENT_CREATED, status__in=[EventStatus.PENDING, EventStatus.FAILED], attempts__gt=0,
            target_id__in=Post.objects.filter(topic__forum=forum).values("pk"),
        ).exclude(last_error="").values_list("pk", "attempts", "last_error")  # counted but no error: in progress
        for event_id, attempts, error in failed:
            if resent is None:
                sys.exit(f"event {event_id} failed (attempt {attempts}): {error}")
            if (event_id, attempts) not in retried:
                retried.add((event_id, attempts))
                resent.setdefault(event_id, []).append(error.splitlines()[0] if error else "")
                deliver_event.apply_async(args=[event_id], queue=queue_for(CONTENT_CREATED))
        if worker.poll() is not None:
            sys.exit(f"the worker exited with {worker.returncode}: see {WORKER_LOG}")
        if time.monotonic() > deadline:
            sys.exit(f"timed out: {undecided(forum)} posts still pending after {timeout:.0f} s")
        time.sleep(POLL_SECONDS)
    return time.perf_counter()


def process_cpu(pid: int) -> int:
    """utime + stime of one process, in jiffies (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def our_processes(worker: subprocess.Popen, redis_pid: int) -> dict[str, list[int]]:
    """The processes of the measure: the worker's main process and pool, the PostgreSQL backends
    of the bench database (the worker's and this process's), Redis, this process."""
    from django.db import connection

    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(worker.pid)], capture_output=True,
                              text=True).stdout.split()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        backends = [row[0] for row in cursor.fetchall()]
    return {"worker main process": [worker.pid], "worker pool processes": [int(pid) for pid in children],
            "PostgreSQL backends": backends, "redis-server": [redis_pid], "this process (publish, poll)": [os.getpid()]}


def cpu_of(processes: dict[str, list[int]]) -> dict[str, int]:
    return {name: sum(process_cpu(pid) for pid in pids) for name, pids in processes.items()}


def sessions_opened() -> int:
    """Connections ever opened to the bench database (pg_stat_database.sessions, PostgreSQL 14+)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def verdicts(labels: dict[int, str]) -> dict:
    from community.events import CONTENT_CREATED
    from community.models import Event, EventStatus, Visibility
    from forums.models import Post
    from moderation.models import SpamCheck

    posts = dict(Post.objects.filter(pk__in=list(labels)).values_list("pk", "spam_status"))
    held = Post.objects.filter(pk__in=list(labels), status=Visibility.PENDING).count()
    checks = SpamCheck.objects.filter(kind="forums.post", object_id__in=list(labels))
    counts = {"spam": 0, "ham": 0, "pending": 0}
    agree = 0
    for pk, status in posts.items():
        counts[status] = counts.get(status, 0) + 1
        agree += status == labels[pk]
    events = Event.objects.filter(kind=CONTENT_CREATED, target_id__in=list(labels), payload__kind="forums.post")
    return {"verdicts": counts, "held": held, "spam_checks": checks.count(),
            "agree_with_corpus_label": agree,
            "corpus_labels": {"spam": sum(v == "spam" for v in labels.values()),
                              "ham": sum(v == "ham" for v in labels.values())},
            "events": {status: events.filter(status=status).count() for status in EventStatus.values}}


# --- the worker's log -----------------------------------------------------------------------------------

_STAMP = r"\[(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): \w+/[\w-]+\]"
RECEIVED = re.compile(_STAMP + r" Task community\.deliver_event\[(?P<id>[0-9a-f-]+)\] received")
FINISHED = re.compile(_STAMP + r" Task community\.deliver_event\[(?P<id>[0-9a-f-]+)\] "
                      r"(?P<state>succeeded|failed|raised|retry)(?: in (?P<seconds>[0-9.e-]+)s)?:? ?(?P<result>.*)$")


def _at(text: str) -> float:
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S,%f").timestamp()


def worker_side(task_ids: set[str]) -> dict:
    received, finished, runtimes, results = {}, {}, [], {}
    for line in WORKER_LOG.read_text(errors="replace").splitlines():
        if match := RECEIVED.search(line):
            if match["id"] in task_ids:
                received[match["id"]] = _at(match["at"])
        elif match := FINISHED.search(line):
            if match["id"] in task_ids:
                finished[match["id"]] = _at(match["at"])
                results[match["result"].strip()] = results.get(match["result"].strip(), 0) + 1
                if match["seconds"]:
                    runtimes.append(float(match["seconds"]))
    span = max(finished.values()) - min(received.values()) if received and finished else None
    return {"received": len(received), "finished": len(finished), "results": results,
            "span_seconds": span,
            "task_seconds_mean": statistics.fmean(runtimes) if runtimes else None,
            "task_seconds_median": statistics.median(runtimes) if runtimes else None,
            "task_seconds_p95": statistics.quantiles(runtimes, n=20)[-1] if len(runtimes) >= 20 else None}


# --- report ---------------------------------------------------------------------------------------------

def software() -> str:
    import celery
    import django

    pg = postgres_version()
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()
    redis_version = next((part for part in redis if part.startswith("v=")), "v=?")[2:]
    return (f"Python {platform.python_version()}, Django {django.get_version()}, Celery {celery.__version__}, "
            f"PostgreSQL {pg}, Redis {redis_version}")


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- main -----------------------------------------------------------------------------------------------

def main(argv=None) -> None:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    load_start = loadavg()
    fresh_database(args.db)
    redis_port = free_port()
    redis = start_redis(redis_port)
    workers: list[subprocess.Popen] = []
    try:
        configure(args.db, redis_port)
        report = run(args, redis_port, redis.pid, workers)
    finally:
        for worker in workers:
            stop_worker(worker)
        redis.terminate()
        redis.wait(timeout=10)
    report["load_end"] = loadavg()
    report["load_start"] = load_start
    (RESULTS / "spam_worker.json").write_text(json.dumps(report, indent=2))
    print_report(report)


def run(args, redis_port: int, redis_pid: int, workers: list) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community import events
    from community.tasks import deliver_event
    from tests.factories import ForumFactory

    queue = events.queue_for(events.CONTENT_CREATED)  # "spam": where the outbox and the sweeper send them

    started_at = datetime.datetime.now(datetime.UTC)
    call_command("migrate", verbosity=0)
    rows, learn_seconds = train()
    members = make_members(args.members)

    publish = events.enqueue
    events.enqueue = lambda *args, **kwargs: False  # hold the courier back while writing (as if Redis were down)
    try:
        measured_forum = ForumFactory(name="Spam worker bench", slug="spam-worker-bench")
        warm_forum = ForumFactory(name="Spam worker warm-up", slug="spam-worker-warm-up")
        baseline_forum = ForumFactory(name="Spam worker baseline", slug="spam-worker-baseline")
        write_started = time.perf_counter()
        labels = write_posts(measured_forum, members, rows, args.count, offset=0)
        write_seconds = time.perf_counter() - write_started
        warm = write_posts(warm_forum, members, rows, args.warm_up, offset=args.count)
        baseline = write_posts(baseline_forum, members, rows, args.baseline + 1, offset=args.count + args.warm_up)
    finally:
        events.enqueue = publish
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would do after such a load, done now

    # Baseline: this process alone, one delivery after another (no worker running yet).
    baseline_ids = pending_events(baseline)
    with CaptureQueriesContext(connection) as one:
        assert events.dispatch_event(baseline_ids[0]) == "done"
    in_process = None
    if args.baseline:
        clock = time.perf_counter()
        outcomes = [events.dispatch_event(event_id) for event_id in baseline_ids[1:]]
        in_process = {"posts": len(outcomes), "seconds": time.perf_counter() - clock,
                      "done": outcomes.count("done")}
        in_process["per_second"] = in_process["posts"] / in_process["seconds"]

    worker, command = start_worker(args.concurrency)
    workers.append(worker)
    for event_id in pending_events(warm):
        deliver_event.apply_async(args=[event_id], queue=queue)
    wait_decided(warm_forum, timeout=120, worker=worker, resent={})

    ids = pending_events(labels)
    assert len(ids) == args.count, (len(ids), args.count)
    load_before = loadavg()
    samples: list[int] = []
    resent: dict[int, list[str]] = {}
    processes = our_processes(worker, redis_pid)
    ours_before = cpu_of(processes)
    sessions_before = sessions_opened()
    cpu_before = cpu_times()
    clock = time.perf_counter()
    task_ids = {deliver_event.apply_async(args=[event_id], queue=queue).id for event_id in ids}
    published = time.perf_counter() - clock
    finished = wait_decided(measured_forum, timeout=args.timeout, worker=worker, samples=samples,
                            resent=resent)
    seconds = finished - clock
    cpu_after = cpu_times()
    ours_after = cpu_of(processes)
    load_during = loadavg()
    time.sleep(1.0)  # PostgreSQL's statistics are reported by each backend at its end, with a short delay
    sessions = sessions_opened() - sessions_before
    total_jiffies = max(1, cpu_after[1] - cpu_before[1])
    # Share of the machine's CPU capacity (all cores) used by each, during the measure.
    cpu_share = {name: (ours_after[name] - ours_before[name]) / total_jiffies for name in processes}
    cpu_share["everything else on the machine"] = max(
        0.0, (cpu_after[0] - cpu_before[0]) / total_jiffies - sum(cpu_share.values()))
    time.sleep(0.5)  # let the last "succeeded" lines reach the log

    report = {
        "date": started_at.strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "software": software(),
        "note": args.note, "database": args.db, "redis_port": redis_port,
        "worker_command": " ".join(command), "concurrency": args.concurrency, "members": args.members,
        "count": args.count, "corpus": len(rows), "learn_seconds": learn_seconds,
        "write_seconds": write_seconds, "publish_seconds": published, "seconds": seconds,
        "checks_per_second": args.count / seconds,
        "sql_per_delivery": len(one.captured_queries),
        "in_process": in_process, "worker": worker_side(task_ids),
        "load_before_measure": load_before, "load_at_end_of_measure": load_during,
        "cpu_busy_during_measure": (cpu_after[0] - cpu_before[0]) / max(1, cpu_after[1] - cpu_before[1]),
        "cpu_share_during_measure": cpu_share,
        "failed_deliveries_resent": resent,
        "database_connections_opened_during_measure": sessions,
        "polls": len(samples), "polls_with_a_lock_waiter": sum(1 for n in samples if n),
        **verdicts(labels),
    }
    return report


def print_report(r: dict) -> None:
    w = r["worker"]
    print(f"Run of {r['date']} on {r['machine']}; load average {r['load_start']} at start, "
          f"{r['load_before_measure']} before the measure, {r['load_at_end_of_measure']} at its end.")
    print(f"Software: {r['software']}.")
    if r["note"]:
        print(f"Note: {r['note']}")
    print(f"Classifier trained on {r['corpus']} texts in {r['learn_seconds']:.1f} s; {r['count']} posts written "
          f"in {r['write_seconds']:.1f} s (not measured), by {r['members']} members.")
    print(f"Worker: {r['worker_command']}")
    print(f"REAL WORKER: {r['count']} content.created deliveries, {r['seconds']:.2f} s wall from the first "
          f"publish to the last decided post -> {r['checks_per_second']:.1f} checks/s "
          f"(publishing the {r['count']} tasks took {r['publish_seconds']:.2f} s of it)")
    if w["span_seconds"]:
        print(f"  worker log: {w['received']} received, {w['finished']} finished {w['results']}, "
              f"first received -> last finished {w['span_seconds']:.2f} s "
              f"({w['finished'] / w['span_seconds']:.1f}/s); task run time mean "
              f"{w['task_seconds_mean'] * 1000:.1f} ms, median {w['task_seconds_median'] * 1000:.1f} ms"
              + (f", p95 {w['task_seconds_p95'] * 1000:.1f} ms" if w["task_seconds_p95"] else ""))
    if r["in_process"]:
        p = r["in_process"]
        print(f"IN PROCESS (baseline, one process, no worker): {p['posts']} dispatch_event in {p['seconds']:.2f} s "
              f"-> {p['per_second']:.1f} checks/s ({p['done']} done)")
    print(f"SQL queries of one delivery (in process): {r['sql_per_delivery']}; machine CPU busy during the "
          f"measure: {r['cpu_busy_during_measure']:.0%}; a session waiting for a lock in "
          f"{r['polls_with_a_lock_waiter']} of {r['polls']} polls")
    print(f"PostgreSQL connections opened during the measure: {r['database_connections_opened_during_measure']}")
    print("Share of the machine's CPU (all cores) during the measure: "
          + ", ".join(f"{name} {share:.0%}" for name, share in r["cpu_share_during_measure"].items()))
    if r["failed_deliveries_resent"]:
        errors = [e for errs in r["failed_deliveries_resent"].values() for e in errs]
        kinds = {e: errors.count(e) for e in set(errors)}
        print(f"FAILED DELIVERIES during the measure, published again at once (the sweeper would wait "
              f"OUTBOX_RESEND_AFTER_SECONDS): {len(errors)} ({kinds})")
    v = r["verdicts"]
    print(f"Verdicts: {v.get('spam', 0)} spam, {v.get('ham', 0)} ham, {v.get('pending', 0)} pending; "
          f"{r['held']} held; {r['spam_checks']} SpamCheck rows; events {r['events']}; "
          f"verdict = corpus label for {r['agree_with_corpus_label']} of {r['count']} "
          f"(corpus labels: {r['corpus_labels']['spam']} spam, {r['corpus_labels']['ham']} ham)")


if __name__ == "__main__":
    main()
