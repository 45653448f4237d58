"""Who is connected on this process: the one module that holds per-process realtime state.

Scaling across processes (Redis) replaces this module's storage; nothing else
keeps socket state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Connection:
    sid: str
    member_id: int | None  # None: an anonymous listener
    session_version: int | None
    session_key: str | None  # the browser session it came from (cookie sign-in), if any
    rooms: set[str] = field(default_factory=set)
    handle: str | None = None
    is_staff: bool = False


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
        return [c for c in _connections.values() if c.session_key == session_key]


def in_room(room: str) -> list[Connection]:
    with _lock:
        return [c for c in _connections.values() if room in c.rooms]


def join(sid: str, room: str) -> None:
    with _lock:
        connection = _connections.get(sid)
        if connection is not None:
            connection.rooms.add(room)


def leave(sid: str, room: str) -> None:
    with _lock:
        connection = _connections.get(sid)
        if connection is not None:
            connection.rooms.discard(room)


def clear() -> None:
    """Forget every connection (a new app in the same process: tests, a reloaded server)."""
    with _lock:
        _connections.clear()
