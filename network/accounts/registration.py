"""Joining and proving an address: sign-up, email verification, email change, password reset."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network import mail
from network.accounts import audit, invitations, passwords, sessions, tokens
from network.accounts.members import checked_new_member, taken_meanwhile
from network.accounts.validation import (
    ensure_email_free,
    normalize_email,
)
from network.community import service as community
from network.database import write_transaction
from network.exceptions import Forbidden, Invalid
from network.extensions import db
from network.logs import get_logger
from network.models import Member, MemberStatus, Role, TokenPurpose

security_log = get_logger("security")


def sign_up(
    *,
    email: str,
    handle: str,
    display_name: str,
    password: str,
    language: str | None,
    invite: str | None = None,
    ref: str | None = None,
) -> Member:
    """Create an account as the community's registration mode allows, and mail a link.

    - open: anyone joins as a customer; `ref`, a member's handle, records who
      invited them (a personal link);
    - invite: an invitation token is required;
    - approval: new members wait (status pending) unless they hold an invitation.
    An invitation gives its role and skips approval; each use is counted.
    Raises Forbidden without a needed invitation, Invalid for bad fields or an
    invitation that no longer works.
    """
    settings = community.profile()
    invitation = invitations.usable(invite) if invite else None
    if invite and invitation is None:
        raise Invalid(_l("This invitation is no longer valid."), field="invite")
    if settings.registration == "invite" and invitation is None:
        raise Forbidden(_l("Joining this community needs an invitation."))
    fields = checked_new_member(
        email=email, handle=handle, display_name=display_name, password=password
    )
    waits = settings.registration == "approval" and invitation is None
    referrer = None
    if ref and invitation is None and settings.registration == "open":
        referrer = db.session.scalar(
            select(Member.id).where(
                Member.handle == ref.lower(), Member.status == MemberStatus.active
            )
        )
    with taken_meanwhile(), write_transaction() as session:
        spent = invitations.spend(session, invite) if invitation is not None else None
        member = Member(
            **fields,
            role=spent.role if spent else Role.customer,
            status=MemberStatus.pending if waits else MemberStatus.active,
            language=language if language in current_app.config["LANGUAGES"] else None,
            invitation_id=spent.id if spent else None,
            invited_by_id=spent.created_by_id if spent else referrer,
        )
        session.add(member)
        session.flush()
        raw = tokens.issue_one_time(
            session,
            TokenPurpose.verify_email,
            _verify_lifetime(),
            member_id=member.id,
            email=fields["email"],
        )
    security_log.info(
        "sign-up member=%s role=%s status=%s", member.id, member.role.value, member.status.value
    )
    _mail_verification(member, fields["email"], raw)
    return member


def _verify_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["VERIFY_EMAIL_HOURS"])


def _mail_verification(member: Member, email: str, raw: str) -> None:
    link = url_for("accounts.verify_email", token=raw, _external=True)
    with force_locale(member.language or "en"):
        mail.send(
            email,
            _("Confirm your email address"),
            _(
                "Hello %(name)s,\n\nplease confirm your address by opening this link within "
                "%(hours)d hours:\n\n%(link)s\n\nIf you did not ask for this, ignore this message.",
                name=member.display_name,
                hours=current_app.config["VERIFY_EMAIL_HOURS"],
                link=link,
            ),
        )


def resend_verification(member: Member) -> None:
    """Mail a fresh verification link for the member's current address (no-op when verified)."""
    if member.email_verified:
        return
    with write_transaction() as session:
        raw = tokens.issue_one_time(
            session,
            TokenPurpose.verify_email,
            _verify_lifetime(),
            member_id=member.id,
            email=member.email,
        )
    _mail_verification(member, member.email, raw)


