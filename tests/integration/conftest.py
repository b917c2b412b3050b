"""The integration layer: PostgreSQL, a private Redis server and a real Celery worker process.

Nothing here runs in-process or eagerly (REDIS_URL is set, so settings wire Celery to Redis).
Session fixtures, in order:

1. `postgres`: DATABASE_URL must be a reachable PostgreSQL server, else every test is skipped
   with the reason; then pytest-django creates the test database (test_<name>).
2. `redis_server`: starts the session's OWN redis-server on the port of REDIS_URL (6391 in the
   Makefile), never the machine's shared Redis, so that a test can stop and restart it.
3. `worker_mail`: a real SMTP server on loopback (aiosmtpd, a free port) that keeps what it
   receives; `worker_mail.to(address)` reads it back.
4. `celery_worker`: `celery -A community worker` as a subprocess on the TEST database, consuming
   every queue tasks are routed to (default, email, …), sending email by SMTP to `worker_mail`
   (EMAIL_URL=smtp://127.0.0.1:<port>); ready once it answers a ping. Stopped (warm shutdown) at
   the end of the session, before the test database is dropped.

Every test runs on `transactional_db`: writes are really committed, so the worker sees them, and
tables are flushed afterwards (the worker closes its connections after each task:
DB_CONN_MAX_AGE=0). Logs land in artifacts/integration/ (named after the database) and a failing
test shows their tails.
Run it with `make test-integration`.
"""

from __future__ import annotations

import os
import shutil
import sys
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection

from community.events import QUEUES

from .harness import PgMonitor, RedisServer, SmtpSink, Worker, tail

BASE_DIR = Path(settings.BASE_DIR)
ARTIFACTS = BASE_DIR / "artifacts" / "integration"
# Named after the database, so that two sessions on different databases and ports (two people on
# one machine) never write into each other's logs, which the harness reads back.
_RUN = Path(str(settings.DATABASES["default"].get("NAME") or "default")).name
WORKER_LOG = ARTIFACTS / f"worker-{_RUN}.log"
REDIS_LOG = ARTIFACTS / f"redis-{_RUN}.log"
# Every queue a task may be routed to (emails go to "email"): one worker consumes them all.
# Every queue a task can land on: the routed tasks' and the outbox's (community.events.QUEUES).
WORKER_QUEUES = tuple(sorted({settings.CELERY_TASK_DEFAULT_QUEUE, *QUEUES,
                              *(route["queue"] for route in settings.CELERY_TASK_ROUTES.values())}))

# The logs this session wrote: a failing test shows their tails (an older run's are not news).
_SESSION_LOGS: dict[str, Path] = {}
# The session's processes once started ("redis", "worker"), for fixtures that do not start them.
_RUNNING: dict[str, object] = {}


# --- PostgreSQL -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres():
    """Skip the layer, saying why, unless DATABASE_URL is a reachable PostgreSQL server."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            f"DATABASE_URL is not PostgreSQL (engine {db['ENGINE']}): the integration layer needs "
            "PostgreSQL; run `make test-integration`"
        )
    host, port = db.get("HOST") or "localhost", db.get("PORT") or 5432
    try:
        conn = psycopg.connect(
            host=host, port=port, user=db.get("USER") or None, password=db.get("PASSWORD") or None,
            dbname="postgres", connect_timeout=3,
        )
    except psycopg.Error as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        pytest.skip(f"PostgreSQL not reachable at {host}:{port} ({reason})")
    conn.close()
    return db


@pytest.fixture(scope="session")
def django_db_setup(postgres, django_db_setup):
    """pytest-django's test database, created only once PostgreSQL is known to be there."""
    yield


@pytest.fixture
def pg_monitor(transactional_db):
    """A second connection to the test database, outside the test's own transaction."""
    params = {key: value for key, value in connection.get_connection_params().items()
              if key not in {"cursor_factory", "context", "prepare_threshold"}}
    with psycopg.connect(autocommit=True, **params) as conn:
        yield PgMonitor(conn)


# --- Redis ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server():
    """The session's private redis-server on the port of REDIS_URL; never the shared one."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the integration layer starts a private redis-server on "
                    "its port; run `make test-integration`")
    parts = urlsplit(settings.REDIS_URL)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    if host not in {"127.0.0.1", "localhost"}:
        pytest.skip(f"REDIS_URL points to {host}: the integration layer needs a local port it owns")
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server binary not found on PATH (apt-get install redis-server)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    REDIS_LOG.write_text("")
    _SESSION_LOGS["redis-server log (tail)"] = REDIS_LOG
    server = RedisServer(binary, "127.0.0.1", port, REDIS_LOG)
    server.start()
    _RUNNING["redis"] = server
    yield server
    _RUNNING.pop("redis", None)
    server.stop()


# --- the Celery worker and its email ------------------------------------------------------------------


@pytest.fixture(scope="session")
def worker_mail():
    """The SMTP sink the worker sends its email to (a free port on loopback), for the session."""
    sink = SmtpSink("127.0.0.1")
    sink.start()
    yield sink
    sink.stop()


def worker_database_url() -> str:
    """DATABASE_URL with the test database's name (pytest-django renamed it during setup)."""
    test_name = settings.DATABASES["default"]["NAME"]
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{test_name}"))


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, redis_server, worker_mail):
    """A real worker on the test database, with two pool processes so deliveries can overlap."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DB_CONN_MAX_AGE": "0",  # no idle connection left between tests (tables are flushed)
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": worker_mail.url,
        "TRIBUNE_TESTING": "1",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "community", "worker",
        "--pool=prefork", "--concurrency=2", "-Q", ",".join(WORKER_QUEUES), "--loglevel=INFO",
        "--hostname", f"tribune-it-{os.getpid()}@%h",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _SESSION_LOGS["celery worker log (tail)"] = WORKER_LOG
    worker = Worker(command, env=env, cwd=BASE_DIR, log_path=WORKER_LOG, queues=WORKER_QUEUES)
    try:
        worker.start()
        _RUNNING["worker"] = worker
        yield worker
    finally:
        _RUNNING.pop("worker", None)
        worker.stop()


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The role groups come from a data migration, and an earlier transactional test's flush
    removed them (post_migrate brings back permissions, not groups): put them back, so that
    members may post."""
    for name, dotted in import_module("community.migrations.0002_roles").ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([Permission.objects.get(content_type__app_label=app_label, codename=codename)
                               for app_label, codename in (perm.split(".") for perm in dotted)])


@pytest.fixture(autouse=True)
def _integration(transactional_db, redis_server, celery_worker, settings):
    """Every integration test: live commits, Redis up and the worker consuming at the start."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast signups
    if not redis_server.running:  # a previous test stopped it and failed before restarting it
        redis_server.start()
        celery_worker.wait_until_consuming()
    celery_worker.check_alive()


@pytest.fixture(autouse=True)
def _worker_idle_before_flush(transactional_db):
    """At the end of every test (also those overriding `_integration`), wait until the session's
    worker, if one runs, is idle before the tables are flushed: a task still writing would
    deadlock with the flush's TRUNCATE, or write into the next test."""
    yield
    worker, redis_server = _RUNNING.get("worker"), _RUNNING.get("redis")
    if worker is not None and worker.alive and redis_server is not None:
        worker.wait_until_idle(redis_server)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in {"setup", "call"}:
        for title, path in _SESSION_LOGS.items():
            report.sections.append((title, tail(path, 60 if path == WORKER_LOG else 20)))
