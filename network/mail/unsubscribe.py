"""Unsubscribe links: a signed token naming a member and a kind of mail, good without signing in.

The token is the credential (like a one-time link, but it never expires: an old
mail's link must still work). It is signed with the app's secret key
(itsdangerous), so nobody can make one for another member or kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from network.mail import preferences
from network.models import Member

SALT = "mail-unsubscribe"
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class Unsubscribe:
    member_id: int
    kind: str


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(member: Member, kind: str) -> str:
    return _serializer().dumps([member.id, kind])


def unsubscribe_url(member: Member, kind: str) -> str:
    """The absolute link that turns `kind` off for `member` (shown in the mail and its headers)."""
    from network.mail.outbox import absolute_for

    return absolute_for("mail.unsubscribe", token=token_for(member, kind))


def read(token: str) -> Unsubscribe | None:
    """What a token names, or None when it is forged, damaged or names no optional kind."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2):
        return None
    member_id, kind = value
    if not isinstance(member_id, int) or isinstance(member_id, bool):
        return None
    rules = preferences.KINDS.get(kind) if isinstance(kind, str) else None
    if rules is None or not rules.optional:
        return None
    return Unsubscribe(member_id=member_id, kind=kind)
