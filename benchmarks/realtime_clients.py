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

Two kinds of subscriber. `Subscriber` is a python-socketio client (three threads:
reader, writer, pinger), what the earlier reports used. `Bare` speaks Engine.IO 4 /
Socket.IO 5 over one websocket-client connection, as socket.io-client does on the
wire (`40{auth}`, `420["subscribe", ...]`, its ack `430[...]`, pong `3` to ping
`2`), and a group of them is served by one thread and one selector: 500 of them
in one process cost no threads and next to no GIL, which is what lets 2,000 sockets
share two cores with the server (`kind="bare"`, the default).
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import selectors
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

import socketio
import websocket

QUIET_SECONDS = 2.0  # presence counts as settled after this long without one
IDLE_LIMIT = 180.0  # give up waiting for quiet after this long
JOINING_AT_ONCE = 8  # connects in flight per group (a browser's page loads are spread too)
LEAVING_AT_ONCE = 100


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


class Bare:
    """One post-page tab as bare Engine.IO over a websocket: no threads of its own.

    join() blocks (it runs in a pool); afterwards the group's selector calls
    readable() whenever the socket has a frame.
    """

    def __init__(self, url: str, token: str | None, post_id: int) -> None:
        self.url, self.token, self.post_id = url, token, post_id
        self.arrivals: dict[int, float] = {}
        self.presence = 0
        self.last_presence = 0.0
        self.subscribed = False
        self.dropped = False
        self.ws: websocket.WebSocket | None = None

    def join(self) -> None:
        address = self.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(address, timeout=120, origin=self.url)
        opened = self.ws.recv()
        if not opened.startswith("0{"):
            raise RuntimeError(f"no Engine.IO open packet: {opened[:80]}")
        self.ws.send("40" + json.dumps({"token": self.token} if self.token else {}))
        self._until(lambda packet: packet.startswith("40") or packet.startswith("44"), "connect")
        self.ws.send("420" + json.dumps(["subscribe", {"post_id": self.post_id, "after": 0}]))
        ack = self._until(lambda packet: packet.startswith("430"), "subscribe")
        answer = json.loads(ack[3:])[0]
        if not (isinstance(answer, dict) and answer.get("ok")):
            raise RuntimeError(f"subscribe answered {answer}")
        self.subscribed = True
        self.ws.settimeout(30)  # from now on reads happen only when the selector says so

    def _until(self, wanted, what: str) -> str:
        assert self.ws is not None
        while True:
            packet = self.ws.recv()
            if packet.startswith("44"):
                raise RuntimeError(f"{what} refused: {packet[:200]}")
            if wanted(packet):
                return packet
            self._note(packet)

    def _note(self, packet: str) -> None:
        if packet == "2":
            assert self.ws is not None
            self.ws.send("3")
        elif packet.startswith('42["comment"'):
            self.arrivals.setdefault(int(json.loads(packet[2:])[1]["id"]), time.monotonic())
        elif packet.startswith('42["presence"'):
            self.presence += 1
            self.last_presence = time.monotonic()
        elif packet in ("1", "41") or packet.startswith("41"):
            self.dropped = self.subscribed

    def readable(self) -> bool:
        """Read one frame; False once the socket is gone."""
        assert self.ws is not None
        try:
            opcode, data = self.ws.recv_data()
        except (websocket.WebSocketException, OSError):
            self.dropped = self.subscribed
            return False
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            self.dropped = self.subscribed
            return False
        if opcode == websocket.ABNF.OPCODE_TEXT:
            self._note(data.decode())
        return True

    def leave(self) -> None:
        self.subscribed = False
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.ws.close(timeout=0.5)


class _Listener(threading.Thread):
    """One thread that reads every bare socket of the group as its frames arrive, from the
    moment the socket has subscribed: it answers the server's pings while the rest of the
    group is still joining (a socket silent for pingInterval + pingTimeout, 45 s, is
    dropped by the server)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.selector = selectors.DefaultSelector()
        self.joined: queue.SimpleQueue[Bare] = queue.SimpleQueue()

    def add(self, subscriber: Bare) -> None:
        self.joined.put(subscriber)

    def run(self) -> None:
        while True:
            while not self.joined.empty():
                subscriber = self.joined.get()
                self.selector.register(subscriber.ws.sock, selectors.EVENT_READ, subscriber)
            if not self.selector.get_map():
                time.sleep(0.05)
                continue
            for key, _events in self.selector.select(timeout=0.05):
                # websocket-client reads no further than the frame it wants: what follows
                # stays in the kernel, and the selector reports the socket again.
                if not key.data.readable():
                    self.selector.unregister(key.fileobj)


def _join(subscriber: Subscriber | Bare, listener: _Listener | None = None) -> str:
    try:
        subscriber.join()
    except Exception as error:  # counted: a subscriber that never joined loses everything
        return f"{type(error).__name__}: {error}"
    if listener is not None:
        listener.add(subscriber)
    return ""


def run_group(
    url: str, tokens: list[str], post_id: int, pipe: Connection, kind: str = "bare"
) -> None:
    """The body of one group process."""
    # The client logs "packet queue is empty, aborting" for every socket it closes.
    logging.getLogger("engineio.client").setLevel(logging.CRITICAL)
    make = Bare if kind == "bare" else Subscriber
    subscribers = [make(url, token, post_id) for token in tokens]
    listener = _Listener() if kind == "bare" else None
    if listener is not None:
        listener.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=JOINING_AT_ONCE) as pool:
        joins = pool.map(lambda subscriber: _join(subscriber, listener), subscribers)
        errors = [failure for failure in joins if failure]
    pipe.send(("joined", errors, time.monotonic() - started))
    wait = time.sleep

    deadline = time.monotonic() + IDLE_LIMIT
    while time.monotonic() < deadline:
        last = max((s.last_presence for s in subscribers), default=0.0)
        if time.monotonic() - max(last, started) >= QUIET_SECONDS:
            break
        wait(0.25)
    pipe.send(("idle", sum(s.presence for s in subscribers), sum(s.dropped for s in subscribers)))
    while not pipe.poll():  # the burst: bare sockets are read as their frames arrive
        wait(0.05)
    _command, ids, until = pipe.recv()
    wanted = set(ids)
    while time.monotonic() < until:
        if all(wanted <= s.arrivals.keys() for s in subscribers):
            break
        wait(0.1)
    pipe.send(
        ("arrivals", [dict(s.arrivals) for s in subscribers], sum(s.dropped for s in subscribers))
    )
    # All at once: each closing client waits for the server's close frame.
    with ThreadPoolExecutor(max_workers=LEAVING_AT_ONCE) as pool:
        list(pool.map(lambda subscriber: subscriber.leave(), subscribers))
