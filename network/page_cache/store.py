"""Rendered pages kept in this process, for one generation at a time.

Everything in the store belongs to the generation it is stamped with: the
first request that reads a newer number empties it. Within a generation an
entry still ends at its `ends_at` (time changes some pages with no write:
an announcement's pin runs out, the "this week" strip moves on), and the
least recently used entries go when the store holds more bytes than allowed.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

HOLE = re.compile("\x00(csrf|key)\x00")


@dataclass(frozen=True)
class Page:
    """A rendered 200 answer, with holes where the per-request values go (see pages.py).

    Kept as encoded pieces between the holes, so an answer is one join.
    """

    parts: tuple[bytes, ...]  # one more than holes
    holes: tuple[str, ...]  # "csrf" or "key", in order
    headers: tuple[tuple[str, str], ...]
    ends_at: datetime

    @classmethod
    def from_html(cls, html: str, headers: tuple[tuple[str, str], ...], ends_at: datetime) -> Page:
        """`html` with each hole written as NUL, its name, NUL."""
        pieces = HOLE.split(html)
        return cls(
            parts=tuple(piece.encode() for piece in pieces[0::2]),
            holes=tuple(pieces[1::2]),
            headers=headers,
            ends_at=ends_at,
        )

    @property
    def html(self) -> str:
        filled = [self.parts[0].decode()]
        for hole, part in zip(self.holes, self.parts[1:], strict=True):
            filled += (f"\x00{hole}\x00", part.decode())
        return "".join(filled)

    @property
    def size(self) -> int:
        return sum(map(len, self.parts)) + 64 * len(self.headers) + 200


@dataclass(frozen=True)
class Viewer:
    """What a cached page needs to know of a signed-in session without loading it."""

    member_id: int
    language: str | None
    expires_at: datetime
    last_seen_at: datetime
    ends_at: datetime


class Store:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._pages: OrderedDict[Any, Page] = OrderedDict()
        self._viewers: dict[str, Viewer] = {}
        self._bytes = 0
        self._horizon: datetime | None = None  # the generation's next change in time, once known
        self.signed_tokens: dict[str, str] = {}  # a session's CSRF secret -> its signed token
        self.hits = self.misses = 0

    # The generation -------------------------------------------------------------------------

    def _enter(self, generation: int, *, keeping: bool = False) -> bool:
        """Move to `generation`; False when keeping something older than what is kept.

        A lookup moves to any other number, lower ones included: after a
        database is restored from a backup the number goes back, and pages
        kept under the old numbers must never be served when it comes round
        again. Keeping does not move back: a slow request that read the number
        before a write finishes after a faster one that read the next.
        """
        if keeping and self._generation is not None and generation < self._generation:
            return False
        if generation != self._generation:
            self._generation = generation
            self._pages.clear()
            self._viewers.clear()
            self._bytes = 0
            self._horizon = None
        return True

    # Pages ----------------------------------------------------------------------------------

    def page(self, generation: int, key: Any, now: datetime) -> Page | None:
        with self._lock:
            self._enter(generation)
            found = self._pages.get(key)
            if found is None or found.ends_at <= now:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return found

    def keep_page(self, generation: int, key: Any, page: Page) -> None:
        if page.size > self.max_bytes // 8:  # one page never crowds out the rest
            return
        with self._lock:
            if not self._enter(generation, keeping=True):
                return
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._pages[key] = page
            self._bytes += page.size
            while self._bytes > self.max_bytes and self._pages:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= evicted.size

    # Signed-in sessions ---------------------------------------------------------------------

    def viewer(self, generation: int, token: str, now: datetime) -> Viewer | None:
        with self._lock:
            self._enter(generation)
            found = self._viewers.get(token)
        if found is None or found.ends_at <= now:
            return None
        return found

    def keep_viewer(self, generation: int, token: str, viewer: Viewer) -> None:
        with self._lock:
            if not self._enter(generation, keeping=True):
                return
            if len(self._viewers) >= 10_000:  # a flood of sessions: start again
                self._viewers.clear()
            self._viewers[token] = viewer

    def remember_token(self, secret: str, token: str) -> None:
        if len(self.signed_tokens) >= 10_000:
            self.signed_tokens.clear()
        self.signed_tokens[secret] = token

    def horizon(self, generation: int) -> datetime | None:
        """When time alone next changes `generation`'s pages, if known (pages.py says)."""
        with self._lock:
            return self._horizon if generation == self._generation else None

    def set_horizon(self, generation: int, horizon: datetime) -> None:
        with self._lock:
            if self._generation == generation:
                self._horizon = horizon

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._pages)
