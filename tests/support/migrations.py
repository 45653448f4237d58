"""An app on an empty database, for tests that run the migrations themselves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from network import create_app
from network.extensions import db


@contextmanager
def empty_database_app(db_backend: str, tmp_path: Path) -> Iterator[Flask]:
    """Inside its app context: a new SQLite file, or the PostgreSQL test schema emptied."""
    from tests.conftest import POSTGRES_URL, TEST_SECRET

    if db_backend == "postgresql":
        assert POSTGRES_URL
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": url,
        }
    )
    with app.app_context():
        if db_backend == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        yield app
