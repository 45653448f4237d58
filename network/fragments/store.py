"""Where rendered fragments are kept: this process's memory, then Redis if configured.

A fragment's key says everything it shows (keys.py), so an entry is never
wrong, only unused: nothing is ever invalidated, and the least recently used
entries simply fall out when the memory bound is reached. Redis is a second
tier that several processes share; while it fails, pages render as if it
were not there.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import OrderedDict

log = logging.getLogger(__name__)

ENTRY_OVERHEAD = 120  # the OrderedDict's link and the tuple around key and value, roughly


def entry_size(key: str, value: str) -> int:
    """Bytes an entry holds in memory (its strings as Python stores them, plus the bookkeeping)."""
    return sys.getsizeof(key) + sys.getsizeof(value) + ENTRY_OVERHEAD


class MemoryTier:
    """A least-recently-used map of str to str bounded in bytes; safe across threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: str, value: str) -> None:
        size = entry_size(key, value)
        if size > self.max_bytes // 8:  # one fragment never crowds out the rest
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._bytes -= evicted

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries


class RedisTier:
    """Fragments shared by every process, each kept `ttl` seconds after it was last written.

    Short socket timeouts, and after a failure the tier rests for `rest`
    seconds: a Redis that is down or slow costs a page one timeout at most
    every few seconds, never one per fragment.
    """

    PREFIX = "network:fragment:"

    def __init__(self, url: str, ttl: int = 86_400, timeout: float = 0.1, rest: float = 5.0):
        import redis  # the optional extra; only a configured Redis needs it

        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self.ttl = ttl
        self.rest = rest
        self._resting_until = 0.0

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._resting_until

    def get_many(self, keys: list[str]) -> list[str | None]:
        if not keys or not self.available:
            return [None] * len(keys)
        try:
            values = self._redis.mget([self.PREFIX + key for key in keys])
        except Exception as error:  # any failure of the shared tier: render instead
            self._fail(error)
            return [None] * len(keys)
        return [value.decode() if value is not None else None for value in values]

    def put_many(self, items: list[tuple[str, str]]) -> None:
        if not items or not self.available:
            return
        try:
            pipeline = self._redis.pipeline(transaction=False)
            for key, value in items:
                pipeline.set(self.PREFIX + key, value, ex=self.ttl)
            pipeline.execute()
        except Exception as error:
            self._fail(error)

    def _fail(self, error: Exception) -> None:
        self._resting_until = time.monotonic() + self.rest
        log.warning("fragment cache: Redis failed (%s); rendering without it", type(error).__name__)

    def close(self) -> None:
        self._redis.close()


class Counts:
    """Lookups per (kind, result), read by /metrics (network/operations/metrics.py)."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def add(self, kind: str, hits: int, misses: int) -> None:
        with self._lock:
            if hits:
                self._counts[kind, "hit"] = self._counts.get((kind, "hit"), 0) + hits
            if misses:
                self._counts[kind, "miss"] = self._counts.get((kind, "miss"), 0) + misses

    def snapshot(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counts)

    def get(self, kind: str, result: str) -> int:
        return self._counts.get((kind, result), 0)


COUNTS = Counts()  # one per process: create_app() may run many times, /metrics reads one


def counts() -> dict[tuple[str, str], int]:
    return COUNTS.snapshot()
