"""Where a page's time goes, measured in-process: SQL statements, their time, their plans.

One request at a time through the app's test client (no gunicorn, no wrk), so
the numbers separate the database's share from rendering and framework work.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import event

from network.extensions import db

REPEAT = 20
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Statement:
    sql: str
    parameters: Any
    ms: float


@dataclass
class PageProfile:
    key: str
    request_ms: float  # median over REPEAT requests
    statements: int  # SQL statements of one request, after the warm-up requests
    sql_ms: float  # the statements' standalone times, added up
    cpu_ms: float = float("nan")  # the least CPU time (this thread's) one request took
    slowest: Statement | None = None
    plan: list[str] = field(default_factory=list)


@contextmanager
def _recording(engine: Any) -> Iterator[list[Statement]]:
    recorded: list[Statement] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.strip().upper() not in {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"}:
            recorded.append(Statement(statement, parameters, 0.0))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield recorded
    finally:
        event.remove(engine, "before_cursor_execute", record)


def signed_in_client(app: Flask, email: str, password: str, user_agent: str) -> Any:
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    page = client.get("/signin").get_data(as_text=True)
    token = _CSRF.search(page)
    assert token, "no CSRF token on the sign-in page"
    answer = client.post(
        "/signin", data={"login": email, "password": password, "csrf_token": token.group(1)}
    )
    if answer.status_code != 302:
        raise RuntimeError(f"in-process sign-in failed with {answer.status_code}")
    return client


def profile_page(app: Flask, client: Any, key: str, path: str) -> PageProfile:
    """Median request time; the page's statements, each re-run alone and fully fetched.

    Timing statements inside the request would be wrong: the driver returns
    from execute() at the first row and the rest of a scan happens while the
    ORM fetches, so each statement is run again on its own, five times.
    """
    with app.app_context():
        engine = db.engine
    for _ in range(3):  # warm caches, templates and the connection pool
        assert client.get(path).status_code == 200, path
    request_ms: list[float] = []
    cpu_ms: list[float] = []
    for _ in range(REPEAT):
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = client.get(path)
        request_ms.append((time.perf_counter() - started) * 1000)
        cpu_ms.append((time.thread_time() - started_cpu) * 1000)
        assert response.status_code == 200, path
    with _recording(engine) as recorded:
        client.get(path)
    for statement in recorded:
        statement.ms = _standalone_ms(engine, statement)
    slowest = max(recorded, key=lambda statement: statement.ms, default=None)
    return PageProfile(
        key=key,
        request_ms=statistics.median(request_ms),
        statements=len(recorded),
        cpu_ms=min(cpu_ms),
        sql_ms=sum(statement.ms for statement in recorded),
        slowest=slowest,
        plan=explain(engine, slowest) if slowest else [],
    )


def _standalone_ms(engine: Any, statement: Statement, times: int = 5) -> float:
    connection = engine.raw_connection()
    try:
        spent = []
        for _ in range(times):
            cursor = connection.cursor()
            started = time.perf_counter()
            cursor.execute(statement.sql, statement.parameters)
            cursor.fetchall()
            spent.append((time.perf_counter() - started) * 1000)
            cursor.close()
        connection.rollback()
        return statistics.median(spent)
    finally:
        connection.close()


def explain(engine: Any, statement: Statement) -> list[str]:
    """The database's plan for a recorded statement, one line per step."""
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(prefix + statement.sql, statement.parameters).all()
    if engine.dialect.name == "sqlite":
        return [str(row[-1]) for row in rows]
    return [str(row[0]) for row in rows]
