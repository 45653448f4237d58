"""The consent log: append-only, by construction and by the database.

This module is the only writer, and it only inserts. The migration adds
triggers that refuse UPDATE and DELETE on SQLite and PostgreSQL alike, with
one exception: ``pseudonymise`` may replace the actor's name once their
account is deleted, so the record of what happened outlives the person's
name but never loses its shape.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from network import times
from network.extensions import db
from network.models import CaseStudyRevision, ConsentAction, ConsentEvent, Member, MemberStatus


def append(
    session: Session,
    case_study_id: int,
    action: ConsentAction,
    actor: Member | None,
    revision: CaseStudyRevision | None = None,
    **details: Any,
) -> ConsentEvent:
    """Add one line in the caller's transaction (so it commits with the change it records)."""
    entry = ConsentEvent(
        case_study_id=case_study_id,
        action=action,
        revision_hash=revision.content_hash if revision is not None else None,
        revision_number=revision.number if revision is not None else None,
        details={key: value for key, value in details.items() if value is not None},
        actor_id=actor.id if actor is not None else None,
        # A snapshot: later renames do not rewrite history; "system" for run-jobs.
        actor_name=actor.display_name if actor is not None else "system",
    )
    session.add(entry)
    return entry


def entries(case_study_id: int) -> list[ConsentEvent]:
    return list(
        db.session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.case_study_id == case_study_id)
            .order_by(ConsentEvent.id)
        )
    )


def serialize(entry: ConsentEvent) -> dict[str, Any]:
    return {
        "id": entry.id,
        "action": entry.action.value,
        "revision": entry.revision_hash,
        "revision_number": entry.revision_number,
        "details": entry.details,
        "actor": entry.actor_name,
        "at": times.rfc3339(entry.at),
    }


def export(case_study_id: int) -> str:
    """The whole log as pretty JSON, for the customer's download."""
    lines = [serialize(entry) for entry in entries(case_study_id)]
    return json.dumps(
        {"case_study": case_study_id, "consent_log": lines}, indent=2, ensure_ascii=False
    )


def pseudonymise(session: Session, member: Member) -> int:
    """Replace a deleted member's name in the log; the lines themselves stay. Returns how many.

    Called by account deletion; the database allows it only for deleted accounts.
    """
    if member.status != MemberStatus.deleted:
        raise ValueError("only a deleted account's name is pseudonymised")
    pseudonym = f"Former member #{member.id}"
    return session.execute(
        update(ConsentEvent).where(ConsentEvent.actor_id == member.id).values(actor_name=pseudonym)
    ).rowcount
