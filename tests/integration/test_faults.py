"""Faults, with real processes (issue 18, item 4): Redis stopped mid-burst, a gunicorn process
killed mid-burst, PostgreSQL restarted under a running process.

The database is the truth: a comment acknowledged (201 or 302) is committed, and clients heal
what the live path dropped by re-syncing with their last event number (docs/realtime.md).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from network import create_app
from network.accounts import members, tokens
from network.extensions import db
from network.models import Role
from tests.support.browser import PASSWORD
from tests.support.faults import (
    Follower,
    PrivatePostgres,
    PrivateRedis,
    private_postgres,
)
from tests.support.servers import (
    SERVER_SECRET,
    Server,
    crash,
    flask_command,
    server_env,
    start_gunicorn,
    wait_for,
    wait_until_up,
)

pytestmark = pytest.mark.slow

POSTGRES_URL = os.environ.get("NETWORK_TEST_DATABASE_URL")
RESYNC = 3.0  # seconds between a test client's re-syncs (browsers: 30; kept short to stay fast)
HEALED_WITHIN = 35.0  # seconds: the bound, from the fault's end to every client healed
TIMEOUT = 10  # seconds: no request may hang longer


def people_app(folder: Path, database_url: str) -> Flask:
    """An app on the deployment's database, to make members and tokens quickly."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SERVER_SECRET,
            "INSTANCE_PATH": str(folder / "people"),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
        }
    )


