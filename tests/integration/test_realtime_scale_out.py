"""Two gunicorn processes on one PostgreSQL database and one Redis (issue 18, item 3).

Each process holds its own sockets; Socket.IO's Redis manager carries emits,
disconnects and room leaves between them, and the socket registry in Redis
(network/realtime/registry.py) tells each process who is connected anywhere.
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import redis
import requests
import socketio
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from network import create_app
from network.accounts import members, tokens
from network.extensions import db
from network.models import Member, Role
from tests.support.browser import PASSWORD
from tests.support.case_studies import published_case_study
from tests.support.servers import (
    SERVER_SECRET,
    Server,
    crash,
    flask_command,
    server_env,
    signed_in,
    start_gunicorn,
    wait_for,
    wait_until_up,
)

pytestmark = pytest.mark.slow

POSTGRES_URL = os.environ.get("NETWORK_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("NETWORK_TEST_REDIS_URL")
TTL = 3  # seconds: the registry forgets a dead process's sockets this fast here


class Tab:
    """A python-socketio client that records every event it hears."""

    def __init__(self, server: Server, *, token: str | None = None, cookies: str | None = None):
        self.events: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.on("disconnect", lambda *_: self.closed.set())
        self.client.connect(
            server.url,
            auth={"token": token} if token else None,
            headers={"Cookie": cookies} if cookies else {},
            transports=["websocket"],
            wait_timeout=10,
        )

    def _record(self, event: str, body: Any = None) -> None:
        with self.lock:
            self.events.append((event, body))

    def heard(self, event: str) -> list[Any]:
        with self.lock:
            return [body for name, body in self.events if name == event]

    def call(self, event: str, body: dict[str, Any]) -> Any:
        return self.client.call(event, body, timeout=10)

    def subscribe(self, post_id: int, after: int = 0) -> None:
        assert self.call("subscribe", {"post_id": post_id, "after": after})["ok"]

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


@pytest.fixture(scope="module")
def shared_database() -> Iterator[str]:
    """A schema of its own on the PostgreSQL test database (the other tests keep theirs)."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL test database absent: NETWORK_TEST_DATABASE_URL is not set")
    if not REDIS_URL:
        pytest.skip("Redis absent: NETWORK_TEST_REDIS_URL is not set")
    schema = f"scale_out_{uuid.uuid4().hex[:8]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's own database number
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@dataclass
class Cluster:
    a: Server
    b: Server
    folder: Path
    env: dict[str, str]
    people: Flask  # an app on the same database, to make members and tokens quickly

    def start(self, name: str) -> Server:
        """One more process of the same deployment."""
        instance = self.folder / name
        instance.mkdir()
        env = {**self.env, "NETWORK_INSTANCE_PATH": str(instance)}
        server = start_gunicorn(env, instance / "gunicorn.log")
        self.extra.append(server)
        return server

    extra: list[Server] = field(default_factory=list)

    def person(self, role: str = "customer") -> SimpleNamespace:
        """A new active member (its id and handle); their password is PASSWORD."""
        handle = f"m{uuid.uuid4().hex[:10]}"
        with self.people.app_context():
            made = members.create_member(
                email=f"{handle}@example.com", handle=handle, password=PASSWORD, role=Role(role)
            )
            found = SimpleNamespace(id=made.id, handle=handle)
            db.session.remove()
        return found

    def member(self, role: str = "customer") -> tuple[str, str]:
        """A new active member: (handle, API token)."""
        found = self.person(role)
        with self.people.app_context():
            made = db.session.get(Member, found.id)
            _row, token = tokens.create_api_token(made, "test", tokens.token_lifetime("never"))
            db.session.remove()
        return found.handle, token


@pytest.fixture(scope="module")
def cluster(shared_database, tmp_path_factory) -> Iterator[Cluster]:
    """Two processes of one deployment: gunicorn A and B on one database and one Redis."""
    folder = tmp_path_factory.mktemp("scale-out")
    settings = {
        "NETWORK_DATABASE_URL": shared_database,
        "NETWORK_REDIS_URL": REDIS_URL,
        "NETWORK_REALTIME_TTL": str(TTL),
    }
    servers: list[Server] = []
    for name in ("a", "b"):
        (folder / name).mkdir()
        env = server_env(folder / name, **settings)
        if not servers:
            migrated = flask_command(env, "db", "upgrade")
            assert migrated.returncode == 0, migrated.stderr
        servers.append(start_gunicorn(env, folder / name / "gunicorn.log", wait=False))
    for server in servers:
        wait_until_up(server)
    people = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SERVER_SECRET,
            "INSTANCE_PATH": str(folder / "people"),
            "SQLALCHEMY_DATABASE_URI": shared_database,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
        }
    )
    group = Cluster(servers[0], servers[1], folder, servers[0].env, people)
    yield group
    for server in [*servers, *group.extra]:
        server.stop()
    with people.app_context():
        db.engine.dispose()


