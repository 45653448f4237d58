"""What the fault tests start and break: a private redis-server and PostgreSQL cluster, a
client that heals as the browser's conversation.js does, and a kill -9 of a gunicorn."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
import socketio

from tests.support.servers import free_port, wait_for


class PrivateRedis:
    """A redis-server of the test's own on a free port, with nothing saved to disk."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_for(lambda: _pings(client), f"redis-server answers on port {self.port}")
        client.close()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _pings(client: Any) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # not up yet, whatever the error
        return False


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb, trust auth, a free port).

    PostgreSQL refuses to run as root: under root its folder belongs to the
    `postgres` account and its commands run through runuser.
    """

    folder: Path
    port: int
    binaries: Path
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_user, *command],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def start(self) -> None:
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "postgres.log"),
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-m",
            "fast",
            "-w",
            "stop",
        )

    def restart(self) -> None:
        """pg_ctl restart -m fast, in two steps so that the server logs to its file (a
        restarted server would hold our output pipe open)."""
        self.stop()
        self.start()

    def remove(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                *(str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data")),
                *("-m", "immediate", "stop"),
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def private_postgres() -> PrivatePostgres | str:
    """A new stopped cluster, or why there cannot be one here."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        return "PostgreSQL's initdb absent (no /usr/lib/postgresql/*/bin/initdb)"
    binaries = Path(found[-1]).parent
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="faults-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            return "running as root with no postgres account to run initdb as"
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = PrivatePostgres(folder, free_port(), binaries, as_user)
    cluster._run(
        str(binaries / "initdb"),
        "-D",
        str(folder / "data"),
        "-U",
        "postgres",
        "--auth=trust",
        "--no-sync",
        "-E",
        "UTF8",
        timeout=120,
    )
    return cluster


class Follower:
    """A post page's live conversation, as static/js/conversation.js keeps it.

    It applies comment events strictly in n order (an early one waits for the
    missing ones), drops what it has, and sends `subscribe {"after": last n}` on
    every (re)connect and every `resync` seconds (the browser: 30). When its
    process goes away it connects to the next address, as nginx would send it.
    """

    EVENTS = ("comment", "comment_updated", "comment_deleted")

    def __init__(self, urls: list[str], post_id: int, *, resync: float) -> None:
        self.urls = urls
        self.post_id = post_id
        self.resync = resync
        self.last_n = 0
        self.applied: list[dict[str, Any]] = []
        self.pending: dict[int, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.connections: list[str] = []  # the address of each connection made
        self.stopped = threading.Event()
        self.client = self._connect()
        self.thread = threading.Thread(target=self._keep_up, daemon=True)
        self.thread.start()

    def _connect(self) -> socketio.Client:
        last_error: Exception | None = None
        for url in self.urls:
            client = socketio.Client(reconnection=False)
            for name in self.EVENTS:
                client.on(name, self._receive)
            try:
                client.connect(url, transports=["websocket"], wait_timeout=5)
            except socketio.exceptions.ConnectionError as error:
                last_error = error
                continue
            self.connections.append(url)
            self.client = client
            self._subscribe()
            return client
        raise AssertionError(f"no server took the connection: {last_error}")

    def _subscribe(self) -> None:
        with self.lock:
            after = self.last_n
        # A lost socket or an unanswered call: the next turn reconnects or asks again.
        with suppress(socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
            self.client.call("subscribe", {"post_id": self.post_id, "after": after}, timeout=5)

    def _receive(self, body: dict[str, Any]) -> None:
        with self.lock:
            if body.get("post_id") != self.post_id or body["n"] <= self.last_n:
                return
            self.pending[body["n"]] = body
            while self.last_n + 1 in self.pending:  # only in order, never across a gap
                self.applied.append(self.pending.pop(self.last_n + 1))
                self.last_n += 1

    def _keep_up(self) -> None:
        last = time.monotonic()
        while not self.stopped.wait(0.1):
            if not self.client.connected:
                try:
                    self._connect()
                except AssertionError:
                    continue
                last = time.monotonic()
            elif time.monotonic() - last >= self.resync:
                self._subscribe()
                last = time.monotonic()

    def bodies(self) -> list[str]:
        with self.lock:
            return [event["body"] for event in self.applied]

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        if self.client.connected:
            self.client.disconnect()
