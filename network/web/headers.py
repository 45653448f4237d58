"""Response headers that every page carries, caching rules and the request id (SEC-40..43)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request, session

# Scripts and styles come from this origin only: our own files and the npm
# packages copied into static/vendor/.  Data for scripts travels in
# <script type="application/json"> blocks, which CSP does not execute.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# A member's page may sit in their browser's cache but must be asked for again
# (a back button after signing out shows nothing stale); a page showing a
# secret is not written to any cache at all.  "private" keeps both out of
# shared caches (proxies, CDNs).
MEMBER_CACHE_CONTROL = "private, no-cache"
UNSTORED_CACHE_CONTROL = "private, no-store"

View = TypeVar("View", bound=Callable[..., Any])


def shows_secret(view: View) -> View:
    """Route decorator (below the route): this page shows a secret; no cache may store it.

    A token shown once, a link that signs someone in or sets a password.  The
    flag is set before the view runs, so its refusals and re-shown forms
    (which keep the secret in their URL) are covered too.
    """

    @wraps(view)
    def secret_page(*args: Any, **kwargs: Any) -> Any:
        g.shows_secret = True
        return view(*args, **kwargs)

    return secret_page  # type: ignore[return-value]


def _assign_request_id() -> None:
    # A proxy's id is kept when it looks like one, so logs line up end to end.
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)


_DEFAULT_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def _add_headers(response: Response) -> Response:
    headers = response.headers
    # A view may set its own (setdefault's meaning), looked up in one pass:
    # six setdefault calls were a tenth of a cached page's time.
    present = {name.lower() for name, _value in headers.items()}
    missing = [pair for pair in _DEFAULT_HEADERS if pair[0].lower() not in present]
    if g.get("shows_secret"):
        headers["Cache-Control"] = UNSTORED_CACHE_CONTROL
    elif "cache-control" not in present and _for_a_member():
        # A view that set its own (Atom, robots.txt, static files, uploads)
        # knows whether its answer is the same for everyone; the rest of a
        # member's pages are theirs alone.
        missing.append(("Cache-Control", MEMBER_CACHE_CONTROL))
    headers.extend(missing)
    if served_over_tls():
        headers.setdefault("Strict-Transport-Security", HSTS)
    if "request_id" in g:
        headers["X-Request-ID"] = g.request_id
    return response


def _for_a_member() -> bool:
    """Whether this answer was made for a signed-in member (session or API token).

    When nobody was loaded (a page that never asked who is looking), the
    session's identity decides, so a member's answer is never stored as public.

    Flask-Login's g._login_user is read because nothing public says "a member
    was loaded" without loading one: current_user loads on access, and its
    user_accessed signal fires before the loader has an answer (and never for
    the API, whose auth.py sets g._login_user itself, or for login_user()).
    """
    user = g.get("_login_user")  # Flask-Login's member of this request, once loaded
    if user is not None:
        return bool(user.is_authenticated)
    return bool(session.get("_user_id"))


def served_over_tls() -> bool:
    public_url = current_app.config["PUBLIC_URL"]
    if public_url:
        return public_url.startswith("https://")
    return request.is_secure


def retry_after(seconds: int) -> None:
    """Say on this answer (a 429 or 503) when to come back, whatever a rate limit says."""
    g.retry_after = seconds


def _stamp_retry_after(response: Response) -> Response:
    seconds = g.pop("retry_after", None)
    if seconds is not None and response.status_code in (429, 503):
        response.headers["Retry-After"] = str(seconds)
    return response


def init_app(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_add_headers)
    # Flask runs after-request functions last-registered first, and Flask-Limiter's
    # would stamp its own window's reset over a Retry-After that says something else
    # (an account's growing wait, a full picture queue): this one goes first in the
    # list, so it runs last.
    app.after_request_funcs.setdefault(None, []).insert(0, _stamp_retry_after)
