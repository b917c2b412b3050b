"""The integration layer: PostgreSQL, a private Redis server and a real Celery worker process.

Nothing here runs in-process or eagerly. The session:

1. checks that DATABASE_URL is PostgreSQL and reachable (else skips, saying why), then lets
   pytest-django create the test database (test_<name>);
2. starts its OWN redis-server on the port of REDIS_URL (never the machine's shared Redis), so a
   test can stop it and start it again to simulate a broker outage;
3. starts `celery -A community worker` as a subprocess on the TEST database, with email written
   to files (EMAIL_URL=file://…) that the tests read back;
4. tests use `transactional_db`: every write is really committed, so the worker sees it.

Logs land in artifacts/integration/ (worker.log, redis.log); a failing test shows their tails.
Run it with `make test-integration`.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
ARTIFACTS = BASE_DIR / "artifacts" / "integration"
WORKER_LOG = ARTIFACTS / "worker.log"
REDIS_LOG = ARTIFACTS / "redis.log"
DEFAULT_MAIL_DIR = ARTIFACTS / "mail"

WORKER_START_TIMEOUT = 60
REDIS_START_TIMEOUT = 10
# The logs this session wrote (a failing test shows their tails; older runs' logs are not news).
_SESSION_LOGS: dict[str, Path] = {}


# --- helpers --------------------------------------------------------------------------------------


def wait_for(predicate, *, timeout: float, interval: float = 0.1, message: str = "condition"):
    """Poll `predicate()` until it returns something truthy; return that, or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {message}")
        time.sleep(interval)


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"({path} not readable)"
    return "\n".join(text.splitlines()[-lines:])


def port_is_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


