"""The member directory: search by name, handle or company, staff filter, pages by handle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from network.extensions import db
from network.models import Member, Profile, Role
from network.profiles import cursors, fields
from network.profiles.service import default_profile, listed_to

PAGE_SIZE = 30
STAFF_ROLES = (Role.employee, Role.admin)


@dataclass(frozen=True)
class Row:
    member: Member
    profile: Profile


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    next_cursor: str | None


def search(viewer: Any, term: str = "", *, staff_only: bool = False, cursor: str | None = None):
    """One page of active members visible to ``viewer``, ordered by handle (one query).

    ``term`` (already checked by fields.search_term) matches display name,
    handle or company anywhere, without regard to case; its %, _ and \\ are
    literal. Raises pagination.BadCursor (400) for a cursor we did not make.
    """
    query = (
        select(Member, Profile)
        .outerjoin(Profile, Profile.member_id == Member.id)
        .where(*listed_to(viewer))
    )
    if term:
        pattern = fields.like_pattern(term)
        query = query.where(
            or_(
                func.lower(Member.display_name).like(pattern, escape="\\"),
                Member.handle.like(pattern, escape="\\"),
                func.lower(Profile.company).like(pattern, escape="\\"),
            )
        )
    if staff_only:
        query = query.where(Member.role.in_(STAFF_ROLES))
    after = cursors.decode(cursor)
    if after is not None:
        query = query.where(Member.handle > after)
    # Handles are unique and indexed: a keyset that needs no tie-breaker.
    rows = db.session.execute(query.order_by(Member.handle).limit(PAGE_SIZE + 1)).all()
    page = [Row(member=m, profile=p or default_profile(m.id)) for m, p in rows[:PAGE_SIZE]]
    next_cursor = cursors.encode(page[-1].member.handle) if len(rows) > PAGE_SIZE else None
    return Page(rows=page, next_cursor=next_cursor)
