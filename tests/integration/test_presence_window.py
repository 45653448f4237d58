"""Joins and leaves within a short window make one presence event (issue 18, item 6).

Without the window, N sockets joining a post's room send N presence events to up to N
sockets each: N² events, which `make bench-realtime` measured as the cost that dominates
subscribing at N = 500 (123,856 presence events for 494 sockets).
"""

from __future__ import annotations

import time

import pytest

from network.extensions import socketio
from tests.support.content import make_post

WINDOW = 0.3
READERS = 6


@pytest.fixture
def app_settings() -> dict[str, object]:
    return {"REALTIME_PRESENCE_WINDOW": WINDOW}


def _presence(client) -> list[dict]:
    return [m["args"][0] for m in client.get_received() if m["name"] == "presence"]


def _heard_within(client, seconds: float) -> list[dict]:
    heard: list[dict] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        heard += _presence(client)
        time.sleep(0.05)
    return heard


def test_a_burst_of_joins_makes_one_presence_event(app, customer):
    post = make_post(app, customer)
    readers = [socketio.test_client(app) for _ in range(READERS)]
    for reader in readers:
        ack = reader.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
        assert ack["ok"] is True
    first = readers[0]
    heard = _heard_within(first, WINDOW * 4)
    assert heard, "no presence event arrived"
    assert len(heard) <= 2  # one per window, not one per join (6)
    assert heard[-1] == {"post_id": post.id, "viewers": READERS, "staff": []}


def test_a_leave_after_the_window_is_told_too(app, customer):
    post = make_post(app, customer)
    stays, leaves = socketio.test_client(app), socketio.test_client(app)
    for reader in (stays, leaves):
        reader.emit("subscribe", {"post_id": post.id, "after": 0}, callback=True)
    assert _heard_within(stays, WINDOW * 3)[-1]["viewers"] == 2
    leaves.disconnect()
    assert _heard_within(stays, WINDOW * 3)[-1]["viewers"] == 1
