"""Rate limits for socket events: Flask-Limiter covers HTTP views only, so events use `limits`."""

from __future__ import annotations

from functools import cache

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


@cache
def _limiter(storage_uri: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(storage_uri))


def allowed(kind: str, who: str) -> bool:
    """Whether `who` (a member or socket) may send one more `kind` event now."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return True
    limit = parse(config["RATELIMIT_SOCKET"].get(kind, config["RATELIMIT_SOCKET"]["default"]))
    return _limiter(config["RATELIMIT_STORAGE_URI"]).hit(limit, "socket", kind, who)
