"""Migrations: an empty database upgrades to the models exactly, and back (issue 2, item 4)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from network import create_app
from network.extensions import db
from network.models import Base
from tests.conftest import POSTGRES_URL, TEST_SECRET


def _fresh_database_url(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert POSTGRES_URL
    return POSTGRES_URL


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        return compare_metadata(context, Base.metadata)


@pytest.mark.both_databases
def test_an_empty_database_upgrades_to_the_models_and_back(db_backend, tmp_path):
    url = _fresh_database_url(db_backend, tmp_path)
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
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert _differences() == []

        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

        upgrade()  # and forward again, leaving the schema at head
        assert _differences() == []
        db.engine.dispose()
