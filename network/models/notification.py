"""Notifications: stored first, so none is lost; the socket only delivers them faster."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.models.base import Base, UTCDateTime, string_enum, utcnow
from network.models.case_study import CaseStudy
from network.models.member import Member
from network.models.post import Comment, Post


class NotificationKind(enum.StrEnum):
    reply_to_post = "reply_to_post"  # someone commented on your post
    reply_after_you = "reply_after_you"  # someone commented where you commented
    mention = "mention"  # someone wrote your @handle
    announcement = "announcement"  # staff pinned an announcement
    # Case studies (post_id is empty, case_study_id set)
    consent_request = "consent_request"  # to the customer: please review this revision
    consent_changes = "consent_changes"  # to the staff on it: the customer asks for changes
    consent_granted = "consent_granted"  # to the staff on it: ready to publish
    consent_expiring = "consent_expiring"  # to the staff on it: the consent ends in 14 days
    case_withdrawn = "case_withdrawn"  # to the staff on it: the customer withdrew
    # To the member: someone keeps failing to sign in to their account (attempts says how often)
    failed_sign_in = "failed_sign_in"


class Notification(Base):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        string_enum(NotificationKind, "notification_kind")
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    case_study_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_study.id", ondelete="CASCADE")
    )
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # failed_sign_in only: the failed attempts this notice sums up
    attempts: Mapped[int | None] = mapped_column(Integer)

    post: Mapped[Post | None] = relationship(lazy="raise_on_sql")
    comment: Mapped[Comment | None] = relationship(lazy="raise_on_sql")
    actor: Mapped[Member | None] = relationship(foreign_keys=[actor_id], lazy="raise_on_sql")
    case_study: Mapped[CaseStudy | None] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        Index("ix_notification_member_id_created_at", "member_id", "created_at", "id"),
        Index("ix_notification_member_id_read_at", "member_id", "read_at"),
    )
