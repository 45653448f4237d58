"""Invitations: create, list, revoke, and spend one use when somebody joins with it."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from network import text_rules
from network.accounts import audit, validation
from network.accounts.tokens import digest
from network.community import service as community
from network.database import write_transaction
from network.exceptions import Forbidden, Invalid, NotFound
from network.extensions import db
from network.mail import outbox
from network.models import Invitation, Member, Role, utcnow
from network.permissions import Permission, can

MAX_DAYS = 90
MAX_USES = 1000
MAX_NOTE = 200


def may_invite(actor: Member | None, role: Role = Role.customer) -> bool:
    """Admins invite anyone; staff invite customers when the community allows it."""
    if can(actor, Permission.administer):
        return True
    return (
        role == Role.customer
        and can(actor, Permission.staff)
        and community.profile().employees_may_invite
    )


def create(
    actor: Member,
    *,
    role: Role,
    days: int,
    max_uses: int,
    note: str | None = None,
    email: str | None = None,
) -> tuple[Invitation, str]:
    """Make an invitation link; the raw token is returned once and stored only as a digest.

    With `email`, the link is also mailed to that address (kind "invitation"),
    queued in the same transaction as the invitation. Raises Forbidden when the
    actor may not invite with that role, Invalid for an expiry or use count out
    of range or an address that is not one.
    """
    if not may_invite(actor, role):
        raise Forbidden(_l("You may not invite people with this role."))
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise Invalid(_l("Choose between 1 and %(max)d days.", max=MAX_DAYS), field="days")
    if not isinstance(max_uses, int) or not 1 <= max_uses <= MAX_USES:
        raise Invalid(_l("Choose between 1 and %(max)d uses.", max=MAX_USES), field="max_uses")
    note = text_rules.line(note, "note", _l("Note (for you)")) or None
    if note is not None and len(note) > MAX_NOTE:
        raise Invalid(_l("Use at most %(max)d characters.", max=MAX_NOTE), field="note")
    if email is not None:
        email = validation.normalize_email(email)
    raw = secrets.token_urlsafe(24)
    with write_transaction() as session:
        invitation = Invitation(
            token_hash=digest(raw),
            role=role,
            created_by_id=actor.id,
            note=note,
            max_uses=max_uses,
            expires_at=utcnow() + timedelta(days=days),
        )
        session.add(invitation)
        session.flush()
        audit.record(
            session,
            actor,
            "invitation_created",
            None,
            invitation=invitation.id,
            role=role.value,
            uses=max_uses,
            days=days,
            mailed=email is not None,
        )
        if email is not None:
            _mail(actor, invitation, raw, email)
    return invitation, raw


def _mail(actor: Member, invitation: Invitation, raw: str, email: str) -> None:
    """Queue the invitation mail in the open transaction (never suppressed by preferences)."""
    outbox.enqueue(
        email,
        "invitation",
        "invitation",
        {
            "inviter_name": actor.display_name,
            "url": outbox.absolute_for("accounts.sign_up", invite=raw),
            "expires_on": invitation.expires_at.date().isoformat(),
        },
    )


def listed_for(actor: Member, limit: int = 200) -> list[Invitation]:
    """Admins see every invitation; staff see their own."""
    query = select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    if not can(actor, Permission.administer):
        query = query.where(Invitation.created_by_id == actor.id)
    return list(db.session.scalars(query.limit(limit)))


def revoke(actor: Member, invitation_id: int) -> None:
    """Stop an invitation from working; another person's invitation is NotFound for staff."""
    with write_transaction() as session:
        invitation = session.get(Invitation, invitation_id)
        if invitation is None or not (
            can(actor, Permission.administer) or invitation.created_by_id == actor.id
        ):
            raise NotFound(_l("No such invitation."))
        if invitation.revoked_at is None:
            invitation.revoked_at = utcnow()
            audit.record(session, actor, "invitation_revoked", None, invitation=invitation_id)


def usable(raw: str | None) -> Invitation | None:
    """The invitation this token names while it still works (not revoked, expired or used up)."""
    if not raw or len(raw) > 128:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == digest(raw)))
    if invitation is None or invitation.revoked_at is not None:
        return None
    if invitation.expires_at <= utcnow() or invitation.uses >= invitation.max_uses:
        return None
    return invitation


def spend(session: Session, raw: str) -> Invitation:
    """Inside the joining transaction: take one use atomically; Invalid when none is left."""
    now = utcnow()
    result = session.execute(
        update(Invitation)
        .where(
            Invitation.token_hash == digest(raw),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            Invitation.uses < Invitation.max_uses,
        )
        .values(uses=Invitation.uses + 1)
    )
    if result.rowcount != 1:
        raise Invalid(_l("This invitation is no longer valid."), field="invite")
    return session.scalar(select(Invitation).where(Invitation.token_hash == digest(raw)))


def joined_with(invitation_ids: list[int]) -> dict[int, list[Member]]:
    """Who joined through each invitation, in one query."""
    if not invitation_ids:
        return {}
    grouped: dict[int, list[Member]] = {}
    for member in db.session.scalars(
        select(Member).where(Member.invitation_id.in_(invitation_ids)).order_by(Member.id)
    ):
        grouped.setdefault(member.invitation_id, []).append(member)
    return grouped
