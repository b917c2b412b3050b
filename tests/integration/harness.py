"""The processes the integration layer drives: redis-server, the Celery worker, the SMTP sink
that receives the worker's email, plus small polling helpers. Fixtures wiring them live in conftest.py."""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest


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


# --- redis-server -----------------------------------------------------------------------------------


class RedisServer:
    """A redis-server process owned by the test session; `stop()`/`start()` simulate an outage."""

    START_TIMEOUT = 10

    def __init__(self, binary: str, host: str, port: int, log_path: Path):
        self.binary, self.host, self.port, self.log_path = binary, host, port, log_path
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def client(self):
        import redis

        return redis.Redis(host=self.host, port=self.port, socket_timeout=1, socket_connect_timeout=1)

    def ping(self) -> bool:
        import redis

        client = self.client()
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

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
        deadline = time.monotonic() + self.START_TIMEOUT
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


# --- the worker's email -----------------------------------------------------------------------------


def free_port(host: str) -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd, in a thread of the test process) that keeps every
    message it is sent: the worker's EMAIL_URL points at it, so email goes through Django's SMTP
    backend exactly as in production."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host, self.port = host, port or free_port(host)
        self._received: list[tuple[tuple[str, ...], EmailMessage]] = []
        self._lock = threading.Lock()
        self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self._received.append((tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self._lock:
            self._received.clear()

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [message for _recipients, message in self._received]

    def to(self, address: str, subject_contains: str = "") -> list[EmailMessage]:
        """Messages whose envelope went to `address` and whose subject contains the text."""
        with self._lock:
            received = list(self._received)
        return [message for recipients, message in received
                if address in recipients and subject_contains in str(message["Subject"])]


# --- the Celery worker --------------------------------------------------------------------------------


@dataclass
class TaskRun:
    task_id: str
    state: str  # succeeded / failed / raised / retry
    result: str  # as the worker logs it: the repr of the return value ('done', 1, …)


class Worker:
    """`celery -A community worker`, a real process consuming from the private Redis."""

    TASK_LINE = re.compile(r"Task (?P<name>[\w.]+)\[(?P<id>[0-9a-f-]+)\] "
                           r"(?P<state>succeeded|failed|raised|retry)[^:]*:? ?(?P<result>.*)$")
    READY_LINE = re.compile(r"\S+@\S+ ready\.")
    RECEIVED_LINE = re.compile(r"Task (?P<name>[\w.]+)\[(?P<id>[0-9a-f-]+)\] received")

    def __init__(self, command: list[str], *, env: dict[str, str], cwd: Path, log_path: Path,
                 queues: tuple[str, ...]):
        self.command, self.env, self.cwd, self.log_path, self.queues = command, env, cwd, log_path, queues
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        with self.log_path.open("wb") as log:
            # Its own session: at the end, the pool children can be killed with it if need be.
            self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while not self.READY_LINE.search(self.log()):
            if not self.alive or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not become ready:\n{tail(self.log_path)}")
            time.sleep(0.1)
        self.wait_until_consuming(timeout=timeout)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def check_alive(self) -> None:
        if not self.alive:
            code = self.process.returncode if self.process else None
            pytest.fail(f"the Celery worker exited with {code}:\n{tail(self.log_path)}")

    def stop(self) -> None:
        if not self.alive:
            return
        self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current tasks
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the worker's own process group
            self.process.wait(timeout=5)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def runs(self) -> dict[str, TaskRun]:
        """Every task the worker finished so far, by task id, read from its log."""
        runs = {}
        for line in self.log().splitlines():
            match = self.TASK_LINE.search(line)
            if match:
                runs[match["id"]] = TaskRun(match["id"], match["state"], match["result"].strip())
        return runs

    def wait_for_tasks(self, *task_ids: str, timeout: float = 20) -> list[TaskRun]:
        """Wait until the worker has finished every task in `task_ids`; their runs, in order."""

        def finished():
            self.check_alive()
            runs = self.runs()
            return [runs[i] for i in task_ids] if all(i in runs for i in task_ids) else None

        return wait_for(finished, timeout=timeout, message=f"the worker to run tasks {task_ids}")

    def wait_until_idle(self, redis_server: RedisServer, timeout: float = 30) -> None:
        """Wait until the worker's queues are empty and every task it received has finished, twice
        in a row (so that no task is still writing when the test's tables are flushed)."""
        import redis

        client = redis_server.client() if redis_server.running else None
        calm = []

        def queued() -> int:
            if client is None:
                return 0
            try:
                return sum(client.llen(queue) for queue in self.queues)
            except redis.RedisError:
                return 0

        def idle():
            self.check_alive()
            received = {match["id"] for match in self.RECEIVED_LINE.finditer(self.log())}
            calm.append(not queued() and received <= set(self.runs()))
            return calm[-2:] == [True, True]

        try:
            wait_for(idle, timeout=timeout, interval=0.2, message="the worker to finish its tasks")
        finally:
            if client is not None:
                client.close()

    def ping(self, timeout: float = 1.0) -> bool:
        """True when the worker answers a broadcast: it is connected and consuming."""
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
        """After a Redis restart: wait until the worker has reconnected and declared its queues
        again (kombu keeps each binding in `_kombu.binding.<exchange>`, named after the queue).
        Watched with a plain Redis client, so that the app's own broker connections in this
        process are left as they are."""
        import redis

        client = redis_server.client()

        def declared():
            self.check_alive()
            try:
                return client.exists(*(f"_kombu.binding.{queue}" for queue in self.queues)) == len(self.queues)
            except redis.RedisError:
                return False

        try:
            wait_for(declared, timeout=timeout, interval=0.2,
                     message="the Celery worker to reconnect to Redis and declare its queues")
        finally:
            client.close()


# --- PostgreSQL, seen from outside the test's transaction ------------------------------------------


class PgMonitor:
    """A second, autocommit connection to the test database, to watch the worker's sessions."""

    def __init__(self, conn):
        self.conn = conn

    def sessions_waiting_for_lock(self, query_like: str) -> int:
        (count,) = self.conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query ILIKE %s",
            (query_like,),
        ).fetchone()
        return count
