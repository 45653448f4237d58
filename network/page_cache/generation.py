"""The page generation: read before a page's data, moved on by every commit that wrote.

Why this is enough for correctness, with any number of processes:

- A transaction that writes (INSERT, UPDATE, DELETE through this app's engine,
  whether ORM, Core or raw SQL) adds one UPDATE of the generation row just
  before its COMMIT, on the same connection: the new data and the new number
  become visible together.
- A request reads the number *before* it reads any data. If it sees number N,
  every write that produced N is already committed, so what it renders is at
  least as new as N. It keeps the page under N; a later write makes N+1 and
  nobody asks for N again.

Writes that change nothing a page shows say so (``write_transaction(pages_unchanged=True)``): the
session's "last seen" stamp, written every few minutes per member, would
otherwise empty every process's cache each time.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

from network.database import PAGES_UNCHANGED

_WROTE = "network_page_writes"  # Connection.info flag: DML ran in this transaction
_DML = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")
BUMP = "UPDATE page_generation SET n = n + 1 WHERE id = 1"
READ = "SELECT n FROM page_generation WHERE id = 1"


def watch(engine: Engine) -> None:
    """Attach the bump to `engine`: every committed transaction that wrote moves the number."""
    if event.contains(engine, "before_cursor_execute", _note_write):
        return
    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "begin", _forget)
    event.listen(engine, "commit", _bump_before_commit)
    event.listen(engine, "rollback", _forget)


def _note_write(
    connection: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    if connection.info.get(_WROTE) or connection.get_execution_options().get(PAGES_UNCHANGED):
        return
    if statement.lstrip()[:7].upper().startswith(_DML):
        connection.info[_WROTE] = True


def _bump_before_commit(connection: Any) -> None:
    # The "commit" event runs just before the driver's COMMIT, still inside the
    # transaction; the raw cursor keeps this statement out of the events above.
    if not connection.info.pop(_WROTE, False):
        return
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(BUMP)
    finally:
        cursor.close()


def _forget(connection: Any) -> None:
    connection.info.pop(_WROTE, None)


def current(engine: Engine) -> int | None:
    """The generation now, read once per request; None when it cannot be read (no caching)."""
    if has_request_context() and "page_generation" in g:
        return g.page_generation
    number = _read(engine)
    if has_request_context():
        g.page_generation = number
    return number


def _read(engine: Engine) -> int | None:
    # A pooled driver connection and one statement: a SQLAlchemy session here
    # would cost more than the rest of a kept page. On PostgreSQL the statement
    # runs in autocommit, so it is one round trip: no transaction to open, and
    # none for the pool to roll back (SQLite connections are autocommit already).
    connection = engine.raw_connection()
    driver = connection.driver_connection
    autocommit = engine.dialect.name == "postgresql"
    try:
        if autocommit:
            driver.autocommit = True
        cursor = connection.cursor()
        try:
            cursor.execute(READ)
            row = cursor.fetchone()
        finally:
            cursor.close()
    except Exception:  # e.g. a database without the table yet: serve uncached
        return None
    finally:
        if autocommit:
            try:
                driver.autocommit = False
            except Exception:  # a broken connection: the pool opens a new one
                connection.invalidate()
        connection.close()
    return int(row[0]) if row else None
