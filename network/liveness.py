"""The one rule for whether a credential still speaks for its member: HTTP pages, the API, sockets.

A credential is a browser session (a MemberSession row) or a personal API
token.  It is live while the member may still sign in (tokens: only an
active member), the member's session version is the one it was issued
under, and the session or token has neither ended (sign-out, revocation)
nor expired.  Pages check it on every request, the API on every call, and
sockets on connect and on every event (network/realtime/events.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from network.extensions import db
from network.models import ApiToken, Member, MemberSession, MemberStatus, utcnow

# Pending members may sign in to see that they wait for approval; a program
# acting for a member needs an active one.
SESSION_STATUSES = frozenset({MemberStatus.active, MemberStatus.pending})
TOKEN_STATUSES = frozenset({MemberStatus.active})


def _open(ended_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    return ended_at is None and (expires_at is None or now < expires_at)


def session_is_live(
    row: MemberSession, member: Member, version: int, now: datetime | None = None
) -> bool:
    """Whether a browser session issued under `version` still speaks for `member`."""
    return (
        row.member_id == member.id
        and _open(row.ended_at, row.expires_at, now or utcnow())
        and row.version == version
        and member.session_version == version
        and member.status in SESSION_STATUSES
    )


def token_is_live(
    token: ApiToken, member: Member, version: int | None = None, now: datetime | None = None
) -> bool:
    """Whether an API token still speaks for `member`.

    `version` is the member's session version when a socket opened with the
    token; sign-out everywhere, a password change or a role change close such
    sockets, while the token itself goes on working for new connections.
    """
    return (
        token.member_id == member.id
        and _open(token.revoked_at, token.expires_at, now or utcnow())
        and (version is None or member.session_version == version)
        and member.status in TOKEN_STATUSES
    )


@dataclass(frozen=True)
class Credential:
    """What a long-lived connection (a socket) was opened with, kept to re-check it later."""

    member_id: int
    session_version: int
    session_key: str | None = None  # a browser session (cookie sign-in)
    token_id: int | None = None  # a personal API token

    @classmethod
    def of_session(cls, member: Member, session_key: str | None) -> Credential:
        return cls(member.id, member.session_version, session_key=session_key)

    @classmethod
    def of_token(cls, member: Member, token_id: int) -> Credential:
        return cls(member.id, member.session_version, token_id=token_id)


def live_member(credential: Credential) -> Member | None:
    """The member the credential speaks for now, or None once it no longer does (one query)."""
    if credential.token_id is not None:
        found = db.session.execute(
            select(ApiToken, Member)
            .join(Member, Member.id == ApiToken.member_id)
            .where(ApiToken.id == credential.token_id)
        ).first()
        if found is None or not token_is_live(found[0], found[1], credential.session_version):
            return None
        return found[1]
    if credential.session_key is not None:
        found = db.session.execute(
            select(MemberSession, Member)
            .join(Member, Member.id == MemberSession.member_id)
            .where(MemberSession.key == credential.session_key)
        ).first()
        if found is None or not session_is_live(found[0], found[1], credential.session_version):
            return None
        return found[1]
    return None  # a credential names a session or a token; anything else speaks for nobody
