"""Subscribers for the realtime benchmark, in a few processes of their own.

Hundreds of python-socketio clients in one process wait on one GIL: on two
shared cores the clients, not the server, then set the latency (measured: the
bare floor's p50 was 10 s at 500 clients in one process). Each group process
holds a share of the clients; time.monotonic() is the machine's one monotonic
clock on Linux, so arrival times compare with the writers' send times.

A group answers over its pipe: ("joined", errors, seconds) once its clients
have subscribed, ("idle", presence events, dropped) once no presence update has
arrived for QUIET_SECONDS, and, after ("collect", ids, deadline), ("arrivals",
[{comment id: arrival}], dropped) before it disconnects and exits.
"""

from __future__ import annotations

import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

import socketio

QUIET_SECONDS = 2.0  # presence counts as settled after this long without one
IDLE_LIMIT = 180.0  # give up waiting for quiet after this long


class Subscriber:
    """One browser tab on the post page: connects, subscribes, notes each comment's arrival."""

    def __init__(self, url: str, token: str | None, post_id: int) -> None:
        self.url, self.token, self.post_id = url, token, post_id
        self.arrivals: dict[int, float] = {}
        self.presence = 0
        self.last_presence = 0.0
        self.subscribed = False
        self.dropped = False  # subscribed, then disconnected by the server
        self.client = socketio.Client(reconnection=False)
        self.client.on("comment", self._comment)
        self.client.on("presence", self._presence)
        self.client.on("disconnect", self._disconnect)

    def _comment(self, body: dict) -> None:
        self.arrivals.setdefault(int(body["id"]), time.monotonic())

    def _presence(self, _body: dict) -> None:
        self.presence += 1
        self.last_presence = time.monotonic()

    def _disconnect(self, *_reason: object) -> None:
        self.dropped = self.subscribed

    def join(self) -> None:
        self.client.connect(
            self.url,
            auth={"token": self.token} if self.token else None,
            transports=["websocket"],
            wait_timeout=60,
        )
        ack = self.client.call("subscribe", {"post_id": self.post_id, "after": 0}, timeout=120)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"subscribe answered {ack}")
        self.subscribed = True

    def leave(self) -> None:
        self.subscribed = False
        with contextlib.suppress(Exception):  # a socket the server dropped already
            self.client.disconnect()


def _join(subscriber: Subscriber) -> str:
    try:
        subscriber.join()
    except Exception as error:  # counted: a subscriber that never joined loses everything
        return f"{type(error).__name__}: {error}"
    return ""


def run_group(url: str, tokens: list[str], post_id: int, pipe: Connection) -> None:
    """The body of one group process."""
    # The client logs "packet queue is empty, aborting" for every socket it closes.
    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    subscribers = [Subscriber(url, token, post_id) for token in tokens]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        errors = [failure for failure in pool.map(_join, subscribers) if failure]
    pipe.send(("joined", errors, time.monotonic() - started))
    deadline = time.monotonic() + IDLE_LIMIT
    while time.monotonic() < deadline:
        last = max((s.last_presence for s in subscribers), default=0.0)
        if time.monotonic() - max(last, started) >= QUIET_SECONDS:
            break
        time.sleep(0.25)
    pipe.send(("idle", sum(s.presence for s in subscribers), sum(s.dropped for s in subscribers)))
    _command, ids, until = pipe.recv()
    wanted = set(ids)
    while time.monotonic() < until:
        if all(wanted <= s.arrivals.keys() for s in subscribers):
            break
        time.sleep(0.1)
    pipe.send(
        ("arrivals", [dict(s.arrivals) for s in subscribers], sum(s.dropped for s in subscribers))
    )
    for subscriber in subscribers:
        subscriber.leave()
