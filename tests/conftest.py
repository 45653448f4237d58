"""Fixtures shared by every test: an app per test with a fresh database, clients, servers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from network import create_app
from network.extensions import db
from network.models import Base
from tests.support.queries import QueryCounter
from tests.support.workers import give_each_worker_its_own

# Before anything reads them: under pytest-xdist each worker has databases of its own.
give_each_worker_its_own()

pytest_plugins = ["tests.support.servers", "tests.support.browser", "tests.support.people"]

TEST_SECRET = "test-secret-key-that-is-long-enough-for-the-checks"
POSTGRES_URL = os.environ.get("NETWORK_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("NETWORK_TEST_REDIS_URL")
GENEROUS_LIMITS = (
    "RATELIMIT_SIGN_IN_IP",
    "RATELIMIT_SIGN_IN_ACCOUNT",
    "RATELIMIT_SIGN_UP_IP",
    "RATELIMIT_MAIL_IP",
    "RATELIMIT_MAIL_ACCOUNT",
    "RATELIMIT_UPLOAD",
    "RATELIMIT_API",
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests marked both_databases run once per database; the PostgreSQL run
    # skips (and says why) where NETWORK_TEST_DATABASE_URL is not set.
    if "db_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_databases"
    ):
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    backend = getattr(request, "param", "sqlite")
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("PostgreSQL test database absent: NETWORK_TEST_DATABASE_URL is not set")
    return backend


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the current schema, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with engine.connect() as connection:
        connection.execute(text("PRAGMA journal_mode=DELETE"))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """The schema on the PostgreSQL test database, built once per run."""
    assert POSTGRES_URL
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    Base.metadata.create_all(engine)
    engine.dispose()
    yield POSTGRES_URL


def database_url_for(request: pytest.FixtureRequest, backend: str, folder: Path) -> str:
    if backend == "postgresql":
        return request.getfixturevalue("postgres_schema")
    template: Path = request.getfixturevalue("sqlite_template")
    path = folder / "network.sqlite"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def test_settings(instance: Path, database_url: str, **overrides: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        # presence at once, so the Socket.IO test client reads it right after a join
        "REALTIME_PRESENCE_WINDOW": 0,
        # cheap hashes; production keeps argon2-cffi's defaults
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
        # generous limits, except in the tests that prove them
        **dict.fromkeys(GENEROUS_LIMITS, "1000 per minute"),
        **overrides,
    }


@pytest.fixture
def app_settings() -> dict[str, Any]:
    """Extra configuration for the `app` fixture; override it in a test module."""
    return {}


@pytest.fixture
def app(
    request: pytest.FixtureRequest, tmp_path: Path, db_backend: str, app_settings: dict[str, Any]
) -> Iterator[Flask]:
    instance = tmp_path / "instance"
    instance.mkdir()
    url = database_url_for(request, db_backend, instance)
    application = create_app(test_settings(instance, url, **app_settings))
    # No app context stays pushed: requests would share it (and its `g`) with
    # the test.  Tests that touch the database directly use the `ctx` fixture.
    yield application
    from network.realtime import connections

    connections.clear()  # the registry is per process; each test's app starts empty
    with application.app_context():
        db.session.remove()
        if db_backend == "postgresql":
            _truncate_all()
        db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An application context for a test that calls services or queries directly."""
    with app.app_context():
        yield
        db.session.remove()


def _truncate_all() -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(app: Flask):
    """A visitor's browser: cookies kept, CSRF checked as in production."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app: Flask) -> Iterator[QueryCounter]:
    """`with count_queries() as counted: ...` then `counted.count` (N+1 checks)."""
    with app.app_context():
        engine = db.engine
    yield QueryCounter(engine)
