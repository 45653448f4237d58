"""Posts and their conversations: comments and the numbered log of every change."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.models.base import Base, UTCDateTime, string_enum, utcnow
from network.models.member import Member


class Visibility(enum.StrEnum):
    public = "public"  # anyone, search engines included
    members = "members"  # signed-in members only


class ContentState(enum.StrEnum):
    visible = "visible"
    held = "held"  # awaiting moderation: only its author and moderators see it
    hidden = "hidden"  # by a moderator; restorable
    deleted = "deleted"  # by its author or a moderator; the text is gone


class EventKind(enum.StrEnum):
    comment = "comment"
    comment_updated = "comment_updated"
    comment_deleted = "comment_deleted"
    comment_hidden = "comment_hidden"
    comment_restored = "comment_restored"


class Post(Base):
    __tablename__ = "post"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # Markdown as typed
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitized on the way in
    visibility: Mapped[Visibility] = mapped_column(
        string_enum(Visibility, "visibility"), default=Visibility.public
    )
    state: Mapped[ContentState] = mapped_column(
        string_enum(ContentState, "content_state"), default=ContentState.visible
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An official announcement, pinned on everyone's feed until this moment.
    is_announcement: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Counters of the conversation, advanced under the post's row lock:
    # last comment seq handed out, last event n handed out, visible comments.
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_n: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)

    author: Mapped[Member] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        # Keyset pages: newest first, overall and per author. The per-author one
        # carries state so the home feed's per-author scans never read the
        # table (PostgreSQL: 6.8 -> 1.3 ms at 1M posts).
        Index("ix_post_created_at_id", "created_at", "id"),
        Index("ix_post_author_id_created_at_state", "author_id", "created_at", "id", "state"),
        Index("ix_post_pinned_until", "pinned_until"),
        # "Most discussed this week": the week's posts read from this index
        # alone (it holds every column the filter and the order need, and id).
        Index(
            "ix_post_created_at_discussion",
            "created_at",
            "comment_count",
            "visibility",
            "state",
            "id",
        ),
    )


class Comment(Base):
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)  # per post, gap-free, creation order
    n: Mapped[int] = mapped_column(Integer)  # the event number of its latest change
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    state: Mapped[ContentState] = mapped_column(
        string_enum(ContentState, "content_state"), default=ContentState.visible
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Member] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("post_id", "seq"),)


class ConversationEvent(Base):
    """Every change to a post's conversation, numbered n = 1, 2, 3 ... per post without gaps.

    Clients that missed live events ask for everything after the last n they
    hold and replay it in order (DESIGN.md, "The database is the truth").
    """

    __tablename__ = "conversation_event"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind, "event_kind"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(lazy="raise_on_sql")
