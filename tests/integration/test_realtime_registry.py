"""The socket registry in Redis (network/realtime/registry.py), two "processes" at a time.

Each RedisRegistry here stands for one server process; they share a prefix
(a deployment) on the test Redis. The heartbeat is run by hand.
"""

from __future__ import annotations

import os
import time
import uuid

import pytest
import redis

from network.liveness import Credential
from network.realtime.connections import Connection
from network.realtime.registry import RedisRegistry

REDIS_URL = os.environ.get("NETWORK_TEST_REDIS_URL")

pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="Redis absent: NETWORK_TEST_REDIS_URL is not set"
)


class Process(RedisRegistry):
    """A registry whose heartbeat the test runs itself (refresh())."""

    def _start_heartbeat(self) -> None:
        pass


@pytest.fixture
def deployment() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def process(prefix: str, ttl: int = 30, url: str | None = None) -> Process:
    return Process(redis.Redis.from_url(url or REDIS_URL, socket_timeout=1), prefix, ttl)


def browser(sid: str, member_id: int, key: str, *, staff: bool = False) -> Connection:
    return Connection(
        sid, Credential(member_id, 1, session_key=key), handle=f"h{member_id}", is_staff=staff
    )


def program(sid: str, member_id: int, token_id: int) -> Connection:
    return Connection(sid, Credential(member_id, 1, token_id=token_id), handle=f"h{member_id}")


def sids(found: list[Connection]) -> set[str]:
    return {c.sid for c in found}


def test_each_process_finds_the_sockets_of_the_other(deployment):
    a, b = process(deployment), process(deployment)
    a.add(browser("a1", 5, "session-key-a"))
    b.add(program("b1", 5, 9))
    b.add(Connection("b2", None))  # a visitor

    for here in (a, b):
        assert sids(here.of_member(5)) == {"a1", "b1"}
        assert sids(here.of_session("session-key-a")) == {"a1"}
        assert sids(here.of_token(9)) == {"b1"}
    # Each process counts its own sockets for the metrics gauge.
    assert (a.count(), b.count()) == (1, 2)


def test_rooms_heard_and_presence_are_shared(deployment):
    a, b = process(deployment), process(deployment)
    a.add(browser("a1", 5, "k", staff=True))
    b.add(Connection("b1", None))
    for registry, sid in ((a, "a1"), (b, "b1")):
        assert registry.listen(sid, "post:1")
        registry.join(sid, "post:1")
    assert not a.listen("b1", "post:1")  # only the process holding a socket speaks for it

    found = {c.sid: c for c in b.in_room("post:1")}
    assert set(found) == {"a1", "b1"}
    assert found["a1"].is_staff and found["a1"].member_id == 5 and found["a1"].handle == "h5"
    assert sids(a.listening_to("post:1")) == {"a1", "b1"}


def test_an_eviction_by_another_process_is_not_undone_by_a_late_join(deployment):
    a, b = process(deployment), process(deployment)
    a.add(Connection("a1", None))
    assert a.listen("a1", "post:1")
    b.stop_listening("a1", "post:1")  # B evicts A's socket (access narrowed)
    a.join("a1", "post:1")  # A's subscribe, answered meanwhile, counts it as present

    assert a.in_room("post:1") == [] and b.listening_to("post:1") == []
    assert a.get("a1").rooms == set()


def test_a_socket_is_removed_once_whoever_removes_it(deployment):
    a, b = process(deployment), process(deployment)
    a.add(browser("a1", 5, "k"))
    assert a.listen("a1", "post:1")
    a.join("a1", "post:1")

    gone = b.remove("a1")  # B ended the member's sessions first
    assert gone is not None and gone.rooms == {"post:1"}
    assert a.remove("a1") is None  # A's disconnect handler: nobody to tell twice
    assert a.of_member(5) == [] and b.in_room("post:1") == []


def test_the_browser_session_key_never_reaches_redis(deployment):
    a = process(deployment)
    a.add(browser("a1", 5, "secret-session-key"))
    assert a.listen("a1", "post:1")
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter(match=f"{deployment}:*"):
        assert b"secret-session-key" not in key
        if store.type(key) == b"string":
            assert b"secret-session-key" not in store.get(key)
        else:
            assert not any(b"secret-session-key" in m for m in store.smembers(key))
    assert a.get("a1").credential.session_key == "secret-session-key"  # kept in the process


def test_a_dead_process_sockets_expire_and_a_live_ones_heartbeat_keeps_them(deployment):
    dead, alive, reader = (
        process(deployment, ttl=1),
        process(deployment, ttl=1),
        process(deployment),
    )
    dead.add(Connection("d1", None))
    alive.add(Connection("l1", None))
    for registry, sid in ((dead, "d1"), (alive, "l1")):
        assert registry.listen(sid, "post:1")
        registry.join(sid, "post:1")

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "d1" in sids(reader.in_room("post:1")):
        alive.refresh()  # only the live process beats
        time.sleep(0.2)
    alive.refresh()

    assert sids(reader.in_room("post:1")) == {"l1"}
    assert sids(reader.listening_to("post:1")) == {"l1"}


def test_the_heartbeat_writes_back_what_redis_lost(deployment):
    a, reader = process(deployment), process(deployment)
    a.add(browser("a1", 5, "k"))
    assert a.listen("a1", "post:1")
    a.join("a1", "post:1")
    store = redis.Redis.from_url(REDIS_URL)
    store.delete(*store.scan_iter(match=f"{deployment}:*"))  # Redis restarted empty
    assert reader.in_room("post:1") == []

    a.refresh()

    assert sids(reader.in_room("post:1")) == {"a1"}
    assert sids(reader.of_session("k")) == {"a1"}


def test_redis_down_the_registry_answers_from_this_process(deployment):
    unreachable = "redis://127.0.0.1:1/0"  # nothing listens there
    a = process(deployment, url=unreachable)
    a.add(browser("a1", 5, "k"))  # does not raise: the socket still works here
    assert a.listen("a1", "post:1")
    a.join("a1", "post:1")

    assert sids(a.of_member(5)) == {"a1"}
    assert sids(a.in_room("post:1")) == {"a1"}
    assert a.get("a1").credential.session_key == "k"
    assert a.remove("a1").sid == "a1"
    assert a.count() == 0


def test_two_deployments_on_one_redis_do_not_see_each_other(deployment):
    ours, theirs = process(deployment), process(deployment + "-other")
    ours.add(browser("a1", 5, "k"))
    assert theirs.of_member(5) == []


def test_a_socket_leaves_every_index_when_its_own_process_removes_it(deployment):
    a = process(deployment)
    a.add(browser("a1", 5, "k"))
    assert a.listen("a1", "post:1")
    a.join("a1", "post:1")

    assert a.remove("a1") is not None

    assert list(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{deployment}:*")) == []
