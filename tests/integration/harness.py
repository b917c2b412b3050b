"""The processes and files the integration layer drives: redis-server, the Celery worker, the
worker's email output, plus small polling helpers. Fixtures wiring them live in conftest.py."""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import socket
import subprocess
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


class MailDir:
    """The messages written by Django's file email backend (one file per connection; a file may
    hold several messages, separated by a line of 79 dashes)."""

    SEPARATOR = b"\n" + b"-" * 79 + b"\n"
    FILE_NAME = re.compile(r"^\d{8}-\d{6}-\d+\.log$")  # the backend's naming, nothing else

    def __init__(self, path: Path):
        self.path = path

    def files(self) -> list[Path]:
        return sorted(p for p in self.path.glob("*.log") if self.FILE_NAME.match(p.name))

    def clear(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for file in self.files():
            file.unlink()

    def messages(self) -> list[EmailMessage]:
        found = []
        for file in self.files():
            for chunk in file.read_bytes().split(self.SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def to(self, address: str, subject_contains: str = "") -> list[EmailMessage]:
        return [
            message for message in self.messages()
            if address in str(message["To"]) and subject_contains in str(message["Subject"])
        ]


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

    def __init__(self, command: list[str], *, env: dict[str, str], cwd: Path, log_path: Path,
                 queue: str):
        self.command, self.env, self.cwd, self.log_path, self.queue = command, env, cwd, log_path, queue
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
        """After a Redis restart: wait until the worker has reconnected and declared its queue
        again (kombu keeps the binding in `_kombu.binding.<exchange>`). Watched with a plain Redis
        client, so that the app's own broker connections in this process are left as they are."""
        import redis

        client = redis_server.client()

        def declared():
            self.check_alive()
            try:
                return client.exists(f"_kombu.binding.{self.queue}")
            except redis.RedisError:
                return False

        try:
            wait_for(declared, timeout=timeout, interval=0.2,
                     message="the Celery worker to reconnect to Redis and declare its queue")
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