def new_member(app: Flask) -> tuple[str, str]:
    """A new active member: (handle, API token); their password is PASSWORD."""
    handle = f"m{uuid.uuid4().hex[:10]}"
    with app.app_context():
        made = members.create_member(
            email=f"{handle}@example.com", handle=handle, password=PASSWORD, role=Role.customer
        )
        _row, token = tokens.create_api_token(made, "test", tokens.token_lifetime("never"))
        db.session.remove()
    return handle, token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def public_post(server: Server, token: str) -> int:
    made = requests.post(
        server.url + "/api/v1/posts",
        json={"title": "Under fire", "body": "Faults", "visibility": "public"},
        headers=bearer(token),
        timeout=TIMEOUT,
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def signed_in(server: Server, handle: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(server.url + "/signin", timeout=TIMEOUT).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = browser.post(
        server.url + "/signin",
        data={"login": handle, "password": PASSWORD, "csrf_token": csrf},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert answer.status_code == 302, answer.text[:300]
    return browser


def form_comment(browser: requests.Session, server: Server, post_id: int, body: str) -> int:
    """A comment sent through the post page's form, as a person would: its status."""
    page = browser.get(f"{server.url}/posts/{post_id}", timeout=TIMEOUT)
    assert page.status_code == 200, page.status_code
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    sent = browser.post(
        f"{server.url}/posts/{post_id}/comments",
        data={"body": body, "csrf_token": csrf},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    return sent.status_code


@dataclass
class Burst:
    """Comments posted over the API, one every `pause` seconds, spread over the servers.

    A request that fails to reach a server is sent to the next, as nginx would;
    only a 201 counts as acknowledged.
    """

    servers: list[Server]
    token: str
    post_id: int
    count: int
    pause: float = 0.1
    acknowledged: list[str] = field(default_factory=list)
    refused: list[tuple[str, Any]] = field(default_factory=list)

    def run(self) -> None:
        key = uuid.uuid4().hex
        for number in range(self.count):
            body = f"burst {number:03d}"
            for attempt in range(len(self.servers)):
                server = self.servers[(number + attempt) % len(self.servers)]
                try:
                    said = requests.post(
                        f"{server.url}/api/v1/posts/{self.post_id}/comments",
                        json={"body": body},
                        headers={**bearer(self.token), "Idempotency-Key": f"{key}-{number}"},
                        timeout=TIMEOUT,
                    )
                except requests.ConnectionError as error:
                    self.refused.append((body, type(error).__name__))
                    continue  # unreachable: the next server
                if said.status_code == 201:
                    self.acknowledged.append(body)
                else:
                    self.refused.append((body, said.status_code))
                break
            time.sleep(self.pause)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        return thread


def stored(database_url: str, post_id: int) -> list[tuple[int, str]]:
    """The post's comments in the database, as (n, body) in order."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT n, body FROM comment WHERE post_id = :id ORDER BY n"), {"id": post_id}
            )
            return [(row.n, row.body) for row in rows]
    finally:
        engine.dispose()


def healed(follower: Follower, expected: list[str]) -> bool:
    return follower.bodies() == expected


# Two processes on PostgreSQL and a private Redis ------------------------------------------


@pytest.fixture(scope="module")
def database_url(tmp_path_factory) -> Iterator[str]:
    """A schema of its own on the PostgreSQL test database."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL test database absent: NETWORK_TEST_DATABASE_URL is not set")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server absent: the fault tests start a private one")
    schema = f"faults_{uuid.uuid4().hex[:8]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    migrated = flask_command(
        server_env(tmp_path_factory.mktemp("migrate"), NETWORK_DATABASE_URL=rendered),
        "db",
        "upgrade",
    )
    assert migrated.returncode == 0, migrated.stderr
    yield rendered
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@dataclass
class Deployment:
    redis: PrivateRedis
    servers: list[Server]
    people: Flask
    database_url: str


@pytest.fixture
def deployment(database_url, tmp_path) -> Iterator[Deployment]:
    """A private redis-server and two single-worker gunicorn processes on it."""
    private = PrivateRedis(tmp_path)
    servers: list[Server] = []
    people: Flask | None = None
    try:  # a process that fails to start must not leave the others running
        private.start()
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            env = server_env(
                tmp_path / name,
                NETWORK_DATABASE_URL=database_url,
                NETWORK_REDIS_URL=private.url,
                NETWORK_SOCKETIO_CHANNEL=f"faults-{tmp_path.name}",
            )
            servers.append(start_gunicorn(env, tmp_path / name / "gunicorn.log", wait=False))
        for server in servers:
            wait_until_up(server, timeout=60)  # two processes starting on a busy machine
        people = people_app(tmp_path, database_url)
        yield Deployment(private, servers, people, database_url)
    finally:
        for server in servers:
            server.stop()
        private.kill()
        if people is not None:
            with people.app_context():
                db.engine.dispose()


def test_redis_stopped_mid_burst_loses_nothing_and_every_client_heals(deployment):
    a, b = deployment.servers
    handle, token = new_member(deployment.people)
    post_id = public_post(a, token)
    browser = signed_in(a, handle)
    followers = [
        Follower([a.url, b.url], post_id, resync=RESYNC),
        Follower([b.url, a.url], post_id, resync=RESYNC),
    ]
    try:
        burst = Burst([a, b], token, post_id, count=40)
        posting = burst.start()
        wait_for(lambda: len(burst.acknowledged) >= 8, "the burst began", timeout=15)

        deployment.redis.kill()
        down = time.monotonic()
        # While Redis is down every process answers: readiness says degraded, pages and
        # forms (rate limits included) work.
        for server in (a, b):
            ready = requests.get(server.url + "/readyz", timeout=TIMEOUT)
            assert ready.status_code == 200, ready.text
            assert ready.json()["status"] == "degraded"
            assert ready.json()["checks"]["redis"] == "unavailable"
            assert requests.get(f"{server.url}/posts/{post_id}", timeout=TIMEOUT).status_code == 200
        assert form_comment(browser, a, post_id, "said through the form") == 302
        time.sleep(max(0.0, 3.0 - (time.monotonic() - down)))
        deployment.redis.start()  # the same port, empty
        back = time.monotonic()
        posting.join(timeout=60)
        assert not posting.is_alive()
        ended = time.monotonic()

        assert burst.refused == []  # every comment POST was answered 201, Redis or not
        kept = stored(deployment.database_url, post_id)
        bodies = [body for _n, body in kept]
        assert [n for n, _body in kept] == list(range(1, len(kept) + 1))
        assert set(burst.acknowledged) | {"said through the form"} == set(bodies)
        assert len(bodies) == 41

        for follower in followers:
            wait_for(
                lambda follower=follower: healed(follower, bodies),
                "the client healed by re-sync",
                timeout=HEALED_WITHIN,
            )
        took = time.monotonic() - back
        print(
            f"Redis down {back - down:.1f} s; {len(bodies)} comments; every client healed "
            f"{took:.1f} s after Redis was back, {time.monotonic() - ended:.1f} s after the burst"
        )
        for follower in followers:
            assert follower.bodies() == bodies  # every comment exactly once, in order
    finally:
        for follower in followers:
            follower.close()


def test_a_process_killed_mid_burst_loses_nothing_and_its_clients_heal_on_the_other(
    deployment,
):
    a, b = deployment.servers
    _handle, token = new_member(deployment.people)
    post_id = public_post(a, token)
    on_a = Follower([a.url, b.url], post_id, resync=RESYNC)
    on_b = Follower([b.url, a.url], post_id, resync=RESYNC)
    try:
        burst = Burst([a, b], token, post_id, count=30)
        posting = burst.start()
        wait_for(lambda: len(burst.acknowledged) >= 10, "the burst began", timeout=15)

        crash(a)
        killed = time.monotonic()
        posting.join(timeout=60)
        assert not posting.is_alive()
        ended = time.monotonic()

        kept = stored(deployment.database_url, post_id)
        bodies = [body for _n, body in kept]
        assert [n for n, _body in kept] == list(range(1, len(kept) + 1))
        assert set(burst.acknowledged) <= set(bodies)  # nothing acknowledged is lost
        # Only a request caught inside the killed process may be neither answered nor kept.
        assert len(burst.acknowledged) >= burst.count - 1
        for follower in (on_a, on_b):
            wait_for(
                lambda follower=follower: healed(follower, bodies),
                "the client healed by re-sync",
                timeout=HEALED_WITHIN,
            )
        took = time.monotonic() - killed
        print(
            f"{len(bodies)} comments kept, {len(burst.acknowledged)} acknowledged; clients healed "
            f"{took:.1f} s after the kill, {time.monotonic() - ended:.1f} s after the burst"
        )
        assert on_a.connections == [a.url, b.url]  # it moved to the living process
        assert on_b.connections == [b.url]
        assert on_a.bodies() == bodies and on_b.bodies() == bodies
    finally:
        on_a.close()
        on_b.close()


# One process on a private PostgreSQL cluster ------------------------------------------------


@pytest.fixture
def own_postgres() -> Iterator[PrivatePostgres]:
    made = private_postgres()
    if isinstance(made, str):
        pytest.skip(made)
    made.start()
    yield made
    made.remove()


def test_postgresql_restarted_requests_fail_cleanly_then_recover_without_a_restart(
    own_postgres, tmp_path
):
    env = server_env(tmp_path, NETWORK_DATABASE_URL=own_postgres.url)
    migrated = flask_command(env, "db", "upgrade")
    assert migrated.returncode == 0, migrated.stderr
    server = start_gunicorn(env, tmp_path / "gunicorn.log")
    people = people_app(tmp_path, own_postgres.url)
    try:
        _handle, token = new_member(people)
        with people.app_context():
            db.engine.dispose()
        post_id = public_post(server, token)
        # Warm the pool: these connections die with the server.
        for path in ("/", f"/posts/{post_id}", f"/api/v1/posts/{post_id}", "/readyz"):
            assert requests.get(server.url + path, timeout=TIMEOUT).status_code == 200, path

        own_postgres.stop()
        for path in ("/", f"/posts/{post_id}"):
            page = requests.get(server.url + path, timeout=TIMEOUT)
            assert page.status_code == 503, (path, page.status_code)
            assert "text/html" in page.headers["Content-Type"]
        listed = requests.get(f"{server.url}/api/v1/posts/{post_id}", timeout=TIMEOUT)
        assert listed.status_code == 503
        assert listed.json()["error"]["code"] == "unavailable"
        said = requests.post(
            f"{server.url}/api/v1/posts/{post_id}/comments",
            json={"body": "while down"},
            headers=bearer(token),
            timeout=TIMEOUT,
        )
        assert said.status_code == 503
        for probe in ("/healthz", "/readyz"):
            assert requests.get(server.url + probe, timeout=TIMEOUT).status_code == 503, probe

        time.sleep(1)
        own_postgres.start()
        # The same process, not restarted: the first requests after find dead pooled
        # connections, which must be replaced rather than answered with an error.
        for path in ("/", f"/posts/{post_id}", f"/api/v1/posts/{post_id}", "/healthz", "/readyz"):
            assert requests.get(server.url + path, timeout=TIMEOUT).status_code == 200, path
        said = requests.post(
            f"{server.url}/api/v1/posts/{post_id}/comments",
            json={"body": "after the restart"},
            headers=bearer(token),
            timeout=TIMEOUT,
        )
        assert said.status_code == 201, said.text

        # Restarted between two requests: every pooled connection is dead, none has failed
        # yet, and the next request must not be the one that finds out.
        # (The API first: a page's cache check would replace a dead connection itself.)
        own_postgres.restart()
        for path in (f"/api/v1/posts/{post_id}", "/", f"/posts/{post_id}", "/readyz"):
            assert requests.get(server.url + path, timeout=TIMEOUT).status_code == 200, path
        assert "unhandled error" not in server.log()
    finally:
        server.stop()
