"""The one idempotency table: a retried submit (form, API or socket) creates one row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from network.models.base import Base, UTCDateTime, utcnow


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # SHA-256 of the request's meaningful fields: the same key with another payload is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    result_kind: Mapped[str] = mapped_column(String(16))  # "post", "comment"
    result_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