def verify_email(raw: str) -> Member:
    """Use a verification link: the address it names becomes the member's verified address.

    Raises NotFound for a used, expired or unknown link, and Invalid when
    another account took the address meanwhile.
    """
    with write_transaction() as session:
        token = tokens.use_one_time(session, raw, TokenPurpose.verify_email)
        member = session.get(Member, token.member_id)
        if member is None:
            raise Invalid(_l("This link is no longer valid. Links work once and expire."))
        if token.email != member.email:
            taken = session.scalar(
                select(Member.id).where(Member.email == token.email, Member.id != member.id)
            )
            if taken:
                raise Invalid(_l("An account with this email address already exists."))
            security_log.info("email changed member=%s", member.id)
            member.email = token.email
        member.email_verified = True
        if _promotes(member):
            member.role = Role.employee
            sessions.bump_session_version(session, member)
            audit.record(
                session,
                None,
                "promoted_by_domain",
                member.id,
                domain=member.email.rsplit("@", 1)[1],
            )
            member.promoted = True
    return member


def _promotes(member: Member) -> bool:
    """A customer who proved an address in a company domain becomes an employee."""
    domain = member.email.rsplit("@", 1)[-1]
    return member.role == Role.customer and domain in community.profile().staff_domains


def request_email_change(member: Member, new_email: str, current_password: str) -> str:
    """Mail a link to the new address; the address changes only when it is opened.

    Raises Invalid for a wrong current password or a bad or taken address.
    """
    if not passwords.verify_password(member.password_hash, current_password):
        raise Invalid(_l("The current password is wrong."), field="current_password")
    email = normalize_email(new_email, field="new_email")
    if email == member.email:
        raise Invalid(_l("This is already your address."), field="new_email")
    ensure_email_free(email, field="new_email")
    with write_transaction() as session:
        raw = tokens.issue_one_time(
            session,
            TokenPurpose.verify_email,
            _verify_lifetime(),
            member_id=member.id,
            email=email,
        )
    _mail_verification(member, email, raw)
    return email


def request_password_reset(email: str) -> None:
    """Mail a reset link when such an account exists; the caller says the same thing either way."""
    try:
        email = normalize_email(email)
    except Invalid:
        return
    member = db.session.scalar(select(Member).where(Member.email == email))
    if member is None or member.status not in sessions.CAN_SIGN_IN:
        passwords.spend_time_like_a_check()
        return
    minutes = current_app.config["RESET_PASSWORD_MINUTES"]
    with write_transaction() as session:
        raw = tokens.issue_one_time(
            session,
            TokenPurpose.reset_password,
            timedelta(minutes=minutes),
            member_id=member.id,
            email=email,
        )
    link = url_for("accounts.reset_password", token=raw, _external=True)
    with force_locale(member.language or "en"):
        mail.send(
            email,
            _("Reset your password"),
            _(
                "Hello %(name)s,\n\nto choose a new password open this link within %(minutes)d "
                "minutes:\n\n%(link)s\n\nIf you did not ask for this, ignore this message; your "
                "password stays as it is.",
                name=member.display_name,
                minutes=minutes,
                link=link,
            ),
        )
    security_log.info("password reset requested member=%s", member.id)


def reset_password(raw: str, new_password: str) -> Member:
    """Use a reset link to set a new password; every session of the member ends.

    The password is checked before the link is used, so a refused password
    does not spend the link. Raises Invalid or NotFound.
    """
    passwords.check_policy(new_password)
    password_hash = passwords.hash_password(new_password)
    with write_transaction() as session:
        token = tokens.use_one_time(session, raw, TokenPurpose.reset_password)
        member = session.get(Member, token.member_id)
        member.password_hash = password_hash
        if token.email == member.email:
            member.email_verified = True  # they just proved they read this address
        sessions.bump_session_version(session, member)
    security_log.info("password reset member=%s", member.id)
    return member


def change_password(member: Member, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; every session of the member ends.

    Raises Invalid for a wrong current password or a refused new one.
    """
    if not passwords.verify_password(member.password_hash, current_password):
        raise Invalid(_l("The current password is wrong."), field="current_password")
    passwords.check_policy(new_password, field="new_password")
    password_hash = passwords.hash_password(new_password)
    member_id = member.id
    with write_transaction() as session:
        stored = session.get(Member, member_id)
        stored.password_hash = password_hash
        sessions.bump_session_version(session, stored)
    security_log.info("password changed member=%s", member_id)
