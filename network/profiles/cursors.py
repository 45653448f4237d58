"""The directory's cursor: the last handle shown, opaque (pagination.pack), checked on return.

Lists ordered by (created_at, id) use pagination.encode/decode; the directory
is ordered by handle, which is unique and indexed, so its keyset is the handle alone.
"""

from __future__ import annotations

from network.accounts.validation import HANDLE_PATTERN
from network.pagination import BadCursor, pack, unpack


def encode(handle: str) -> str:
    return pack({"after": handle})


def decode(cursor: str | None) -> str | None:
    """The handle a cursor continues after; None for the first page; BadCursor (400) for garbage."""
    value = unpack(cursor)
    if value is None:
        return None
    handle = value.get("after") if isinstance(value, dict) else None
    if not isinstance(handle, str) or not HANDLE_PATTERN.match(handle):
        raise BadCursor("malformed cursor")
    return handle
