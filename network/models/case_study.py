"""Case studies: a customer's story, its revisions, the consents granted to them, and the log.

A case study is its own kind of content (no comments, so nobody can unmask an
anonymous customer by replying). Every save is a new revision with a content
hash; a consent binds to one revision's hash and to the scopes the customer
chose; the case study points at the revision that is published and at the
consent it is published under. The consent log is append-only: the model has
no update path and the database refuses UPDATE and DELETE (see the migration).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.models.base import Base, UTCDateTime, string_enum, utcnow
from network.models.member import Member


class CaseStudyStatus(enum.StrEnum):
    """The case study's public state, as lists and the API show it."""

    draft = "draft"  # written, not yet sent to the customer
    awaiting_consent = "awaiting_consent"
    changes_requested = "changes_requested"
    approved = "approved"  # the current revision has valid consent, not yet published
    published = "published"
    withdrawn = "withdrawn"  # by the customer; back only with a new consent
    expired = "expired"  # the consent's end date passed


class RevisionState(enum.StrEnum):
    draft = "draft"
    awaiting_consent = "awaiting_consent"
    changes_requested = "changes_requested"
    approved = "approved"
    published = "published"
    superseded = "superseded"  # a later revision replaced it
    withdrawn = "withdrawn"
    expired = "expired"


class NameScope(enum.StrEnum):
    full = "full"
    initial = "initial"  # first name and the initial of the last
    anonymous = "anonymous"


class CompanyScope(enum.StrEnum):
    name = "name"
    industry = "industry"  # a description the customer writes, e.g. "a regional bakery chain"
    hidden = "hidden"


class Audience(enum.StrEnum):
    members = "members"
    public = "public"


class ConsentAction(enum.StrEnum):
    requested = "requested"
    changes_requested = "changes_requested"
    granted = "granted"
    published = "published"
    withdrawn = "withdrawn"
    expired = "expired"


class CaseStudy(Base):
    __tablename__ = "case_study"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    status: Mapped[CaseStudyStatus] = mapped_column(
        string_enum(CaseStudyStatus, "case_study_status", length=24), default=CaseStudyStatus.draft
    )
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_study_revision.id", use_alter=True)
    )
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_study_revision.id", use_alter=True)
    )
    published_consent_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_study_consent.id", use_alter=True)
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the first revision was sent: the customer sees nothing before.
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Member] = relationship(foreign_keys=[customer_id], lazy="raise_on_sql")
    current_revision: Mapped[CaseStudyRevision | None] = relationship(
        foreign_keys=[current_revision_id], lazy="raise_on_sql", post_update=True
    )
    published_revision: Mapped[CaseStudyRevision | None] = relationship(
        foreign_keys=[published_revision_id], lazy="raise_on_sql", post_update=True
    )
    published_consent: Mapped[CaseStudyConsent | None] = relationship(
        foreign_keys=[published_consent_id], lazy="raise_on_sql", post_update=True
    )

    __table_args__ = (Index("ix_case_study_status_published_at", "status", "published_at"),)


class CaseStudyRevision(Base):
    __tablename__ = "case_study_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_study.id"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3… within the case study
    state: Mapped[RevisionState] = mapped_column(
        string_enum(RevisionState, "revision_state", length=24), default=RevisionState.draft
    )
    # sha256 of the canonical JSON of everything shown: what consent binds to
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    challenge: Mapped[str] = mapped_column(Text)  # Markdown as typed
    challenge_html: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    solution_html: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text)
    results_html: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text, default="")  # the customer's words, plain text
    # [{"label": str, "value": str, "unit": str}], kept apart from the prose
    figures: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    logo: Mapped[str | None] = mapped_column(String(64))  # an upload name
    author_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Member | None] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        UniqueConstraint("case_study_id", "number"),
        Index("ix_case_study_revision_content_hash", "content_hash"),
        # GET /uploads/<name>: which case studies show this logo (network/uploads/uses.py)
        Index("ix_case_study_revision_logo", "logo"),
    )


