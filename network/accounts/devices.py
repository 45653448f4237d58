"""Device cookies: a browser that signed in before is known again (OWASP's device cookies).

The cookie reads "<member id>.<nonce>.<signature>", the signature an HMAC-SHA256
of the first two parts under a key derived from the app's secret.  It proves
only that this browser once signed in as that member: the password is still
checked, but the guessing delay other devices share does not apply to it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, request
from werkzeug.wrappers import Response

COOKIE_NAME = "device"
LIFETIME_SECONDS = 365 * 24 * 3600  # long-lived, as OWASP advises: it is not a session
_MAX_LENGTH = 200  # a longer cookie is not ours; no HMAC work for it


def _signature(member_id: int, nonce: str) -> str:
    # A key of its own, so a device signature can never pass for a session or token one.
    key = hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"network device cookie", hashlib.sha256
    ).digest()
    return hmac.new(key, f"{member_id}.{nonce}".encode(), hashlib.sha256).hexdigest()


def remember(response: Response, member_id: int) -> None:
    """Give this browser a fresh device cookie for the member who just signed in."""
    nonce = secrets.token_urlsafe(18)
    response.set_cookie(
        COOKIE_NAME,
        f"{member_id}.{nonce}.{_signature(member_id, nonce)}",
        max_age=LIFETIME_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        path="/",
    )


def presented_for(member_id: int | None) -> str | None:
    """The nonce of this request's device cookie when it is genuine and the member's, else None.

    A forged cookie, a cookie another member's sign-in left behind, or one for
    an unknown account all count as no cookie at all.
    """
    value = request.cookies.get(COOKIE_NAME, "")
    if member_id is None or not value or len(value) > _MAX_LENGTH:
        return None
    owner, _, rest = value.partition(".")
    nonce, _, signature = rest.partition(".")
    if owner != str(member_id) or not nonce or not signature:
        return None
    if not hmac.compare_digest(signature, _signature(member_id, nonce)):
        return None
    return nonce
