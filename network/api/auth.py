"""Who is calling the API: a personal bearer token or nobody; the session cookie never counts.

Nothing here reads Flask-Login's ``current_user``.  Instead the token's
member (or an anonymous visitor) is pinned as Flask-Login's user for the
request before anything can load one from the cookie, so code outside the
API that asks (the language choice) sees the token's member, and a
signed-in browser gains nothing here by its cookie (no CSRF is needed).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import AnonymousUserMixin

from network.accounts.tokens import member_for_api_token
from network.api.errors import unauthorized
from network.models import Member

View = TypeVar("View", bound=Callable[..., Any])


def _bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, "" for any other header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return token.strip()


def authenticate() -> None:
    """Find the caller once per request: g.api_member (None: anonymous), g.api_token_sent."""
    if g.get("api_authenticated"):
        return
    token = _bearer_token()
    member = member_for_api_token(token) if token else None
    g.api_member = member
    g.api_token_sent = token is not None
    g.api_authenticated = True
    # Flask-Login's per-request user; set first, so it never loads one from the cookie.
    # Its public request_loader cannot do this: Flask-Login asks it only when neither
    # the session nor a remember-me cookie names a user (so a signed-in browser's
    # cookie would win over the token), and loading from a remember-me cookie
    # writes the session (a Set-Cookie on an API answer).
    g._login_user = member if member is not None else AnonymousUserMixin()


def refuse_bad_tokens() -> None:
    """Before every API view: a token that was sent but is not valid is 401, even on public reads.

    Answering as if anonymous would hide a revoked token from the program using it.
    """
    authenticate()
    if g.api_token_sent and g.api_member is None:
        raise unauthorized(token_sent=True)


def api_member() -> Member | None:
    """The token's active member, or None for an anonymous caller."""
    authenticate()
    return g.api_member


def caller() -> Member:
    """The token's member; 401 with a Bearer challenge for an anonymous caller."""
    member = api_member()
    if member is None:
        raise unauthorized(token_sent=False)
    return member


def token_required(view: View) -> View:
    """Route decorator: the operation needs a token (anonymous callers get 401)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        caller()
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def rate_limit() -> str:
    # Read per request, so a test server (or an operator's config.py) can change it.
    return str(current_app.config["RATELIMIT_API"])


def rate_key() -> str:
    """One budget per member (all their tokens share it), per address for everyone else.

    A wrong or made-up token counts against its address, so guessing tokens
    buys no fresh budget.
    """
    member = api_member()
    if member is not None:
        return f"api:member:{member.id}"
    return f"api:address:{get_remote_address()}"