class CaseStudyConsent(Base):
    """The customer's consent to one revision (by hash) within the scopes they chose."""

    __tablename__ = "case_study_consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_study.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("case_study_revision.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    name_scope: Mapped[NameScope] = mapped_column(string_enum(NameScope, "name_scope"))
    company_scope: Mapped[CompanyScope] = mapped_column(string_enum(CompanyScope, "company_scope"))
    # What "company" shows: the company's name (snapshot at consent) or the
    # customer's own description of their industry; None when hidden.
    company_text: Mapped[str | None] = mapped_column(String(120))
    show_logo: Mapped[bool] = mapped_column(Boolean)
    show_quote: Mapped[bool] = mapped_column(Boolean)
    show_figures: Mapped[bool] = mapped_column(Boolean)
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, "audience"))
    expires_on: Mapped[date | None] = mapped_column(Date)  # gone from this day on
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Withdrawn, expired, or replaced by a later consent; never valid again.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expiry_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Words the customer said identify them (a nickname, a street, a product): the
    # name-leak guard refuses them too, at consent, at publication and at every render.
    identifying_words: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    def scopes(self) -> dict[str, Any]:
        return {
            "name": self.name_scope.value,
            "company": self.company_scope.value,
            "industry": self.company_text if self.company_scope == CompanyScope.industry else None,
            "logo": self.show_logo,
            "quote": self.show_quote,
            "figures": self.show_figures,
            "audience": self.audience.value,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


class ConsentEvent(Base):
    """One line of the consent log. Append-only: there is no update or delete path."""

    __tablename__ = "consent_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_study.id"))
    action: Mapped[ConsentAction] = mapped_column(
        string_enum(ConsentAction, "consent_action", length=24)
    )
    revision_hash: Mapped[str | None] = mapped_column(String(64))
    revision_number: Mapped[int | None] = mapped_column(Integer)
    # scopes, audience and expiry of a grant; the comment of a change request
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    # A snapshot of the actor's name: pseudonymised if the account is deleted,
    # the only change the database allows on this table.
    actor_name: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_consent_event_case_study_id_id", "case_study_id", "id"),)


# The database refuses to rewrite the log. The same statements are installed by
# the migration that created the table and by create_all (the tests' schema);
# a change here needs a migration of its own.
_IMMUTABLE = (
    "id",
    "case_study_id",
    "action",
    "revision_hash",
    "revision_number",
    "details",
    "actor_id",
    "at",
)
_ACTOR_DELETED = (
    "EXISTS (SELECT 1 FROM member WHERE member.id = OLD.actor_id AND member.status = 'deleted')"
)
APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER consent_event_no_delete BEFORE DELETE ON consent_event "
        "BEGIN SELECT RAISE(ABORT, 'consent_event is append-only'); END",
        "CREATE TRIGGER consent_event_no_update BEFORE UPDATE ON consent_event WHEN "
        + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _IMMUTABLE)
        + f" OR NOT {_ACTOR_DELETED} "
        "BEGIN SELECT RAISE(ABORT, 'consent_event is append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION consent_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'consent_event is append-only'; END IF; "
        "IF ("
        + ", ".join(f"NEW.{c}::text" for c in _IMMUTABLE)
        + ") IS DISTINCT FROM ("
        + ", ".join(f"OLD.{c}::text" for c in _IMMUTABLE)
        + f") OR NOT {_ACTOR_DELETED} THEN "
        "RAISE EXCEPTION 'consent_event is append-only'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER consent_event_append_only BEFORE UPDATE OR DELETE ON consent_event "
        "FOR EACH ROW EXECUTE FUNCTION consent_event_append_only()",
    ],
}
DROP_APPEND_ONLY = {
    "sqlite": ["DROP TRIGGER consent_event_no_update", "DROP TRIGGER consent_event_no_delete"],
    "postgresql": [
        "DROP TRIGGER consent_event_append_only ON consent_event",
        "DROP FUNCTION consent_event_append_only()",
    ],
}
for _dialect, _statements in APPEND_ONLY.items():
    for _statement in _statements:
        event.listen(
            ConsentEvent.__table__,
            "after_create",
            DDL(_statement.replace("%", "%%")).execute_if(dialect=_dialect),
        )
