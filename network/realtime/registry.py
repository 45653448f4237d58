"""The socket registry in Redis, for several processes (used only when NETWORK_REDIS_URL is set).

Socket.IO's Redis manager carries emits, `disconnect(sid)` and `leave_room(sid,
room)` to whichever process holds the socket, but it cannot say who is connected
where. That is what this store keeps, behind the calls of connections.py:

- `<prefix>:sid:<sid>`: the socket's member, session version, token id, handle and staff flag
  (JSON; never the browser session's key, which stays in the process holding the socket);
- `<prefix>:sid:<sid>:hears` and `:here`: the rooms it hears, and those it counts as present in;
- index sets of sids: `member:<id>`, `session:<sha256 of the key>`, `token:<id>`,
  `hears:<room>`, `here:<room>`.

Every key expires `ttl` seconds after it was last touched; each process touches
its own sockets' keys every ttl/3 seconds (the heartbeat). A process that dies
leaves keys that expire; a sid whose entry has expired is dropped from an index
set when it is next read. The database stays the truth: this is only the fast
path's address book, and when Redis is down its calls log and find nobody.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

import redis
from flask import Flask

from network.extensions import socketio
from network.liveness import Credential
from network.logs import get_logger
from network.realtime import connections
from network.realtime.connections import Connection

log = get_logger("realtime")

T = TypeVar("T")

# Count the socket as present in a room only while it still hears it (an eviction
# from another process may have just taken the room away): one atomic step.
_JOIN = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('SADD', KEYS[3], ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[3])
end
return 1
"""


