"""Who is connected on this process: the one module that holds per-process realtime state.

Scaling across processes (Redis) replaces this module's storage; nothing else
keeps socket state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from network.liveness import Credential


@dataclass
class Connection:
    sid: str
    credential: Credential | None  # None: an anonymous listener
    rooms: set[str] = field(default_factory=set)  # where it counts as present (presence)
    listening: set[str] = field(default_factory=set)  # every room it hears: the access checks
    handle: str | None = None
    is_staff: bool = False

    @property
    def member_id(self) -> int | None:
        return self.credential.member_id if self.credential else None


_lock = threading.Lock()
_connections: dict[str, Connection] = {}


def add(connection: Connection) -> None:
    with _lock:
        _connections[connection.sid] = connection


def get(sid: str) -> Connection | None:
    with _lock:
        return _connections.get(sid)


def remove(sid: str) -> Connection | None:
    with _lock:
        return _connections.pop(sid, None)


def of_member(member_id: int) -> list[Connection]:
    with _lock:
        return [c for c in _connections.values() if c.member_id == member_id]


def of_session(session_key: str) -> list[Connection]:
    with _lock:
        return [
            c
            for c in _connections.values()
            if c.credential and c.credential.session_key == session_key
        ]


def of_token(token_id: int) -> list[Connection]:
    with _lock:
        return [
            c for c in _connections.values() if c.credential and c.credential.token_id == token_id
        ]


def listening_to(room: str) -> list[Connection]:
    """Every connection that hears the room, listen-only ones included."""
    with _lock:
        return [c for c in _connections.values() if room in c.listening]


def listen(sid: str, room: str) -> bool:
    """Note that the socket hears the room; False when it is no longer connected."""
    with _lock:
        connection = _connections.get(sid)
        if connection is None:
            return False
        connection.listening.add(room)
        return True


def stop_listening(sid: str, room: str) -> None:
    with _lock:
        connection = _connections.get(sid)
        if connection is not None:
            connection.listening.discard(room)
            connection.rooms.discard(room)


def in_room(room: str) -> list[Connection]:
    with _lock:
        return [c for c in _connections.values() if room in c.rooms]


def join(sid: str, room: str) -> None:
    """Count the socket as present in a room it hears (not once it was evicted from it)."""
    with _lock:
        connection = _connections.get(sid)
        if connection is not None and room in connection.listening:
            connection.rooms.add(room)


def count() -> int:
    """How many sockets are open on this process (the metrics gauge)."""
    with _lock:
        return len(_connections)


def clear() -> None:
    """Forget every connection (a new app in the same process: tests, a reloaded server)."""
    with _lock:
        _connections.clear()
