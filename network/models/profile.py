"""A member's public face: title, company, bio, links, phone and what their business card shares."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from network.models.base import Base, UTCDateTime, utcnow


class ProfileVisibility(enum.StrEnum):
    public = "public"  # anyone, signed in or not
    members = "members"  # signed-in members only; anonymous visitors get 404


class CardField(enum.StrEnum):
    """What a business card (vCard) may share; the member picks a subset."""

    name = "name"
    title = "title"
    company = "company"
    email = "email"
    phone = "phone"
    links = "links"


class Profile(Base):
    """One row per member who saved their profile; a member without a row has the defaults."""

    __tablename__ = "profile"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(100))
    bio: Mapped[str] = mapped_column(Text, default="")  # Markdown as typed
    bio_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitized
    links: Mapped[list[str]] = mapped_column(JSON, default=list)  # http(s) URLs, at most 5
    phone: Mapped[str | None] = mapped_column(String(40))  # shown on the business card only
    visibility: Mapped[ProfileVisibility] = mapped_column(
        Enum(
            ProfileVisibility,
            name="profile_visibility",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=lambda members: [m.value for m in members],
        ),
        default=ProfileVisibility.public,
    )
    card_fields: Mapped[list[str]] = mapped_column(JSON, default=lambda: [CardField.name.value])
    # A customer's opt-in: staff may write a case study about them only when set.
    open_to_case_studies: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic concurrency: the ORM adds "AND version = <loaded>" to every UPDATE.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads a dict)
