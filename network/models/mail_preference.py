"""How a member wants each kind of mail: at once, in the digest, or never (defaults need no row)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from network.models.base import Base


class MailPreference(Base):
    __tablename__ = "mail_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(16))

    __table_args__ = (UniqueConstraint("member_id", "kind", name="uq_mail_preference_member_kind"),)
