"""Who is connected: the one place that holds realtime socket state, behind one set of calls.

By default the state lives in this process (`InProcess`). With NETWORK_REDIS_URL
set, registry.py puts a store in Redis behind the same calls, so that presence,
eviction and "close this member's sockets" see every process's sockets
(docs/realtime.md). Nothing else keeps socket state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

from network.liveness import Credential


@dataclass
class Connection:
    sid: str
    # None: an anonymous listener.  A socket of another process comes without its
    # browser session's key: that secret never leaves the process holding the socket.
    credential: Credential | None
    rooms: set[str] = field(default_factory=set)  # where it counts as present (presence)
    listening: set[str] = field(default_factory=set)  # every room it hears: the access checks
    handle: str | None = None
    is_staff: bool = False

    @property
    def member_id(self) -> int | None:
        return self.credential.member_id if self.credential else None


class Store(Protocol):
    def add(self, connection: Connection) -> None: ...
    def get(self, sid: str) -> Connection | None: ...
    def remove(self, sid: str) -> Connection | None: ...
    def of_member(self, member_id: int) -> list[Connection]: ...
    def of_session(self, session_key: str) -> list[Connection]: ...
    def of_token(self, token_id: int) -> list[Connection]: ...
    def listening_to(self, room: str) -> list[Connection]: ...
    def listen(self, sid: str, room: str) -> bool: ...
    def stop_listening(self, sid: str, room: str) -> None: ...
    def in_room(self, room: str) -> list[Connection]: ...
    def join(self, sid: str, room: str) -> None: ...
    def count(self) -> int: ...
    def clear(self) -> None: ...


class InProcess:
    """The single-process store: a dictionary under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}

    def add(self, connection: Connection) -> None:
        with self._lock:
            self._connections[connection.sid] = connection

    def get(self, sid: str) -> Connection | None:
        with self._lock:
            return self._connections.get(sid)

    def remove(self, sid: str) -> Connection | None:
        with self._lock:
            return self._connections.pop(sid, None)

    def _where(self, keep) -> list[Connection]:
        with self._lock:
            return [c for c in self._connections.values() if keep(c)]

    def of_member(self, member_id: int) -> list[Connection]:
        return self._where(lambda c: c.member_id == member_id)

    def of_session(self, session_key: str) -> list[Connection]:
        return self._where(lambda c: c.credential and c.credential.session_key == session_key)

    def of_token(self, token_id: int) -> list[Connection]:
        return self._where(lambda c: c.credential and c.credential.token_id == token_id)

    def listening_to(self, room: str) -> list[Connection]:
        return self._where(lambda c: room in c.listening)

    def listen(self, sid: str, room: str) -> bool:
        with self._lock:
            connection = self._connections.get(sid)
            if connection is None:
                return False
            connection.listening.add(room)
            return True

    def stop_listening(self, sid: str, room: str) -> None:
        with self._lock:
            connection = self._connections.get(sid)
            if connection is not None:
                connection.listening.discard(room)
                connection.rooms.discard(room)

    def in_room(self, room: str) -> list[Connection]:
        return self._where(lambda c: room in c.rooms)

    def join(self, sid: str, room: str) -> None:
        with self._lock:
            connection = self._connections.get(sid)
            if connection is not None and room in connection.listening:
                connection.rooms.add(room)

    def count(self) -> int:
        with self._lock:
            return len(self._connections)

    def clear(self) -> None:
        with self._lock:
            self._connections.clear()


_store: Store = InProcess()


def use(store: Store) -> None:
    """Put another store behind the calls (registry.init_app does, per app)."""
    global _store
    old, _store = _store, store
    if old is not store and hasattr(old, "close"):
        old.close()


def store() -> Store:
    return _store


def add(connection: Connection) -> None:
    _store.add(connection)


def get(sid: str) -> Connection | None:
    return _store.get(sid)


def remove(sid: str) -> Connection | None:
    return _store.remove(sid)


def of_member(member_id: int) -> list[Connection]:
    return _store.of_member(member_id)


def of_session(session_key: str) -> list[Connection]:
    return _store.of_session(session_key)


def of_token(token_id: int) -> list[Connection]:
    return _store.of_token(token_id)


def listening_to(room: str) -> list[Connection]:
    """Every connection that hears the room, listen-only ones included."""
    return _store.listening_to(room)


def listen(sid: str, room: str) -> bool:
    """Note that the socket hears the room; False when it is no longer connected."""
    return _store.listen(sid, room)


def stop_listening(sid: str, room: str) -> None:
    _store.stop_listening(sid, room)


def in_room(room: str) -> list[Connection]:
    return _store.in_room(room)


def join(sid: str, room: str) -> None:
    """Count the socket as present in a room it hears (not once it was evicted from it)."""
    _store.join(sid, room)


def count() -> int:
    """How many sockets are open on this process (the metrics gauge)."""
    return _store.count()


def clear() -> None:
    """Forget every connection (a new app in the same process: tests, a reloaded server)."""
    _store.clear()
