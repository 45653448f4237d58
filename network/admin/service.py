"""Admin reads and writes that are not a member's own: the member list, approvals, settings."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from network import pagination
from network.accounts import audit, members
from network.community import service as community
from network.database import write_transaction
from network.exceptions import Forbidden, NotFound
from network.extensions import db
from network.models import Member, MemberStatus, Role
from network.permissions import Permission, can

PAGE_SIZE = 50


def _require_admin(actor: Member) -> None:
    if not can(actor, Permission.administer):
        raise Forbidden(_l("Only admins can do this."))


def _like(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def member_page(
    actor: Member,
    *,
    query: str | None = None,
    role: str | None = None,
    status: str | None = None,
    cursor: str | None = None,
) -> pagination.Page[Member]:
    """Members matching a search and filters, newest first, one query per page."""
    _require_admin(actor)
    statement = select(Member)
    term = (query or "").strip()[:100]
    if term:
        pattern = _like(term)
        statement = statement.where(
            or_(
                func.lower(Member.display_name).like(pattern, escape="\\"),
                Member.handle.like(pattern, escape="\\"),
                Member.email.like(pattern, escape="\\"),
            )
        )
    if role in {r.value for r in Role}:
        statement = statement.where(Member.role == Role(role))
    if status in {s.value for s in MemberStatus}:
        statement = statement.where(Member.status == MemberStatus(status))
    position = pagination.decode(cursor)
    rows = list(
        db.session.scalars(
            statement.where(pagination.older_than(Member.created_at, Member.id, position))
            .order_by(Member.created_at.desc(), Member.id.desc())
            .limit(PAGE_SIZE + 1)
        )
    )
    return pagination.page_of(rows, PAGE_SIZE, key=lambda m: (m.created_at, m.id))


def pending(actor: Member) -> list[Member]:
    _require_admin(actor)
    return list(
        db.session.scalars(
            select(Member)
            .where(Member.status == MemberStatus.pending)
            .order_by(Member.created_at, Member.id)
            .limit(200)
        )
    )


def decide(actor: Member, member_id: int, approve: bool) -> Member:
    """Let a waiting member in (active) or turn them away (deactivated).

    Raises Forbidden (not an admin), NotFound (no such waiting member).
    """
    _require_admin(actor)
    waiting = db.session.get(Member, member_id)
    if waiting is None or waiting.status != MemberStatus.pending:
        raise NotFound(_l("No such member is waiting."))
    status = MemberStatus.active if approve else MemberStatus.deactivated
    return members.set_status(actor, member_id, status)


def update_settings(actor: Member, changes: dict[str, Any]) -> None:
    """Save community settings; every changed key lands in the audit log.

    Raises Forbidden (not an admin) or SettingError (Invalid) naming the field.
    """
    _require_admin(actor)
    cleaned = community.validate(changes)
    current = community.profile()
    changed = {k: v for k, v in cleaned.items() if getattr(current, k, None) != _comparable(v)}
    if not changed:
        return
    with write_transaction() as session:
        community.write(session, changed)
        audit.record(session, actor, "settings_changed", None, keys=", ".join(sorted(changed)))


def _comparable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
