"""Real server processes for tests: gunicorn on a free port, with its own instance folder."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVER_SECRET = "server-test-secret-key-long-enough-to-serve-with"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(instance: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETWORK_")}
    env.update(
        NETWORK_INSTANCE_PATH=str(instance),
        NETWORK_SECRET_KEY=SERVER_SECRET,
        NETWORK_LOG_LEVEL="info",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def flask_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `flask --app network ARGS` as an operator would, in a separate process."""
    return subprocess.run(
        [str(BIN / "flask"), "--app", "network", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def api_token(server: Server, tmp_path: Path, handle: str) -> str:
    """A new member made by `flask create-user` on the server's database, and a token of theirs."""
    secret = tmp_path / f"{handle}.pw"
    secret.write_text("a long and quiet river\n")
    made = flask_command(
        server.env,
        "create-user",
        f"{handle}@example.com",
        "--handle",
        handle,
        "--password-file",
        str(secret),
    )
    assert made.returncode == 0, made.stderr
    result = flask_command(server.env, "create-token", f"{handle}@example.com", "--name", "test")
    return result.stdout.strip()


def start_gunicorn(
    env: dict[str, str],
    log_path: Path,
    *,
    threads: int = 20,
    wait: bool = True,
    app_path: str = "wsgi:app",
) -> Server:
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "--worker-class",
        "gthread",
        "--workers",
        "1",
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--graceful-timeout",
        "5",
        app_path,
    ]
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path, env=env)
    if wait:
        _wait_until_up(server)
    return server


# Generous: on a loaded 2-core machine (two test workers, each starting servers) importing the
# app alone has taken 25 s; a server that fails exits at once and is reported then.
START_TIMEOUT = 60.0


def wait_until_up(server: Server, timeout: float = START_TIMEOUT) -> None:
    """Wait for a server started with wait=False to answer /healthz."""
    _wait_until_up(server, timeout)


def _wait_until_up(server: Server, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{server.log()}")
        try:
            if requests.get(server.url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{server.log()}")


@pytest.fixture
def gunicorn_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start real gunicorn processes: `serve(**env)`; each gets a migrated SQLite database.

    Pass NETWORK_* overrides as keyword arguments; `migrate=False` skips the
    schema, `wait=False` returns before the server answers (to test refusals).
    """
    servers: list[Server] = []

    def serve(*, migrate: bool = True, wait: bool = True, threads: int = 20, **overrides: str):
        instance = tmp_path / f"instance-{len(servers)}"
        instance.mkdir()
        env = server_env(instance, **overrides)
        if migrate:
            result = flask_command(env, "db", "upgrade")
            assert result.returncode == 0, result.stderr
        server = start_gunicorn(env, instance / "gunicorn.log", threads=threads, wait=wait)
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.stop()


def wait_for(check: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    """Poll `check` until it returns something true; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"within {timeout} s: {what}")


def crash(server: Server) -> None:
    """kill -9 the worker, then its master (which would otherwise start another)."""
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        os.kill(int(pid), signal.SIGKILL)
    server.stop(signal.SIGKILL)


def signed_in(server: Server, login: str, password: str) -> requests.Session:
    """A browser session signed in on the server through its sign-in form."""
    browser = requests.Session()
    page = browser.get(server.url + "/signin", timeout=10).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = browser.post(
        server.url + "/signin",
        data={"login": login, "password": password, "csrf_token": csrf},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:300]
    return browser