@pytest.fixture
def tabs() -> Iterator[Callable[..., Tab]]:
    opened: list[Tab] = []

    def open_tab(server: Server, **credentials: Any) -> Tab:
        tab = Tab(server, **credentials)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


def public_post(server: Server, token: str) -> dict[str, Any]:
    made = requests.post(
        server.url + "/api/v1/posts",
        json={"title": "Across processes", "body": "Two servers", "visibility": "public"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert made.status_code == 201, made.text
    return made.json()


def comment(server: Server, token: str, post_id: int, body: str) -> None:
    said = requests.post(
        f"{server.url}/api/v1/posts/{post_id}/comments",
        json={"body": body},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert said.status_code == 201, said.text


def cookie_header(browser: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.get_dict().items())


def hearing(room: str) -> set[str]:
    """The sids the Redis registry says hear the room (its index set, whatever the prefix)."""
    store = redis.Redis.from_url(REDIS_URL)
    found: set[str] = set()
    for key in store.scan_iter(match=f"*:sockets:hears:{room}"):
        found |= {sid.decode() for sid in store.smembers(key)}
    return found


def latest_presence(tab: Tab, post_id: int) -> dict[str, Any] | None:
    said = [body for body in tab.heard("presence") if body["post_id"] == post_id]
    return said[-1] if said else None


def test_a_comment_posted_through_one_process_reaches_a_socket_on_the_other(cluster, tabs):
    _, author = cluster.member()
    post = public_post(cluster.a, author)
    reader = tabs(cluster.b)  # a visitor, on the other process
    reader.subscribe(post["id"])

    comment(cluster.a, author, post["id"], "Heard on the other side")

    said = wait_for(lambda: reader.heard("comment"), "the comment reached process B's socket")
    assert [(c["n"], c["body"]) for c in said] == [(1, "Heard on the other side")]


def test_presence_and_typing_count_the_sockets_of_both_processes(cluster, tabs):
    _, anna = cluster.member()
    eve, eve_token = cluster.member(role="employee")
    post = public_post(cluster.a, anna)
    here_on_a = tabs(cluster.a, token=anna)
    here_on_a.subscribe(post["id"])
    staff_on_b = tabs(cluster.b, token=eve_token)
    staff_on_b.subscribe(post["id"])
    visitor_on_b = tabs(cluster.b)
    visitor_on_b.subscribe(post["id"])

    everyone = {"post_id": post["id"], "viewers": 3, "staff": [eve]}
    for tab in (here_on_a, staff_on_b, visitor_on_b):
        wait_for(lambda tab=tab: latest_presence(tab, post["id"]) == everyone, "3 viewers")

    # Typing goes across too: the member on A hears the staff member typing on B.
    assert staff_on_b.call("typing", {"post_id": post["id"]}) == {"ok": True}
    typed = wait_for(lambda: here_on_a.heard("typing"), "typing on B reached A")
    assert typed[0]["handle"] == eve

    visitor_on_b.close()  # leaving on B lowers the count seen on A
    wait_for(
        lambda: (
            latest_presence(here_on_a, post["id"])
            == {"post_id": post["id"], "viewers": 2, "staff": [eve]}
        ),
        "2 viewers after the visitor left",
    )


def test_signing_out_on_one_process_closes_that_browsers_sockets_on_the_other(cluster, tabs):
    handle, _ = cluster.member()
    browser = signed_in(cluster.a, handle, PASSWORD)
    other_browser = signed_in(cluster.a, handle, PASSWORD)  # the member's second browser goes on
    this_tab = tabs(cluster.b, cookies=cookie_header(browser))
    other_tab = tabs(cluster.b, cookies=cookie_header(other_browser))
    assert this_tab.call("typing", {"post_id": 1})["error"]["code"] == "invalid"  # signed in

    page = browser.get(cluster.a.url + "/", timeout=10).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    out = browser.post(cluster.a.url + "/signout", data={"csrf_token": csrf}, timeout=10)
    assert out.status_code == 200

    assert this_tab.closed.wait(10), "the signed-out browser's socket on B stayed open"
    assert other_tab.client.connected
    assert other_tab.call("typing", {"post_id": 1})["error"]["code"] == "invalid"


def test_a_post_made_members_only_on_one_process_evicts_visitors_on_the_other(cluster, tabs):
    _, author = cluster.member()
    _, reader = cluster.member()
    post = public_post(cluster.a, author)
    visitor = tabs(cluster.b)
    visitor.subscribe(post["id"])
    member = tabs(cluster.b, token=reader)
    member.subscribe(post["id"])

    changed = requests.patch(
        f"{cluster.a.url}/api/v1/posts/{post['id']}",
        json={"version": post["version"], "visibility": "members"},
        headers={"Authorization": f"Bearer {author}"},
        timeout=10,
    )
    assert changed.status_code == 200, changed.text

    wait_for(lambda: visitor.heard("post_hidden"), "the visitor on B was told post_hidden")
    assert visitor.heard("post_hidden") == [{"post_id": post["id"]}]
    comment(cluster.a, author, post["id"], "Members only now")
    wait_for(lambda: member.heard("comment"), "the member on B still hears the post")
    assert visitor.heard("comment") == []  # it left the room: nothing more reaches it
    assert member.heard("post_hidden") == []


def test_a_dead_process_leaves_sockets_that_presence_forgets_after_the_ttl(cluster, tabs):
    _, author = cluster.member()
    post = public_post(cluster.a, author)
    doomed = cluster.start("c")
    on_c = tabs(doomed)
    on_c.subscribe(post["id"])
    time.sleep(TTL + 1)  # past the TTL: the heartbeat keeps C's socket counted
    on_a = tabs(cluster.a)
    on_a.subscribe(post["id"])
    wait_for(lambda: (latest_presence(on_a, post["id"]) or {}).get("viewers") == 2, "2 viewers")

    crash(doomed)  # no disconnect handler runs: only the TTL cleans up

    def counted_alone() -> bool:
        assert on_a.call("unsubscribe", {"post_id": post["id"]})["ok"]
        on_a.subscribe(post["id"])
        time.sleep(0.3)
        return (latest_presence(on_a, post["id"]) or {}).get("viewers") == 1

    wait_for(counted_alone, "C's socket expired from the registry", timeout=4 * TTL)


def test_run_jobs_ending_a_consent_tells_a_page_open_on_another_process(cluster, tabs):
    author, customer = cluster.person(role="employee"), cluster.person()
    case_study_id = published_case_study(cluster.people, author, customer)
    page = tabs(cluster.b)  # a visitor reading the public story on B
    assert page.call("watch_case_study", {"case_study_id": case_study_id}) == {"ok": True}
    assert page.client.get_sid() in hearing(f"case_study:{case_study_id}")
    with cluster.people.app_context():  # the consent's last day was yesterday
        db.session.execute(
            text(
                "UPDATE case_study_consent SET expires_on = CURRENT_DATE - 1 "
                "WHERE case_study_id = :id AND ended_at IS NULL"
            ),
            {"id": case_study_id},
        )
        db.session.commit()

    ran = flask_command(cluster.env, "run-jobs")  # a process with no sockets of its own

    assert ran.returncode == 0, ran.stderr
    assert "1 expired" in ran.stdout
    wait_for(lambda: page.heard("case_study_withdrawn"), "the withdrawal reached the page on B")
    assert page.heard("case_study_withdrawn") == [{"id": case_study_id}]
    # And the visitor left the story's room, although run-jobs holds no socket of its own.
    wait_for(
        lambda: page.client.get_sid() not in hearing(f"case_study:{case_study_id}"),
        "the visitor was evicted from the case study's room",
    )


def test_a_password_set_from_the_command_line_closes_the_members_sockets_everywhere(
    cluster, tabs, tmp_path
):
    handle, token = cluster.member()
    on_a, on_b = tabs(cluster.a, token=token), tabs(cluster.b, token=token)
    bystander = tabs(cluster.b, token=cluster.member()[1])
    secret = tmp_path / "new.pw"
    secret.write_text("another long and quiet river\n")

    changed = flask_command(
        cluster.env, "set-password", f"{handle}@example.com", "--password-file", str(secret)
    )

    assert changed.returncode == 0, changed.stderr
    assert on_a.closed.wait(10) and on_b.closed.wait(10), "a socket of the member stayed open"
    assert bystander.client.connected
