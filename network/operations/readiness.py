"""Whether this process is ready to serve: the database answers, its schema is current, and
Redis answers when one is configured (GET /readyz, for load balancers and operators)."""

from __future__ import annotations

from functools import lru_cache

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import inspect, text

from network.config import PROJECT_ROOT
from network.extensions import db
from network.logs import get_logger

log = get_logger("readiness")
REDIS_TIMEOUT = 1.0  # seconds: a readiness probe must answer quickly, whatever Redis does


@lru_cache(maxsize=1)
def _head() -> str | None:
    """The newest migration this code ships (read once: it changes only with a release)."""
    return ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()


def database() -> tuple[str, str | None]:
    """("ok" | "unavailable", the schema revision it holds)."""
    try:
        if "alembic_version" not in inspect(db.engine).get_table_names():
            return "ok", None
        revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception as error:  # any failure means "not ready", whatever its kind
        log.warning("readiness: the database does not answer (%s)", type(error).__name__)
        db.session.rollback()
        return "unavailable", None
    return "ok", revision


def redis(url: str | None) -> str:
    """ "ok", "unavailable", or "not configured"."""
    if not url:
        return "not configured"
    try:
        from redis import Redis
        from redis.exceptions import RedisError

        client = Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        try:
            client.ping()
        finally:
            client.close()
    except ImportError:
        return "unavailable"  # configured without the redis extra installed
    except (RedisError, OSError) as error:
        log.warning("readiness: Redis does not answer (%s)", type(error).__name__)
        return "unavailable"
    return "ok"


def report() -> tuple[dict[str, object], int]:
    """The checks and the status code: 503 unless the database answers with the current
    schema; Redis down is "degraded" (200), since pages still serve and clients heal."""
    reached, revision = database()
    head = _head()
    migrations = "current" if revision == head else ("missing" if revision is None else "behind")
    queue = redis(current_app.config.get("REDIS_URL"))
    checks = {"database": reached, "migrations": migrations, "redis": queue}
    if reached != "ok" or migrations != "current":
        status, code = "unavailable", 503
    elif queue == "unavailable":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return {"status": status, "checks": checks, "revision": revision, "head": head}, code
