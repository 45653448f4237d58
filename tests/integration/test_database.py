"""The database layer: aware UTC times, SQLite set-up, write transactions (issue 2, item 4)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from network.community import service as community
from network.database import write_transaction
from network.extensions import db
from network.models import CommunitySetting


@pytest.mark.both_databases
def test_times_come_back_aware_and_in_utc(ctx):
    moscow = timezone(timedelta(hours=3))
    written = datetime(2026, 11, 26, 15, 30, tzinfo=moscow)
    with write_transaction() as session:
        session.add(CommunitySetting(key="when", value="x", updated_at=written))
    db.session.expire_all()
    stored = db.session.get(CommunitySetting, "when").updated_at
    assert stored.tzinfo is not None
    assert stored.utcoffset() == timedelta(0)
    assert stored == written  # the same moment
    assert stored.hour == 12  # shown in UTC


@pytest.mark.both_databases
def test_aware_times_compare_in_queries(ctx):
    with write_transaction() as session:
        session.add(CommunitySetting(key="name", value="Acme"))
    found = db.session.scalars(
        select(CommunitySetting).where(
            CommunitySetting.updated_at > datetime.now(UTC) - timedelta(minutes=1)
        )
    ).all()
    assert [row.key for row in found] == ["name"]


@pytest.mark.both_databases
def test_naive_times_are_refused(ctx):
    with pytest.raises(Exception, match="naive datetime"), write_transaction() as session:
        session.add(CommunitySetting(key="k", value=1, updated_at=datetime(2026, 1, 1)))
    assert db.session.get(CommunitySetting, "k") is None


@pytest.mark.both_databases
def test_a_failed_write_transaction_leaves_nothing(ctx):
    with pytest.raises(RuntimeError), write_transaction() as session:
        session.add(CommunitySetting(key="name", value="Half"))
        session.flush()
        raise RuntimeError("boom")
    assert db.session.get(CommunitySetting, "name") is None


@pytest.mark.both_databases
def test_community_name_is_set_cleared_and_limited(ctx):
    assert community.profile().name is None
    community.set_value("name", "  Acme Users  ")
    assert community.profile().name == "Acme Users"
    community.set_value("name", "")
    assert community.profile().name is None
    with pytest.raises(community.SettingError):
        community.set_value("name", "x" * (community.MAX_NAME_LENGTH + 1))
    with pytest.raises(community.SettingError):
        community.set_value("role", "admin")


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(ctx):
    connection = db.session.connection()
    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_write_transactions_are_immediate_and_reads_deferred(app, count_queries):
    sent: list[str] = []
    with app.app_context():
        from sqlalchemy import event

        def record(_conn, _cursor, statement, *_args):
            sent.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        db.session.execute(text("SELECT 1"))
        with write_transaction() as session:
            session.add(CommunitySetting(key="name", value="Acme"))
        event.remove(db.engine, "before_cursor_execute", record)
    begins = [s for s in sent if s.startswith("BEGIN")]
    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]


def test_concurrent_read_then_write_transactions_queue_instead_of_failing(app):
    """REL-01 / RECIPES.md: with BEGIN IMMEDIATE no writer sees 'database is locked'."""
    writers, rounds = 6, 15
    errors: list[BaseException] = []
    with app.app_context():
        community.set_value("name", "0")

    def writer() -> None:
        with app.app_context():
            try:
                for _ in range(rounds):
                    db.session.execute(select(CommunitySetting)).all()  # a read first
                    with write_transaction() as session:
                        row = session.get(CommunitySetting, "name")
                        row.value = str(int(row.value) + 1)
            except BaseException as error:  # collected and reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.get(CommunitySetting, "name").value == str(writers * rounds)
