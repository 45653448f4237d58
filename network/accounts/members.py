"""Changing who a member is to the community: role, status, language; operator-made accounts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from network.accounts import audit, passwords, sessions, tokens
from network.accounts.validation import (
    ensure_email_free,
    ensure_handle_free,
    normalize_display_name,
    normalize_email,
    normalize_handle,
)
from network.database import write_transaction
from network.exceptions import Conflict, Forbidden, Invalid, NotFound
from network.extensions import db
from network.logs import get_logger
from network.models import Member, MemberStatus, Role, TokenPurpose
from network.permissions import Permission, can

security_log = get_logger("security")


def checked_new_member(
    *, email: str, handle: str, display_name: str, password: str
) -> dict[str, str]:
    """The fields of a new account, normalized and checked, with the password hashed.

    Raises Invalid (naming the field) for anything sign-up would refuse.
    """
    fields = {
        "email": normalize_email(email),
        "handle": normalize_handle(handle),
        "display_name": normalize_display_name(display_name),
    }
    passwords.check_policy(password)
    ensure_email_free(fields["email"])
    ensure_handle_free(fields["handle"])
    return {**fields, "password_hash": passwords.hash_password(password)}


@contextmanager
def taken_meanwhile() -> Iterator[None]:
    """Someone took the address or handle between our check and the insert: say so."""
    try:
        yield
    except IntegrityError:
        raise Invalid(_l("This email address or handle was just taken."), field="email") from None


def set_language(member: Member, language: str) -> None:
    """Store the member's language; raises Invalid for one the community does not speak."""
    if language not in current_app.config["LANGUAGES"]:
        raise Invalid(_l("Choose one of the offered languages."), field="language")
    member_id = member.id
    with write_transaction() as session:
        session.get(Member, member_id).language = language


def _active_admins(session) -> int:
    return session.scalar(
        select(func.count(Member.id)).where(
            Member.role == Role.admin, Member.status == MemberStatus.active
        )
    )


def _guard_last_admin(
    session, member: Member, *, new_role: Role | None = None, new_status: MemberStatus | None = None
) -> None:
    stays_admin = (new_role or member.role) == Role.admin and (
        new_status or member.status
    ) == MemberStatus.active
    is_active_admin = member.role == Role.admin and member.status == MemberStatus.active
    if is_active_admin and not stays_admin and _active_admins(session) <= 1:
        raise Conflict(_l("This is the last active admin; make someone else an admin first."))


def set_role(actor: Member, member_id: int, role: Role) -> Member:
    """Give a member another role; their sessions end so the change applies everywhere.

    Raises Forbidden unless the actor administers, NotFound for an unknown
    member, Conflict when it would leave the community without an active admin.
    """
    if not can(actor, Permission.administer):
        raise Forbidden(_l("Only admins can change roles."))
    with write_transaction() as session:
        member = session.get(Member, member_id)
        if member is None:
            raise NotFound(_l("No such member."))
        if member.role == role:
            return member
        _guard_last_admin(session, member, new_role=role)
        old = member.role
        member.role = role
        sessions.bump_session_version(session, member)
        audit.record(session, actor, "role_changed", member_id, old=old.value, new=role.value)
    security_log.info(
        "role changed member=%s %s->%s by=%s", member_id, old.value, role.value, actor.id
    )
    return member


def set_status(actor: Member, member_id: int, status: MemberStatus) -> Member:
    """Suspend, reactivate or deactivate a member; leaving "active" ends their sessions.

    Moderators may suspend and reactivate customers and employees; admins may
    do anything but leave the community without an active admin. Raises
    Forbidden, NotFound or Conflict.
    """
    if status == MemberStatus.deleted:
        raise Invalid(_l("Deleting an account is its own action."), field="status")
    with write_transaction() as session:
        member = session.get(Member, member_id)
        if member is None:
            raise NotFound(_l("No such member."))
        _check_may_set_status(actor, member, status)
        if member.status == status:
            return member
        _guard_last_admin(session, member, new_status=status)
        old = member.status
        member.status = status
        if status != MemberStatus.active:
            sessions.bump_session_version(session, member)
        audit.record(session, actor, "status_changed", member_id, old=old.value, new=status.value)
    security_log.info(
        "status changed member=%s %s->%s by=%s", member_id, old.value, status.value, actor.id
    )
    return member


def _check_may_set_status(actor: Member, member: Member, status: MemberStatus) -> None:
    if can(actor, Permission.administer):
        return
    moderates = can(actor, Permission.moderate)
    ordinary = member.role in (Role.customer, Role.employee)
    if moderates and ordinary and status in (MemberStatus.suspended, MemberStatus.active):
        return
    raise Forbidden(_l("You may not change this member's status."))


def create_member(
    *, email: str, handle: str, password: str, role: Role, display_name: str | None = None
) -> Member:
    """An account made by the operator (CLI): active, its address taken as verified.

    Raises Invalid for any field the sign-up form would refuse.
    """
    fields = checked_new_member(
        email=email, handle=handle, display_name=display_name or handle, password=password
    )
    with taken_meanwhile(), write_transaction() as session:
        member = Member(
            **fields,
            email_verified=True,
            role=role,
            status=MemberStatus.active,
        )
        session.add(member)
    security_log.info("member created by operator member=%s role=%s", member.id, role.value)
    return member


def set_password(email: str, password: str) -> Member:
    """The operator sets a member's password (no SMTP needed); all their sessions end."""
    email = normalize_email(email)
    passwords.check_policy(password)
    password_hash = passwords.hash_password(password)
    with write_transaction() as session:
        member = session.scalar(select(Member).where(Member.email == email))
        if member is None:
            raise NotFound(_l("No such member."))
        member.password_hash = password_hash
        sessions.bump_session_version(session, member)
    security_log.info("password set by operator member=%s", member.id)
    return member


def find_by_email(email: str) -> Member | None:
    try:
        email = normalize_email(email)
    except Invalid:
        return None
    return db.session.scalar(select(Member).where(Member.email == email))


# The first admin (SEC-05) ---------------------------------------------------------------------


def needs_first_admin() -> bool:
    """True while no active admin exists: the community has nobody to run it."""
    return _active_admins(db.session) == 0


def issue_setup_token() -> str:
    """A one-time link for creating the first admin; the serving process prints it."""
    hours = current_app.config["FIRST_ADMIN_HOURS"]
    with write_transaction() as session:
        return tokens.issue_one_time(session, TokenPurpose.first_admin, timedelta(hours=hours))


def create_first_admin(
    raw: str, *, email: str, handle: str, display_name: str, password: str
) -> Member:
    """Use the setup link to create the first admin; it works once, and only while none exists.

    Raises Invalid for bad fields, NotFound for a used or unknown link and
    Conflict when an admin exists already.
    """
    fields = checked_new_member(
        email=email, handle=handle, display_name=display_name, password=password
    )
    with taken_meanwhile(), write_transaction() as session:
        if _active_admins(session):
            raise Conflict(_l("This community already has an admin."))
        tokens.use_one_time(session, raw, TokenPurpose.first_admin)
        member = Member(
            **fields,
            email_verified=True,
            role=Role.admin,
            status=MemberStatus.active,
        )
        session.add(member)
    security_log.info("first admin created member=%s", member.id)
    return member