# --- PostgreSQL -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres():
    """Skip the layer (saying why) unless DATABASE_URL is a reachable PostgreSQL server."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            f"DATABASE_URL is not PostgreSQL (engine {db['ENGINE']}): the integration layer needs "
            "PostgreSQL; run `make test-integration`"
        )
    import psycopg

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


# --- Redis (private server) -----------------------------------------------------------------------


class RedisServer:
    """A redis-server process owned by the test session; `stop()`/`start()` simulate an outage."""

    def __init__(self, binary: str, host: str, port: int, log_path: Path):
        self.binary, self.host, self.port, self.log_path = binary, host, port, log_path
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(host=self.host, port=self.port, socket_timeout=0.5,
                                    socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        assert not self.running, "redis-server already running"
        if port_is_open(self.host, self.port):
            pytest.fail(
                f"port {self.host}:{self.port} (from REDIS_URL) is already in use: the integration "
                "layer starts its own redis-server there so that it can stop it; is another "
                "integration run going on? Pick a free port in REDIS_URL."
            )
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", self.host, "--save", "",
                 "--appendonly", "no", "--daemonize", "no"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + REDIS_START_TIMEOUT
        while not self.ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"redis-server did not start on port {self.port}:\n{tail(self.log_path)}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None


@pytest.fixture(scope="session")
def redis_server():
    """Start a private redis-server on the port of REDIS_URL (e.g. 6391), never the shared one."""
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
    server = RedisServer(binary, "127.0.0.1" if host == "localhost" else host, port, REDIS_LOG)
    server.start()
    yield server
    server.stop()


# --- email written by the worker -------------------------------------------------------------------


class MailDir:
    """The messages the worker's file email backend wrote (one file per connection, or more)."""

    SEPARATOR = b"\n" + b"-" * 79 + b"\n"

    def __init__(self, path: Path):
        self.path = path

    def clear(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for file in self.path.glob("*.log"):
            file.unlink()

    def messages(self) -> list[EmailMessage]:
        found = []
        for file in sorted(self.path.glob("*.log")):
            for chunk in file.read_bytes().split(self.SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def to(self, address: str, subject_contains: str = "") -> list[EmailMessage]:
        return [
            message for message in self.messages()
            if address in str(message["To"]) and subject_contains in str(message["Subject"])
        ]


@pytest.fixture(scope="session")
def worker_mail():
    path = Path(getattr(settings, "EMAIL_FILE_PATH", None) or DEFAULT_MAIL_DIR)
    mail_dir = MailDir(path)
    mail_dir.clear()
    return mail_dir


# --- the Celery worker process --------------------------------------------------------------------


@dataclass
class TaskRun:
    task_id: str
    state: str  # succeeded / failed / raised …
    result: str


class Worker:
    """`celery -A community worker`, a real process consuming from the private Redis."""

    TASK_LINE = re.compile(r"Task (?P<name>[\w.]+)\[(?P<id>[0-9a-f-]+)\] (?P<state>succeeded|failed|raised"
                           r"|retry)[^:]*:? ?(?P<result>.*)$")

    def __init__(self, process: subprocess.Popen, log_path: Path):
        self.process, self.log_path = process, log_path

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def runs(self) -> dict[str, TaskRun]:
        """Every task the worker finished so far, by task id, from its log."""
        runs = {}
        for line in self.log().splitlines():
            match = self.TASK_LINE.search(line)
            if match:
                runs[match["id"]] = TaskRun(match["id"], match["state"], match["result"].strip())
        return runs

    def wait_for_tasks(self, *task_ids: str, timeout: float = 20) -> list[TaskRun]:
        """Wait until the worker has finished every task in `task_ids`; return their runs in order."""

        def finished():
            self.check_alive()
            runs = self.runs()
            return [runs[i] for i in task_ids] if all(i in runs for i in task_ids) else None

        return wait_for(finished, timeout=timeout, message=f"the worker to run tasks {task_ids}")

    def ping(self, timeout: float = 1.0) -> bool:
        """True once the worker answers a broadcast: it is connected and consuming."""
        from community.celery import app

        try:
            return bool(app.control.ping(timeout=timeout))
        except Exception:  # broker down or reconnecting
            return False

    def wait_until_consuming(self, timeout: float = 30) -> None:
        def answers():
            self.check_alive()
            return self.ping()

        wait_for(answers, timeout=timeout, interval=0.2, message="the Celery worker to answer a ping")

    def wait_until_queue_declared(self, redis_server: RedisServer, timeout: float = 30) -> None:
        """After a Redis restart: wait until the worker has reconnected and declared its queue
        again (kombu keeps the queue's binding in `_kombu.binding.<exchange>`). Checked with a
        plain Redis client, so that the app's own broker connections are left as they are."""
        import redis

        client = redis.Redis(host=redis_server.host, port=redis_server.port, socket_timeout=1)

        def declared():
            self.check_alive()
            try:
                return client.exists(f"_kombu.binding.{settings.CELERY_TASK_DEFAULT_QUEUE}")
            except redis.RedisError:
                return False

        try:
            wait_for(declared, timeout=timeout, interval=0.2,
                     message="the Celery worker to reconnect to Redis and declare its queue")
        finally:
            client.close()

    def check_alive(self) -> None:
        if not self.alive:
            pytest.fail(f"the Celery worker exited with {self.process.returncode}:\n{tail(self.log_path)}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own process group (pool children)
                self.process.wait(timeout=5)


def worker_database_url() -> str:
    """DATABASE_URL with the test database's name (pytest-django renamed it during setup)."""
    test_name = settings.DATABASES["default"]["NAME"]
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{test_name}"))


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, redis_server, worker_mail):
    """A real worker on the test database; two pool processes, so that deliveries can overlap."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DB_CONN_MAX_AGE": "0",  # close connections after each task: tests flush tables between them
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"file://{worker_mail.path}",
        "TRIBUNE_TESTING": "1",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "community", "worker",
        "--pool=prefork", "--concurrency=2", "-Q", "default", "--loglevel=INFO",
        "--hostname", f"tribune-it-{os.getpid()}@%h",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _SESSION_LOGS["celery worker log (tail)"] = WORKER_LOG
    with WORKER_LOG.open("wb") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    worker = Worker(process, WORKER_LOG)
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not re.search(r"\S+@\S+ ready\.", worker.log()):
            if not worker.alive or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not become ready:\n{tail(WORKER_LOG)}")
            time.sleep(0.1)
        worker.wait_until_consuming(timeout=WORKER_START_TIMEOUT)
        yield worker
    finally:
        worker.stop()


@pytest.fixture(autouse=True)
def _integration(request, transactional_db, redis_server, celery_worker, settings):
    """Every integration test: live commits, Redis up and the worker consuming at the start."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast signups
    if not redis_server.running:  # a previous test stopped it and failed before restarting it
        redis_server.start()
        celery_worker.wait_until_consuming()
    celery_worker.check_alive()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in {"setup", "call"}:
        for title, path in _SESSION_LOGS.items():
            report.sections.append((title, tail(path, 60 if path == WORKER_LOG else 20)))
