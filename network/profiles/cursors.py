"""The directory's cursor: the last handle shown, opaque (base64url of JSON) and checked on return.

Lists ordered by (created_at, id) use network.pagination; the directory is
ordered by handle, which is unique and indexed, so its keyset is the handle alone.
"""

from __future__ import annotations

import base64
import binascii
import json

from network.accounts.validation import HANDLE_PATTERN
from network.pagination import MAX_CURSOR, BadCursor


def encode(handle: str) -> str:
    raw = json.dumps({"after": handle}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None) -> str | None:
    """The handle a cursor continues after; None for the first page; BadCursor (400) for garbage."""
    if not cursor:
        return None
    if len(cursor) > MAX_CURSOR:
        raise BadCursor("cursor too long")
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor("malformed cursor") from None
    handle = value.get("after") if isinstance(value, dict) else None
    if not isinstance(handle, str) or not HANDLE_PATTERN.match(handle):
        raise BadCursor("malformed cursor")
    return handle
