"""How the app talks to its database: SQLite pragmas, and write transactions.

Reads stay deferred (a plain BEGIN on SQLite).  A service that writes calls
``write_transaction()``, which ends the request's read transaction and opens
BEGIN IMMEDIATE on SQLite: a transaction that read first cannot upgrade its
lock, and SQLite answers "database is locked" at once instead of waiting
(RECIPES.md measured 514 failures in 600 that way, and none with IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from network.extensions import db

HOW_TO_MIGRATE = "Fix: run `flask --app network db upgrade`."

SQLITE_BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE = "network_immediate"


def configure_engine(engine: Engine) -> None:
    """Attach the SQLite connection set-up; other databases need none."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "do_connect")
    def _make_folder(_dialect: Any, _record: Any, _args: Any, _kwargs: Any) -> None:
        # The folder appears on first use, not when the app is built.
        database = engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN away from the driver so that we choose its kind below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # NORMAL in WAL mode: a commit survives a killed process; only an OS
        # crash or power loss can take the last transactions back.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_IMMEDIATE):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def init_app(app: Flask) -> None:
    with app.app_context():
        configure_engine(db.engine)


@contextmanager
def write_transaction() -> Iterator[Session]:
    """Run the block in a fresh write transaction and commit it.

    The request's read transaction, if any, is ended first (its objects are
    expired and reload on next use).  On SQLite the new transaction is BEGIN
    IMMEDIATE, so concurrent writers queue on the busy timeout instead of
    failing.  Any exception rolls the transaction back and propagates.
    """
    session = db.session
    session.rollback()
    session.connection(execution_options={_IMMEDIATE: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def schema_problem(app: Flask) -> str | None:
    """Why the app's database cannot hold its data (cannot be opened, lacks tables), or None."""
    with app.app_context():
        try:
            tables = set(inspect(db.engine).get_table_names())
        except SQLAlchemyError as error:
            return f"the database cannot be opened ({type(error).__name__})"
        finally:
            db.session.remove()
    missing = sorted(set(db.metadata.tables) - tables)
    if missing:
        return f"the database lacks tables ({', '.join(missing[:3])}…)"
    return None
