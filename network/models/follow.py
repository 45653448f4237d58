"""Who follows whom: the relation the home feed reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from network.models.base import Base, UTCDateTime, utcnow


class Follow(Base):
    __tablename__ = "follow"

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    followee_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("follower_id <> followee_id", name="not_self"),
        # "who follows X" (followers page, counts) without scanning the table
        Index("ix_follow_followee_id_created_at", "followee_id", "created_at"),
    )
