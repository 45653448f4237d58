"""Counting the SQL statements a block of code sends (for fixed-cost pages)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


class QueryCounter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def __call__(self) -> Iterator[Counted]:
        counted = Counted()

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            # Transaction control is not a query; SQLite's BEGIN is ours to send.
            if statement.strip().upper() not in {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"}:
                counted.statements.append(statement)

        event.listen(self.engine, "before_cursor_execute", record)
        try:
            yield counted
        finally:
            event.remove(self.engine, "before_cursor_execute", record)
