"""gevent mode as deployed: `gunicorn -c gunicorn.conf.py` with NETWORK_ASYNC_MODE=gevent.

A real gunicorn process, its gevent worker monkey-patching the standard library
before it imports the app. What a request does there (SQLite or PostgreSQL through
psycopg, argon2 at sign-in, Pillow on an upload, the Redis registry's heartbeat
greenlet) works patched; a comment POSTed over HTTP reaches a subscribed socket;
and sockets hold no thread: with the sizes made for 20 expected sockets (a
threading server would have 52 threads), 200 open sockets all hear a comment while
plain HTTP still answers at once.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests
import socketio
import websocket
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from network import create_app
from network.accounts import members, tokens
from network.extensions import db
from network.extensions import socketio as server_socketio
from network.models import Role
from network.posts import service as posts
from tests.support.servers import (
    BIN,
    PROJECT_ROOT,
    Server,
    flask_command,
    free_port,
    server_env,
    signed_in,
    wait_for,
    wait_until_up,
)

pytest.importorskip("gevent", reason="gevent absent: install the gevent extra")

pytestmark = pytest.mark.slow

POSTGRES_URL = os.environ.get("NETWORK_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("NETWORK_TEST_REDIS_URL")
PASSWORD = "a long and quiet river"
EXPECTED_SOCKETS = 20  # gevent sizes from it; threading would give 20 + 32 threads
OPEN_SOCKETS = 200


@dataclass
class Deployment:
    server: Server
    post_id: int
    writer_token: str  # a member's API token
    reader_email: str  # a member who signs in with PASSWORD


def _seed(database_url: str, instance: Path) -> tuple[int, str, str]:
    """A public post, a writer with a token and a reader with a password, in-process."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "seed-only-secret-key-long-enough-for-the-checks",
            "INSTANCE_PATH": str(instance),
        }
    )
    with app.app_context():
        writer = members.create_member(
            email="writer@example.com", handle="writer", password=PASSWORD, role=Role.customer
        )
        members.create_member(
            email="reader@example.com", handle="reader", password=PASSWORD, role=Role.customer
        )
        token = tokens.create_api_token(writer, "gevent test")[1]
        post_id = posts.create_post(writer, title="Live under gevent", body="Dose and yield.").id
        db.session.remove()
        db.engine.dispose()
    return post_id, token, "reader@example.com"


