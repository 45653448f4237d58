"""Stored uploads: re-encoded images kept under random names, and the posts that show them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from network.models.base import Base, UTCDateTime, utcnow


class UploadPurpose(enum.StrEnum):
    avatar = "avatar"
    post_image = "post_image"


class Upload(Base):
    """One stored file; an avatar is three rows (one per size) sharing a name stem."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64), unique=True)  # the file name and URL part
    content_type: Mapped[str] = mapped_column(String(32))  # exactly what we encoded
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    byte_size: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[UploadPurpose] = mapped_column(
        Enum(
            UploadPurpose,
            name="upload_purpose",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=lambda members: [m.value for m in members],
        )
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        # "this member's uploads, newest first" (export, clean-up, quotas)
        Index("ix_upload_owner_id_created_at", "owner_id", "created_at"),
    )


class PostUpload(Base):
    """A picture a post shows: GET /uploads/<name> serves it with that post's visibility.

    Written by the post's own write path (create, edit), for the author's own uploads
    only; the primary key's first column answers "which posts show this upload".
    """

    __tablename__ = "post_upload"

    upload_id: Mapped[int] = mapped_column(
        ForeignKey("upload.id", ondelete="CASCADE"), primary_key=True
    )
    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CaseStudyUpload(Base):
    """A picture a case-study revision shows in its prose: served with that story's visibility.

    Written by the case-study write path (create, revise), for staff members' own uploads
    only, so quoting a customer's members-only picture never makes it public.
    """

    __tablename__ = "case_study_upload"

    upload_id: Mapped[int] = mapped_column(
        ForeignKey("upload.id", ondelete="CASCADE"), primary_key=True
    )
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("case_study_revision.id", ondelete="CASCADE"), primary_key=True, index=True
    )
