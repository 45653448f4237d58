"""Rate limits for socket events: Flask-Limiter covers HTTP views only, so events use `limits`.

While the shared store (Redis) does not answer, events are counted in this process's memory,
as Flask-Limiter does for HTTP (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED): a Redis outage must not
refuse every socket event.
"""

from __future__ import annotations

from functools import cache

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from network.logs import get_logger

log = get_logger("realtime")
IN_MEMORY = "memory://"


@cache
def _limiter(storage_uri: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(storage_uri))


def allowed(kind: str, who: str) -> bool:
    """Whether `who` (a member or socket) may send one more `kind` event now."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return True
    limit = parse(config["RATELIMIT_SOCKET"].get(kind, config["RATELIMIT_SOCKET"]["default"]))
    shared = _limiter(config["RATELIMIT_STORAGE_URI"])
    try:
        return shared.hit(limit, "socket", kind, who)
    except shared.storage.base_exceptions as error:
        log.warning("socket limits counted in memory: the store fails (%s)", type(error).__name__)
        return _limiter(IN_MEMORY).hit(limit, "socket", kind, who)