def _tolerant(default: Callable[..., T]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Redis down: log, and answer from what this process knows (clients re-sync later)."""

    def wrap(method: Callable[..., T]) -> Callable[..., T]:
        @wraps(method)
        def run(self: RedisRegistry, *args: Any) -> T:
            try:
                return method(self, *args)
            except redis.RedisError as error:
                log.warning("socket registry unavailable (%s): %s", method.__name__, error)
                return default(self, *args)

        return run

    return wrap


def _digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


class RedisRegistry:
    """Every process's sockets, in Redis; this process's own ones also in memory."""

    def __init__(self, client: redis.Redis, prefix: str, ttl: int) -> None:
        self._redis = client
        self._prefix = f"{prefix}:sockets"
        self._ttl = int(ttl)
        self._join = client.register_script(_JOIN)
        self._lock = threading.Lock()
        self._local: dict[str, Connection] = {}  # this process's sockets, full credentials
        self._beating = False
        self._closed = False

    # -- keys ------------------------------------------------------------------------------

    def _key(self, *parts: object) -> str:
        return ":".join([self._prefix, *map(str, parts)])

    def _indexes(self, connection: Connection) -> list[str]:
        """The index sets that find the socket by what opened it."""
        credential = connection.credential
        if credential is None:
            return []
        found = [self._key("member", credential.member_id)]
        if credential.session_key is not None:
            found.append(self._key("session", _digest(credential.session_key)))
        if credential.token_id is not None:
            found.append(self._key("token", credential.token_id))
        return found

    @staticmethod
    def _entry(connection: Connection) -> str:
        credential = connection.credential
        return json.dumps(
            {
                "member_id": credential.member_id if credential else None,
                "session_version": credential.session_version if credential else None,
                "token_id": credential.token_id if credential else None,
                "handle": connection.handle,
                "is_staff": connection.is_staff,
            }
        )

    def _write(self, pipe: Any, connection: Connection) -> None:
        sid, ttl = connection.sid, self._ttl
        pipe.set(self._key("sid", sid), self._entry(connection), ex=ttl)
        for index in self._indexes(connection):
            pipe.sadd(index, sid)
            pipe.expire(index, ttl)

    # -- reading ---------------------------------------------------------------------------

    def _load(self, sids: Iterable[str], index: str | None = None) -> list[Connection]:
        """The connections behind these sids; expired ones leave the index they came from."""
        sids = sorted(set(sids))
        if not sids:
            return []
        pipe = self._redis.pipeline(transaction=False)
        for sid in sids:
            pipe.get(self._key("sid", sid))
            pipe.smembers(self._key("sid", sid, "hears"))
            pipe.smembers(self._key("sid", sid, "here"))
        answers = pipe.execute()
        found, gone = [], []
        for position, sid in enumerate(sids):
            raw, hears, here = answers[3 * position : 3 * position + 3]
            if raw is None:
                gone.append(sid)
                continue
            found.append(self._connection(sid, json.loads(raw), hears, here))
        if gone and index is not None:
            self._redis.srem(index, *gone)
        return found

    def _connection(self, sid: str, entry: dict[str, Any], hears: set, here: set) -> Connection:
        with self._lock:
            local = self._local.get(sid)
        if local is not None:
            credential = local.credential
        elif entry["member_id"] is None:
            credential = None
        else:
            credential = Credential(
                entry["member_id"], entry["session_version"], token_id=entry["token_id"]
            )
        return Connection(
            sid=sid,
            credential=credential,
            rooms={room.decode() for room in here},
            listening={room.decode() for room in hears},
            handle=entry["handle"],
            is_staff=bool(entry["is_staff"]),
        )

    def _members_of(self, index: str) -> list[Connection]:
        sids = [sid.decode() for sid in self._redis.smembers(index)]
        return self._load(sids, index)

    def _local_where(self, keep: Callable[[Connection], Any], *_args: Any) -> list[Connection]:
        with self._lock:
            return [c for c in self._local.values() if keep(c)]

    # -- the calls of connections.py -------------------------------------------------------

    def add(self, connection: Connection) -> None:
        with self._lock:
            self._local[connection.sid] = connection
        self._start_heartbeat()
        try:
            pipe = self._redis.pipeline(transaction=False)
            self._write(pipe, connection)
            pipe.execute()
        except redis.RedisError as error:  # the heartbeat writes it once Redis is back
            log.warning("socket registry unavailable (add): %s", error)

    @_tolerant(lambda self, sid: self._local.get(sid))
    def get(self, sid: str) -> Connection | None:
        found = self._load([sid])
        return found[0] if found else None

    def remove(self, sid: str) -> Connection | None:
        """Forget the socket; the connection is returned to the one caller that removed it."""
        with self._lock:
            local = self._local.pop(sid, None)
        try:
            return self._remove(sid, local)
        except redis.RedisError as error:
            log.warning("socket registry unavailable (remove): %s", error)
            return local

    def _remove(self, sid: str, local: Connection | None) -> Connection | None:
        entry_key, hears_key, here_key = (
            self._key("sid", sid),
            self._key("sid", sid, "hears"),
            self._key("sid", sid, "here"),
        )
        pipe = self._redis.pipeline(transaction=True)
        pipe.get(entry_key)
        pipe.smembers(hears_key)
        pipe.smembers(here_key)
        pipe.delete(entry_key, hears_key, here_key)
        raw, hears, here, deleted = pipe.execute()
        if raw is None:
            return None
        connection = self._connection(sid, json.loads(raw), hears, here)
        if local is not None:  # this process's socket: its credential names its session
            connection.credential = local.credential
        pipe = self._redis.pipeline(transaction=False)
        for index in self._indexes(connection):
            pipe.srem(index, sid)
        # Another process's socket has no session key here: its session index keeps the
        # sid until that set is next read, which drops it (its entry is gone).
        for room in connection.listening:
            pipe.srem(self._key("hears", room), sid)
        for room in connection.rooms | connection.listening:
            pipe.srem(self._key("here", room), sid)
        pipe.execute()
        return connection if deleted else None

    @_tolerant(lambda self, member_id: self._local_where(lambda c: c.member_id == member_id))
    def of_member(self, member_id: int) -> list[Connection]:
        return self._members_of(self._key("member", member_id))

    @_tolerant(
        lambda self, key: self._local_where(
            lambda c: c.credential and c.credential.session_key == key
        )
    )
    def of_session(self, session_key: str) -> list[Connection]:
        return self._members_of(self._key("session", _digest(session_key)))

    @_tolerant(
        lambda self, token_id: self._local_where(
            lambda c: c.credential and c.credential.token_id == token_id
        )
    )
    def of_token(self, token_id: int) -> list[Connection]:
        return self._members_of(self._key("token", token_id))

    @_tolerant(lambda self, room: self._local_where(lambda c: room in c.listening))
    def listening_to(self, room: str) -> list[Connection]:
        return self._members_of(self._key("hears", room))

    @_tolerant(lambda self, room: self._local_where(lambda c: room in c.rooms))
    def in_room(self, room: str) -> list[Connection]:
        return self._members_of(self._key("here", room))

    def listen(self, sid: str, room: str) -> bool:
        with self._lock:
            local = self._local.get(sid)
            if local is None:
                return False
            local.listening.add(room)
        try:
            pipe = self._redis.pipeline(transaction=False)
            for key, member in (
                (self._key("sid", sid, "hears"), room),
                (self._key("hears", room), sid),
            ):
                pipe.sadd(key, member)
                pipe.expire(key, self._ttl)
            pipe.execute()
        except redis.RedisError as error:
            log.warning("socket registry unavailable (listen): %s", error)
        return True

    def stop_listening(self, sid: str, room: str) -> None:
        with self._lock:
            local = self._local.get(sid)
            if local is not None:
                local.listening.discard(room)
                local.rooms.discard(room)
        try:
            pipe = self._redis.pipeline(transaction=False)
            pipe.srem(self._key("sid", sid, "hears"), room)
            pipe.srem(self._key("sid", sid, "here"), room)
            pipe.srem(self._key("hears", room), sid)
            pipe.srem(self._key("here", room), sid)
            pipe.execute()
        except redis.RedisError as error:
            log.warning("socket registry unavailable (stop_listening): %s", error)

    def join(self, sid: str, room: str) -> None:
        with self._lock:
            local = self._local.get(sid)
            if local is not None and room in local.listening:
                local.rooms.add(room)
        try:
            self._join(
                keys=[
                    self._key("sid", sid, "hears"),
                    self._key("sid", sid, "here"),
                    self._key("here", room),
                ],
                args=[room, sid, self._ttl],
            )
        except redis.RedisError as error:
            log.warning("socket registry unavailable (join): %s", error)

    def _mirror(self, connection: Connection) -> None:
        with self._lock:
            local = self._local.get(connection.sid)
            if local is not None:
                local.listening = set(connection.listening)
                local.rooms = set(connection.rooms)

    def count(self) -> int:
        with self._lock:
            return len(self._local)

    def clear(self) -> None:
        with self._lock:
            self._local.clear()

    def close(self) -> None:
        """Stop the heartbeat (another app replaced this store)."""
        self._closed = True

    # -- the heartbeat ---------------------------------------------------------------------

    def _start_heartbeat(self) -> None:
        with self._lock:
            if self._beating or self._closed:
                return
            self._beating = True
        socketio.start_background_task(self._beat)

    def _beat(self) -> None:
        while not self._closed:
            socketio.sleep(self._ttl / 3)
            try:
                self.refresh()
            except redis.RedisError as error:
                log.warning("socket registry heartbeat failed: %s", error)

    def refresh(self) -> None:
        """Keep this process's sockets from expiring; write back any Redis lost meanwhile."""
        with self._lock:
            mine = [
                Connection(
                    c.sid, c.credential, set(c.rooms), set(c.listening), c.handle, c.is_staff
                )
                for c in self._local.values()
            ]
        if not mine:
            return
        ttl = self._ttl
        pipe = self._redis.pipeline(transaction=False)
        for connection in mine:
            pipe.expire(self._key("sid", connection.sid), ttl)
            pipe.smembers(self._key("sid", connection.sid, "hears"))
            pipe.smembers(self._key("sid", connection.sid, "here"))
        answers = pipe.execute()
        alive = answers[0::3]
        for connection, hears, here, present in zip(
            mine, answers[1::3], answers[2::3], alive, strict=True
        ):
            if present:  # evictions made by other processes reach the local copy too
                connection.listening = {room.decode() for room in hears}
                connection.rooms = {room.decode() for room in here}
                self._mirror(connection)
        pipe = self._redis.pipeline(transaction=False)
        for connection, present in zip(mine, alive, strict=True):
            sid = connection.sid
            if not present:  # Redis restarted or was flushed: write it again
                self._write(pipe, connection)
                for room in connection.listening:
                    pipe.sadd(self._key("sid", sid, "hears"), room)
                    pipe.sadd(self._key("hears", room), sid)
                for room in connection.rooms:
                    pipe.sadd(self._key("sid", sid, "here"), room)
                    pipe.sadd(self._key("here", room), sid)
            for key in [
                *self._indexes(connection),
                self._key("sid", sid, "hears"),
                self._key("sid", sid, "here"),
                *(self._key("hears", room) for room in connection.listening),
                *(self._key("here", room) for room in connection.rooms),
            ]:
                pipe.expire(key, ttl)
        pipe.execute()


def init_app(app: Flask) -> None:
    """Choose the store for this app: Redis when NETWORK_REDIS_URL is set, else this process."""
    url = app.config["REDIS_URL"]
    if not url:
        connections.use(connections.InProcess())
        return
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    connections.use(
        RedisRegistry(client, app.config["SOCKETIO_CHANNEL"], app.config["REALTIME_TTL"])
    )
