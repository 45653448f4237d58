"""Members and everything that proves who they are: sessions, sign-in events, tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.models.base import Base, UTCDateTime, string_enum, utcnow


class Role(enum.StrEnum):
    customer = "customer"
    employee = "employee"
    moderator = "moderator"
    admin = "admin"


class MemberStatus(enum.StrEnum):
    pending = "pending"  # waiting for approval (approval registration mode)
    active = "active"
    suspended = "suspended"  # by a moderator or admin
    deactivated = "deactivated"  # by an admin, or by the member
    deleted = "deleted"


class Member(Base):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(string_enum(Role, "role"), default=Role.customer)
    status: Mapped[MemberStatus] = mapped_column(
        string_enum(MemberStatus, "member_status"), default=MemberStatus.active
    )
    language: Mapped[str | None] = mapped_column(String(8))
    # An IANA name ("Asia/Tokyo"); None follows NETWORK_DEFAULT_TIME_ZONE.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # When the mail digest last ran for them (sent, or skipped with nothing new).
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The avatar's upload name (profiles issue); None shows the default picture.
    # Kept on the member so every author line renders without another query.
    avatar: Mapped[str | None] = mapped_column(String(64))
    # Bumped by sign-out everywhere, password change, suspension, deactivation
    # and role change: every session minted under an older number stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How they arrived: a friend's personal link, or an invitation.
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL", use_alter=True), index=True
    )

    # Not a column: "<session version>:<session key>" of the browser this
    # member object was loaded for; Flask-Login keeps it in the cookies.
    session_token = None
    # Not a column: set when verifying an address promoted them to employee.
    promoted = False

    # Flask-Login's interface
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.status in (MemberStatus.active, MemberStatus.pending)

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.employee, Role.admin)

    def __repr__(self) -> str:
        return f"<Member {self.id} @{self.handle} {self.role.value}/{self.status.value}>"


class MemberSession(Base):
    """One signed-in browser; the cookie names it, so ending the row ends that browser."""

    __tablename__ = "member_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # random, sent in the cookie
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)  # the member's session_version at sign-in
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[Member] = relationship()

    __table_args__ = (Index("ix_member_session_member_id_ended_at", "member_id", "ended_at"),)


class SignInEvent(Base):
    """A sign-in attempt on a known account; members can download their own."""

    __tablename__ = "sign_in_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    success: Mapped[bool] = mapped_column(Boolean)


class TokenPurpose(enum.StrEnum):
    verify_email = "verify_email"
    reset_password = "reset_password"  # noqa: S105 (a purpose name)
    first_admin = "first_admin"


class OneTimeToken(Base):
    """A link sent by mail or printed on the console: stored hashed, used once, short-lived."""

    __tablename__ = "one_time_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(string_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))  # the address being verified
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A personal access token for the JSON API and API socket clients."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: until revoked

    member: Mapped[Member] = relationship()
