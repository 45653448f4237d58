"""Retried submits create one row: the idempotency table shared by forms, API and sockets.

A service that creates something calls ``create_once``, which opens the write
transaction and calls ``replay_or_claim`` and ``remember`` inside it. The key
row is inserted in the same transaction as the thing it guards, so a crash or a
rollback leaves neither; two concurrent requests with one key serialize on the
row's primary key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from network.database import write_transaction
from network.exceptions import Invalid
from network.models import IdempotencyKey

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


def request_hash(payload: dict[str, Any]) -> str:
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()


def check_key(key: str | None) -> str | None:
    """None for no key; the key when well formed; raises Invalid otherwise."""
    if key is None or key == "":
        return None
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise Invalid(_l("The request key is malformed."), field="key")
    return key


def replay_or_claim(
    session: Session, member_id: int, key: str | None, kind: str, payload: dict[str, Any]
) -> int | None:
    """Inside a write transaction: the id already created for this key, or None.

    None means "go ahead, create it, then call `remember`". The same key
    with a different payload (or for another kind of thing) raises Invalid (422).
    """
    if key is None:
        return None
    found = session.get(IdempotencyKey, (member_id, key))
    if found is None:
        return None
    if found.request_hash != request_hash(payload) or found.result_kind != kind:
        raise Invalid(_l("This request key was already used for a different request."), field="key")
    return found.result_id


def remember(
    session: Session,
    member_id: int,
    key: str | None,
    kind: str,
    payload: dict[str, Any],
    result_id: int,
) -> None:
    """Inside the same write transaction: record what this key created."""
    if key is None:
        return
    session.add(
        IdempotencyKey(
            member_id=member_id,
            key=key,
            request_hash=request_hash(payload),
            result_kind=kind,
            result_id=result_id,
        )
    )


def create_once(
    member_id: int,
    key: str | None,
    kind: str,
    payload: dict[str, Any],
    build: Callable[[Session], int],
) -> tuple[int, bool]:
    """Create one thing guarded by the member's key; returns (its id, whether this call made it).

    ``build(session)`` runs inside a fresh write transaction and returns the new
    row's id; the key is claimed and remembered in that same transaction. A
    replay (created False) runs nothing, so the caller sends no signal for it.
    When another request with this key commits first, our insert of the key
    row fails: we retry once, and the retry replays its answer. Raises what
    ``build`` raises, Invalid for a key reused with another payload, and
    IntegrityError when there is no key to replay by.
    """
    for attempt in (1, 2):
        try:
            with write_transaction() as session:
                earlier = replay_or_claim(session, member_id, key, kind, payload)
                if earlier is not None:
                    return earlier, False
                created_id = build(session)
                remember(session, member_id, key, kind, payload, created_id)
            return created_id, True
        except IntegrityError:
            if attempt == 2 or key is None:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises
