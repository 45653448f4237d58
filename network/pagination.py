"""Keyset pagination: opaque cursors over (created_at, id), never OFFSET (DESIGN.md)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from network.exceptions import ServiceError

Item = TypeVar("Item")
MAX_CURSOR = 200


class BadCursor(ServiceError):
    """A cursor we did not make (400)."""

    status = 400


@dataclass(frozen=True)
class Position:
    created_at: datetime
    id: int


@dataclass
class Page(Generic[Item]):
    items: list[Item]
    next_cursor: str | None


def pack(value: Any) -> str:
    """An opaque cursor for a JSON-able value: unpadded base64url of its compact JSON."""
    raw = json.dumps(value, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def unpack(cursor: str | None) -> Any | None:
    """The value a cursor of ours carries; None for no cursor (the first page).

    Raises BadCursor for one over MAX_CURSOR characters or one that is not
    base64url of JSON (null included); the caller checks the value's shape.
    """
    if not cursor:
        return None
    if len(cursor) > MAX_CURSOR:
        raise BadCursor("cursor too long")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadCursor("malformed cursor") from None
    if value is None:
        raise BadCursor("malformed cursor")  # we never pack null: None means "first page"
    return value


def encode(created_at: datetime, row_id: int) -> str:
    return pack([created_at.isoformat(), row_id])


def decode(cursor: str | None) -> Position | None:
    """The position a cursor names; None for the first page; BadCursor for garbage."""
    value = unpack(cursor)
    if value is None:
        return None
    try:
        created, row_id = value
        moment = datetime.fromisoformat(created)
    except (ValueError, TypeError):
        raise BadCursor("malformed cursor") from None
    if not isinstance(row_id, int) or isinstance(row_id, bool) or moment.tzinfo is None:
        raise BadCursor("malformed cursor")
    return Position(moment, row_id)


def older_than(created_column: Any, id_column: Any, position: Position | None) -> ColumnElement:
    """WHERE clause for "after this position" in newest-first order.

    The leading `created <= cursor` says the same as the OR after it but is a
    plain range the databases can seek an index by.
    """
    if position is None:
        return and_(True)
    return and_(
        created_column <= position.created_at,
        or_(created_column < position.created_at, id_column < position.id),
    )


def page_of(rows: list[Any], size: int, key: Any) -> Page[Any]:
    """Cut a fetched list of size+1 rows into a page and the cursor for the next."""
    has_more = len(rows) > size
    items = rows[:size]
    cursor = None
    if has_more and items:
        created_at, row_id = key(items[-1])
        cursor = encode(created_at, row_id)
    return Page(items=items, next_cursor=cursor)
