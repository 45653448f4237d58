"""Response headers that every page carries, and the request id (SEC-40, SEC-41, SEC-43)."""

from __future__ import annotations

import re
import secrets

from flask import Flask, Response, current_app, g, request

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
    headers.extend([pair for pair in _DEFAULT_HEADERS if pair[0].lower() not in present])
    if served_over_tls():
        headers.setdefault("Strict-Transport-Security", HSTS)
    if "request_id" in g:
        headers["X-Request-ID"] = g.request_id
    return response


def served_over_tls() -> bool:
    public_url = current_app.config["PUBLIC_URL"]
    if public_url:
        return public_url.startswith("https://")
    return request.is_secure


def init_app(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_add_headers)
