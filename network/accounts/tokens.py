"""Random tokens: one-time links (verify, reset, first admin) and personal API tokens.

Only a SHA-256 of each token is stored: the tokens are 256 random bits, so a
slow hash adds nothing, and a stolen database yields no usable link or token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from network import liveness, signals, text_rules
from network.database import write_transaction
from network.exceptions import Invalid, NotFound
from network.extensions import db
from network.models import ApiToken, Member, OneTimeToken, TokenPurpose, utcnow

API_TOKEN_PREFIX = "nw_"  # noqa: S105 (a marker, not a secret)
MAX_TOKEN_NAME = 80
MAX_TOKENS_PER_MEMBER = 50
LIFETIME_DAYS = (7, 30, 90, 365)  # or None: until revoked
DEFAULT_LIFETIME_DAYS = 90  # what the settings form offers first


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# One-time links ------------------------------------------------------------------------------


def issue_one_time(
    session,
    purpose: TokenPurpose,
    lifetime: timedelta,
    *,
    member_id: int | None = None,
    email: str | None = None,
) -> str:
    """Add a one-time token to the caller's write transaction; return the raw token."""
    raw = secrets.token_urlsafe(32)
    session.add(
        OneTimeToken(
            purpose=purpose,
            token_hash=digest(raw),
            member_id=member_id,
            email=email,
            expires_at=utcnow() + lifetime,
        )
    )
    return raw


def peek_one_time(raw: str, purpose: TokenPurpose) -> OneTimeToken | None:
    """The unused, unexpired token, without using it (to show a form first)."""
    if not raw or len(raw) > 128:
        return None
    token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == digest(raw)))
    if token is None or token.purpose != purpose or token.used_at is not None:
        return None
    if token.expires_at <= utcnow():
        return None
    return token


def use_one_time(session, raw: str, purpose: TokenPurpose) -> OneTimeToken:
    """Mark the token used inside the caller's write transaction, or raise NotFound.

    The UPDATE only matches an unused token, so two simultaneous uses cannot
    both succeed.
    """
    now = utcnow()
    result = session.execute(
        update(OneTimeToken)
        .where(
            OneTimeToken.token_hash == digest(raw or ""),
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at > now,
        )
        .values(used_at=now)
    )
    if result.rowcount != 1:
        raise NotFound(_l("This link is no longer valid. Links work once and expire."))
    return session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == digest(raw)))


# Personal API tokens --------------------------------------------------------------------------


def token_lifetime(days: Any) -> timedelta | None:
    """A token's lifetime from one of LIFETIME_DAYS (None: until revoked); raises Invalid."""
    if days in (None, "", "never"):
        return None
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = -1
    if days not in LIFETIME_DAYS:
        raise Invalid(_l("Choose how long the token works."), field="lifetime")
    return timedelta(days=days)


def create_api_token(
    member: Member, name: str, lifetime: timedelta | None = None
) -> tuple[ApiToken, str]:
    """Create a named token for the member; the raw token is returned once, never stored.

    ``lifetime`` None keeps it until revoked. Raises Invalid for an empty or
    over-long name, or when the member already holds the maximum number of live tokens.
    """
    name = text_rules.title(name, "name", _l("Token name"))
    if not name:
        raise Invalid(_l("Give the token a name, so you can recognise it later."), field="name")
    if len(name) > MAX_TOKEN_NAME:
        raise Invalid(_l("Use at most %(max)d characters.", max=MAX_TOKEN_NAME), field="name")
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with write_transaction() as session:
        now = utcnow()
        live = session.scalar(
            select(db.func.count(ApiToken.id)).where(
                ApiToken.member_id == member.id,
                ApiToken.revoked_at.is_(None),
                or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
            )
        )
        if live >= MAX_TOKENS_PER_MEMBER:
            raise Invalid(_l("You have too many tokens; revoke one first."), field="name")
        token = ApiToken(
            member_id=member.id,
            name=name,
            token_hash=digest(raw),
            prefix=raw[:10],
            created_at=now,
            expires_at=now + lifetime if lifetime is not None else None,
        )
        session.add(token)
    return token, raw


def member_tokens(member: Member) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.member_id == member.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_api_token(member: Member, token_id: int) -> None:
    """Revoke one of the member's own tokens; anyone else's id is NotFound (SEC-11)."""
    with write_transaction() as session:
        token = session.get(ApiToken, token_id)
        if token is None or token.member_id != member.id or token.revoked_at is not None:
            raise NotFound(_l("No such token."))
        token.revoked_at = utcnow()
    # After the commit: sockets opened with the token close now, not at their next event.
    signals.send(signals.token_revoked, token_id=token_id)


LAST_USED_RESOLUTION = timedelta(minutes=5)


def api_token_for(raw: str | None) -> tuple[ApiToken, Member] | None:
    """The live token a bearer string names and its member, or None (revoked, unknown, inactive).

    Liveness is network/liveness.py's rule, the same for the API and sockets.
    """
    if not raw or not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 128:
        return None
    row = db.session.execute(
        select(ApiToken, Member)
        .join(Member, Member.id == ApiToken.member_id)
        .where(ApiToken.token_hash == digest(raw))
    ).first()
    if row is None or not liveness.token_is_live(row[0], row[1]):
        return None
    token, member = row
    _touch(token)
    return token, member


def member_for_api_token(raw: str | None) -> Member | None:
    """The active member a bearer token belongs to, or None (revoked, unknown, inactive)."""
    found = api_token_for(raw)
    return found[1] if found else None


def _touch(token: ApiToken) -> None:
    # Last use is kept to five minutes, so a busy integration is not a write per request.
    now: datetime = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token_id = token.id
        with write_transaction() as session:
            session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
            )
