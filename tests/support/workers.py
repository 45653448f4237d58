"""Each pytest-xdist worker gets its own PostgreSQL database and Redis database number.

The suite runs in two processes (`make test` passes `-n 2`). The PostgreSQL
fixtures drop and rebuild their database's schema and the Redis tests flush
their database, so two workers sharing one would undo each other's work. The
first worker keeps the URLs it was given; the others get `<database>_gwN` (made
when missing) and the next Redis database numbers. Subprocesses inherit them.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REDIS_DATABASES = 16  # Redis's default count


def _worker_number() -> int:
    name = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... under xdist
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


def _own_postgres(url: str, number: int) -> str:
    base = make_url(url)
    own = base.set(database=f"{base.database}_gw{number}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    finally:
        admin.dispose()
    return own.render_as_string(hide_password=False)


def _own_redis(url: str, number: int) -> str:
    parts = urlsplit(url)
    database = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database + number) % REDIS_DATABASES}"))


def give_each_worker_its_own() -> None:
    number = _worker_number()
    if number == 0:
        return
    postgres = os.environ.get("NETWORK_TEST_DATABASE_URL")
    if postgres:
        os.environ["NETWORK_TEST_DATABASE_URL"] = _own_postgres(postgres, number)
    redis = os.environ.get("NETWORK_TEST_REDIS_URL")
    if redis:
        os.environ["NETWORK_TEST_REDIS_URL"] = _own_redis(redis, number)
