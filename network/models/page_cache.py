"""The page generation: one number that every committed change to what pages show moves on.

Rendered pages are kept in each process under the generation they were
rendered in (network/page_cache). The number lives in the database, so that
every process and machine serving it sees a change at once, and it moves in
the same transaction as the change itself: a reader that sees the new number
also sees the new data.
"""

from __future__ import annotations

from sqlalchemy import DDL, BigInteger, Integer, event
from sqlalchemy.orm import Mapped, mapped_column

from network.models.base import Base

TABLE = "page_generation"


class PageGeneration(Base):
    __tablename__ = TABLE

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: one row
    n: Mapped[int] = mapped_column(BigInteger, default=0)


# create_all (tests, `flask init-db`) makes the row the migration inserts.
event.listen(
    PageGeneration.__table__,
    "after_create",
    DDL("INSERT INTO page_generation (id, n) VALUES (1, 0)"),
)