def _start(env: dict[str, str], log_path: Path) -> Server:
    """The deployment's own command: gunicorn -c gunicorn.conf.py."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = env | {"NETWORK_BIND": f"127.0.0.1:{port}", "NETWORK_PUBLIC_URL": url}
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server(url=url, process=process, log_path=log_path, env=env)
    wait_until_up(server)
    return server


def _deploy(folder: Path, database_url: str, **overrides: str) -> Iterator[Deployment]:
    instance = folder / "instance"
    instance.mkdir()
    env = server_env(
        instance,
        NETWORK_DATABASE_URL=database_url,
        NETWORK_ASYNC_MODE="gevent",
        NETWORK_EXPECTED_SOCKETS=str(EXPECTED_SOCKETS),
        **overrides,
    )
    migrated = flask_command(env, "db", "upgrade")
    assert migrated.returncode == 0, migrated.stderr
    post_id, token, reader = _seed(database_url, instance)
    server = _start(env, instance / "gunicorn.log")
    try:
        yield Deployment(server, post_id, token, reader)
    finally:
        server.stop(signal.SIGINT)  # quick: SIGTERM waits out the open sockets


@pytest.fixture(scope="module")
def sqlite_deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("gevent-sqlite")
    yield from _deploy(folder, f"sqlite:///{folder / 'network.sqlite'}")


@pytest.fixture(scope="module")
def postgres_redis_deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL test database absent: NETWORK_TEST_DATABASE_URL is not set")
    if not REDIS_URL:
        pytest.skip("Redis absent: NETWORK_TEST_REDIS_URL is not set")
    schema = f"gevent_{uuid.uuid4().hex[:8]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    folder = tmp_path_factory.mktemp("gevent-postgres")
    try:
        yield from _deploy(
            folder,
            url.render_as_string(hide_password=False),
            NETWORK_REDIS_URL=REDIS_URL,
            # this module's own channel and registry keys on the shared Redis database
            NETWORK_SOCKETIO_CHANNEL=schema,
        )
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def _comment(deployment: Deployment, body: str) -> dict:
    answer = requests.post(
        f"{deployment.server.url}/api/v1/posts/{deployment.post_id}/comments",
        json={"body": body},
        headers={"Authorization": f"Bearer {deployment.writer_token}"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text[:300]
    return answer.json()


class Tab:
    """A python-socketio client on the post page, with the cookies of a signed-in browser."""

    def __init__(
        self, server: Server, browser: requests.Session | None = None, token: str | None = None
    ) -> None:
        self.comments: list[dict] = []
        self.presence: list[dict] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("comment", self.comments.append)
        self.client.on("presence", self.presence.append)
        jar = browser.cookies.items() if browser else []
        cookies = "; ".join(f"{name}={value}" for name, value in jar)
        self.client.connect(
            server.url,
            headers={"Cookie": cookies} if cookies else {},
            auth={"token": token} if token else None,
            transports=["websocket"],
            wait_timeout=10,
        )

    def subscribe(self, post_id: int) -> None:
        ack = self.client.call("subscribe", {"post_id": post_id, "after": 0}, timeout=10)
        assert ack["ok"], ack

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


def _signed_in_tab(deployment: Deployment) -> Tab:
    # argon2 verifies the password inside the patched worker
    browser = signed_in(deployment.server, deployment.reader_email, PASSWORD)
    tab = Tab(deployment.server, browser)
    tab.subscribe(deployment.post_id)
    return tab


def _heard(tab: Tab, comment_id: int) -> bool:
    return any(item["id"] == comment_id for item in tab.comments)


def test_the_shipped_config_serves_gevent_mode_with_the_gevent_worker(sqlite_deployment):
    log = sqlite_deployment.server.log()
    assert "worker_class=gevent" in log
    assert f"worker_connections={EXPECTED_SOCKETS + 1000}" in log
    assert "Using worker: gevent" in log


def test_a_comment_posted_over_http_reaches_a_subscribed_socket(sqlite_deployment):
    tab = _signed_in_tab(sqlite_deployment)
    try:
        # presence is sent from a background greenlet, after its window
        wait_for(lambda: any(item["viewers"] >= 1 for item in tab.presence), "a presence event")
        made = _comment(sqlite_deployment, "Under gevent: 18 g in, 36 g out.")
        wait_for(lambda: _heard(tab, made["id"]), "the comment event on the subscribed socket")
        heard = next(item for item in tab.comments if item["id"] == made["id"])
        assert heard["post_id"] == sqlite_deployment.post_id
        assert heard["n"] == made["n"]
        assert "36 g out" in heard["body"]
    finally:
        tab.close()


def test_an_upload_is_decoded_by_pillow_in_the_patched_worker(sqlite_deployment):
    browser = signed_in(sqlite_deployment.server, sqlite_deployment.reader_email, PASSWORD)
    page = browser.get(sqlite_deployment.server.url + "/", timeout=10).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert csrf, "the front page has no CSRF token"
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(picture, "PNG")
    answer = browser.post(
        sqlite_deployment.server.url + "/uploads",
        files={"file": ("bar.png", picture.getvalue(), "image/png")},
        headers={"X-CSRFToken": csrf.group(1)},
        timeout=20,
    )
    assert answer.status_code == 201, answer.text[:300]
    assert (answer.json()["width"], answer.json()["height"]) == (64, 48)
    served = browser.get(sqlite_deployment.server.url + answer.json()["url"], timeout=10)
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (64, 48)


def _raw_subscriber(server: Server, post_id: int) -> websocket.WebSocket:
    """A bare Engine.IO websocket (no threads of its own): open, connect, subscribe."""
    address = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(address, timeout=20, origin=server.url)
    assert ws.recv().startswith("0{")  # the Engine.IO open packet
    ws.send("40")  # Socket.IO connect, as a visitor
    assert ws.recv().startswith("40")
    ws.send("420" + json.dumps(["subscribe", {"post_id": post_id, "after": 0}]))
    while True:  # presence may come before the ack
        packet = ws.recv()
        if packet.startswith("430"):
            assert json.loads(packet[3:])[0]["ok"], packet
            return ws


def _comment_ids(ws: websocket.WebSocket, until: float) -> Iterator[int]:
    while time.monotonic() < until:
        ws.settimeout(max(0.1, until - time.monotonic()))
        try:
            packet = ws.recv()
        except websocket.WebSocketTimeoutException:
            return
        if packet == "2":  # the server's ping
            ws.send("3")
        elif packet.startswith('42["comment"'):
            yield json.loads(packet[2:])[1]["id"]


def test_hundreds_of_open_sockets_hold_no_thread_and_http_still_answers(sqlite_deployment):
    server = sqlite_deployment.server
    sockets: list[websocket.WebSocket] = []
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:  # tabs opening at about the same time
            sockets += pool.map(
                lambda _: _raw_subscriber(server, sqlite_deployment.post_id), range(OPEN_SOCKETS)
            )
        # A threading server sized like this (20 + 32 threads) would be out of threads now.
        started = time.monotonic()
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
        page = requests.get(f"{server.url}/posts/{sqlite_deployment.post_id}", timeout=10)
        assert page.status_code == 200
        made = _comment(sqlite_deployment, "Two hundred of you listening, and still quick.")
        assert time.monotonic() - started < 10
        until = time.monotonic() + 20
        deaf = [ws for ws in sockets if made["id"] not in _comment_ids(ws, until)]
        assert not deaf, f"{len(deaf)} of {OPEN_SOCKETS} sockets never heard the comment"
    finally:
        for ws in sockets:
            ws.close()


def test_postgresql_and_the_redis_registry_work_in_the_patched_worker(postgres_redis_deployment):
    deployment = postgres_redis_deployment
    first = _signed_in_tab(deployment)
    second = Tab(deployment.server, token=deployment.writer_token)
    second.subscribe(deployment.post_id)
    try:
        # The registry in Redis counts both members' sockets, and the comment, written
        # through psycopg, reaches both over the Redis message queue.
        wait_for(
            lambda: any(item["viewers"] == 2 for item in first.presence),
            "a presence count of two from the Redis registry",
        )
        channel = deployment.server.env["NETWORK_SOCKETIO_CHANNEL"]
        keys = redis.Redis.from_url(REDIS_URL).keys(f"{channel}:sockets:*")
        assert len([key for key in keys if key.count(b":") == 3]) >= 2, keys
        made = _comment(deployment, "Through PostgreSQL and Redis, under gevent.")
        wait_for(lambda: _heard(first, made["id"]) and _heard(second, made["id"]), "both tabs")
    finally:
        first.close()
        second.close()


def test_installing_gevent_leaves_the_default_mode_threading(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'n.sqlite'}", "TESTING": True}
    )
    assert app.config["SOCKETIO_ASYNC_MODE"] == "threading"
    assert server_socketio.server.eio.async_mode == "threading"


def test_gunicorns_master_loads_the_settings_alone_before_the_worker_patches():
    # gunicorn.conf.py runs in the master; a gevent worker patches the standard library
    # after the fork. What the master imported was made unpatched (locks, sockets).
    loaded = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import runpy, sys; runpy.run_path('gunicorn.conf.py'); "
            "print(' '.join(sorted(sys.modules)))",
        ],
        cwd=PROJECT_ROOT,
        env=server_env(PROJECT_ROOT / "instance", NETWORK_ASYNC_MODE="gevent"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert "network.config" in loaded
    for module in ("network.models", "network.extensions", "sqlalchemy", "redis", "psycopg"):
        assert module not in loaded, f"gunicorn.conf.py imports {module} in the master"
