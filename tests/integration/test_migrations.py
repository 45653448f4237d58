"""Migrations: an empty database upgrades to the models exactly, and back (issue 2, item 4)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from network.extensions import db
from network.models import Base
from tests.support.migrations import empty_database_app


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        return compare_metadata(context, Base.metadata)


@pytest.mark.both_databases
def test_an_empty_database_upgrades_to_the_models_and_back(db_backend, tmp_path):
    with empty_database_app(db_backend, tmp_path):
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert _differences() == []

        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

        upgrade()  # and forward again, leaving the schema at head
        assert _differences() == []
        db.engine.dispose()
