"""The mail outbox: every message, written in the transaction that caused it, until it is sent."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from network.models.base import Base, UTCDateTime, string_enum, utcnow


class OutboxStatus(enum.StrEnum):
    pending = "pending"  # waiting for its (next) attempt
    sent = "sent"  # the mail server took it (or, without one, the log did)
    failed = "failed"  # every attempt failed; last_error says why
    dropped = "dropped"  # the recipient may no longer get mail (suspended, deleted)


class OutboxMessage(Base):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    # None for mail to an address (an invitation); a member's removal takes their mail with it.
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    # Extra headers (List-Unsubscribe, In-Reply-To, References), name -> value
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    thread_ref: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[OutboxStatus] = mapped_column(
        string_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.pending
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        # The sender's query: pending rows whose time has come, oldest first.
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )
