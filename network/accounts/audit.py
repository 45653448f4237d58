"""The audit log: what admins and moderators did, written in the same transaction as the deed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from network import pagination
from network.extensions import db
from network.models import AuditEvent, Member

PAGE_SIZE = 50


def record(
    session: Session,
    actor: Member | None,
    action: str,
    target_id: int | None = None,
    **detail: Any,
) -> None:
    """Add an entry to the caller's write transaction; there is no way to change or remove one."""
    session.add(
        AuditEvent(
            actor_id=actor.id if actor is not None else None,
            action=action,
            target_id=target_id,
            detail={k: str(v) for k, v in detail.items()},
        )
    )


def page(
    cursor: str | None = None,
) -> pagination.Page[tuple[AuditEvent, Member | None, Member | None]]:
    """Newest first, with the actor and target members, in one query per page."""
    actor, target = aliased(Member), aliased(Member)
    position = pagination.decode(cursor)
    rows = db.session.execute(
        select(AuditEvent, actor, target)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(target, target.id == AuditEvent.target_id)
        .where(pagination.older_than(AuditEvent.created_at, AuditEvent.id, position))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE + 1)
    ).all()
    return pagination.page_of(
        [tuple(row) for row in rows], PAGE_SIZE, key=lambda row: (row[0].created_at, row[0].id)
    )
