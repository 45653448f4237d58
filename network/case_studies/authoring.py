"""Staff write case studies: a new draft about an opted-in customer, and every revision after.

What is published stays published while staff revise: a new revision goes back
to the customer (consent.py), and only their consent to it lets it replace the
one they approved.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from network import idempotency
from network.case_studies import content
from network.case_studies.service import current_revision, locked, require_staff
from network.database import write_transaction
from network.exceptions import Conflict, Invalid
from network.extensions import db
from network.logs import get_logger
from network.models import (
    CaseStudy,
    CaseStudyConsent,
    CaseStudyRevision,
    CaseStudyStatus,
    Member,
    MemberStatus,
    Profile,
    RevisionState,
    Role,
    utcnow,
)
from network.uploads import service as uploads
from network.uploads import uses

log = get_logger("case_studies")
# Revisions not yet answered or published: a newer revision supersedes them.
OPEN = (
    RevisionState.draft,
    RevisionState.awaiting_consent,
    RevisionState.changes_requested,
    RevisionState.approved,
)
PICTURES = (".webp", ".png", ".jpg", ".jpeg", ".gif")


def customer_for(handle: str) -> Member:
    """The customer a new case study is about: an active customer who opted in."""
    if not handle.strip().lstrip("@"):
        raise Invalid(_l("Name the customer by their handle."), field="customer")
    member = db.session.scalar(
        select(Member).where(func.lower(Member.handle) == handle.strip().lstrip("@").lower())
    )
    if member is None or member.status != MemberStatus.active or member.role != Role.customer:
        raise Invalid(_l("There is no active customer with that handle."), field="customer")
    profile = db.session.get(Profile, member.id)
    if profile is None or not profile.open_to_case_studies:
        raise Invalid(
            _l(
                "@%(handle)s has not said they are open to case studies. Ask them to turn it "
                "on in their profile first.",
                handle=member.handle,
            ),
            field="customer",
        )
    return member


def _check_logo(name: str | None) -> None:
    if name is None:
        return
    if uploads.find(name) is None or not name.endswith(PICTURES):
        raise Invalid(_l("Upload the logo as a picture first."), field="logo")


def create(
    actor: Member, customer: str, draft: content.Draft, *, key: str | None = None
) -> CaseStudy:
    """A new case study about an opted-in customer; its first revision is a draft.

    A retried request with the same key returns the first case study. Raises
    Forbidden (not staff), Invalid (the customer, the content, the logo, or a
    key reused with another payload).
    """
    require_staff(actor)
    key = idempotency.check_key(key)
    subject = customer_for(customer)
    values = content.clean(draft)
    _check_logo(values["logo"])
    payload = {"customer": subject.id, "revision": values["content_hash"]}

    def build(session: Session) -> int:
        case_study = CaseStudy(
            customer_id=subject.id, created_by_id=actor.id, status=CaseStudyStatus.draft
        )
        session.add(case_study)
        session.flush()
        revision = CaseStudyRevision(
            case_study_id=case_study.id, number=1, author_id=actor.id, **values
        )
        session.add(revision)
        session.flush()
        uses.record_case_study(session, revision)
        case_study.current_revision_id = revision.id
        return case_study.id

    case_study_id, created = idempotency.create_once(actor.id, key, "case_study", payload, build)
    if created:
        log.info("case study created id=%s customer=%s by=%s", case_study_id, subject.id, actor.id)
    return db.session.get(CaseStudy, case_study_id)


def revise(
    actor: Member, case_study_id: int, draft: content.Draft, *, base_revision: str | None = None
) -> CaseStudy:
    """Save a new revision. What is published stays published until the customer approves.

    ``base_revision`` is the hash the editor started from: a different
    current one means someone saved meanwhile (409, never a silent overwrite).
    Raises Forbidden (not staff), NotFound, Invalid, Conflict.
    """
    require_staff(actor)
    values = content.clean(draft)
    _check_logo(values["logo"])
    with write_transaction() as session:
        case_study = locked(session, actor, case_study_id)
        current = current_revision(session, case_study)
        if values["content_hash"] == current.content_hash:
            return case_study  # nothing changed, or a retried save
        if base_revision is not None and base_revision != current.content_hash:
            raise Conflict(
                _l(
                    "Someone saved a newer revision while you were editing. Compare and save again."
                ),
                field="revision",
                current=case_study,
            )
        if current.state in OPEN:
            current.state = RevisionState.superseded
        end_unpublished_consents(session, case_study)
        revision = CaseStudyRevision(
            case_study_id=case_study.id, number=current.number + 1, author_id=actor.id, **values
        )
        session.add(revision)
        session.flush()
        uses.record_case_study(session, revision)
        case_study.current_revision_id = revision.id
        if case_study.status in (
            CaseStudyStatus.awaiting_consent,
            CaseStudyStatus.changes_requested,
            CaseStudyStatus.approved,
        ):
            case_study.status = CaseStudyStatus.draft
        case_study.updated_at = utcnow()
    return case_study


def end_unpublished_consents(session: Session, case_study: CaseStudy) -> None:
    """Consents to revisions that were never published end when the text moves on."""
    for consent in session.scalars(
        select(CaseStudyConsent).where(
            CaseStudyConsent.case_study_id == case_study.id,
            CaseStudyConsent.ended_at.is_(None),
        )
    ):
        if consent.id != case_study.published_consent_id:
            consent.ended_at = utcnow()
