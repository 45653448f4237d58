"""The customer's consent: asked for, answered, published under, withdrawn, and taken down.

Staff send the current revision to the customer (request_consent); only the
customer answers, with changes to make (request_changes) or their consent to
exactly that revision within the scopes they chose (grant_consent), which the
name-leak guard checks first. Staff publish only under a live consent to the
current revision, and the guard looks again then (the profile may have changed
since). The customer may withdraw at any time; take_down ends a story's
consents and revisions, for a withdrawal and for expiry.py alike.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from network import signals
from network.case_studies import access, consent_log, guard, identity, render, scopes
from network.case_studies.service import (
    MAX_COMMENT,
    as_subject,
    check_revision,
    current_revision,
    locked,
    require_staff,
)
from network.database import write_transaction
from network.exceptions import Conflict, Invalid
from network.extensions import db
from network.logs import get_logger
from network.models import (
    CaseStudy,
    CaseStudyConsent,
    CaseStudyRevision,
    CaseStudyStatus,
    CompanyScope,
    ConsentAction,
    Member,
    Profile,
    RevisionState,
    utcnow,
)

log = get_logger("case_studies")
security_log = get_logger("security")


def request_consent(actor: Member, case_study_id: int, *, revision: str | None = None) -> CaseStudy:
    """Send the current revision to the customer for review."""
    require_staff(actor)
    with write_transaction() as session:
        case_study = locked(session, actor, case_study_id)
        current = current_revision(session, case_study)
        check_revision(case_study, current, revision)
        if current.state == RevisionState.awaiting_consent:
            return case_study
        if current.state not in (RevisionState.draft, RevisionState.changes_requested):
            raise Conflict(
                _l("This revision was already answered. Save a new revision to ask again."),
                current=case_study,
            )
        profile = session.get(Profile, case_study.customer_id)
        if profile is None or not profile.open_to_case_studies:
            raise Conflict(
                _l("The customer is no longer open to case studies."), current=case_study
            )
        now = utcnow()
        current.state = RevisionState.awaiting_consent
        current.sent_at = now
        case_study.requested_at = case_study.requested_at or now
        if case_study.status != CaseStudyStatus.published:
            case_study.status = CaseStudyStatus.awaiting_consent
        case_study.updated_at = now
        consent_log.append(session, case_study.id, ConsentAction.requested, actor, current)
    signals.send(signals.consent_requested, case_study=case_study, actor=actor)
    return case_study


# The customer answers ------------------------------------------------------------------------


def request_changes(
    actor: Member, case_study_id: int, comment: str | None, *, revision: str | None = None
) -> CaseStudy:
    """The customer asks for changes to the revision awaiting their consent.

    Raises NotFound (anyone but the customer, before any word on the comment),
    Invalid, Conflict.
    """
    with write_transaction() as session:
        case_study = as_subject(session, actor, case_study_id)
        comment = _change_request(comment)
        current = current_revision(session, case_study)
        check_revision(case_study, current, revision)
        if current.state == RevisionState.changes_requested:
            return case_study
        if current.state != RevisionState.awaiting_consent:
            raise Conflict(_l("Nothing is awaiting your answer."), current=case_study)
        current.state = RevisionState.changes_requested
        if case_study.status != CaseStudyStatus.published:
            case_study.status = CaseStudyStatus.changes_requested
        case_study.updated_at = utcnow()
        consent_log.append(
            session, case_study.id, ConsentAction.changes_requested, actor, current, comment=comment
        )
    signals.send(signals.changes_requested, case_study=case_study, actor=actor)
    return case_study


def _change_request(comment: str | None) -> str:
    if not isinstance(comment, str) or not comment.strip():
        raise Invalid(_l("Say what should change."), field="comment")
    comment = comment.replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        raise Invalid(_l("Use at most %(max)d characters.", max=MAX_COMMENT), field="comment")
    return comment


def company_of(customer_id: int) -> str | None:
    profile = db.session.get(Profile, customer_id)
    return profile.company if profile is not None else None


def identity_of(case_study: CaseStudy, own_words: Any = ()) -> identity.Identity:
    """The customer as the guard knows them: member, profile and their own words."""
    customer = db.session.get(Member, case_study.customer_id)
    return identity.of(customer, db.session.get(Profile, case_study.customer_id), own_words)


def check_scopes(case_study: CaseStudy, revision: CaseStudyRevision, chosen: scopes.Scopes) -> None:
    """Refuse scopes that the text would betray, or a company name the profile lacks."""
    company = company_of(case_study.customer_id)
    if chosen.company == CompanyScope.name and not company:
        raise Invalid(
            _l("Your profile names no company. Add it to your profile, or choose another option."),
            field="company",
        )
    guard.refuse_leaks(guard.leaks(revision, identity_of(case_study, chosen.own_words), chosen))


def grant_consent(
    actor: Member, case_study_id: int, revision: str | None, chosen: dict[str, Any]
) -> CaseStudy:
    """The customer consents to exactly this revision (by hash), within the chosen scopes.

    Raises NotFound (anyone but the customer), Conflict (not the current revision,
    or nothing awaits an answer), Invalid (the scopes, or the guard's refusal).
    """
    with write_transaction() as session:
        case_study = as_subject(session, actor, case_study_id)
        if not isinstance(revision, str) or not revision:
            raise Invalid(_l("Say which revision you consent to."), field="revision")
        current = current_revision(session, case_study)
        check_revision(case_study, current, revision)
        # Who and which revision first: an intruder gets 404 and a stale answer 409
        # whatever scopes they send.
        parsed = scopes.parse(chosen)
        if current.state != RevisionState.awaiting_consent:
            if current.state in (RevisionState.approved, RevisionState.published):
                return case_study  # already granted: a retried submit
            raise Conflict(_l("Nothing is awaiting your answer."), current=case_study)
        check_scopes(case_study, current, parsed)
        company = company_of(case_study.customer_id)
        consent = CaseStudyConsent(
            case_study_id=case_study.id,
            revision_id=current.id,
            content_hash=current.content_hash,
            customer_id=actor.id,
            name_scope=parsed.name,
            company_scope=parsed.company,
            company_text=company if parsed.company == CompanyScope.name else parsed.industry,
            show_logo=parsed.logo,
            show_quote=parsed.quote,
            show_figures=parsed.figures,
            audience=parsed.audience,
            expires_on=parsed.expires_on,
            identifying_words=list(parsed.own_words),
        )
        session.add(consent)
        current.state = RevisionState.approved
        if case_study.status != CaseStudyStatus.published:
            case_study.status = CaseStudyStatus.approved
        case_study.updated_at = utcnow()
        # The words themselves stay with the consent, out of the log staff read.
        consent_log.append(
            session,
            case_study.id,
            ConsentAction.granted,
            actor,
            current,
            scopes=parsed.as_dict(),
            identifying_words=len(parsed.own_words),
        )
    security_log.info("consent granted case_study=%s revision=%s", case_study.id, revision[:12])
    signals.send(signals.consent_granted, case_study=case_study, actor=actor)
    return case_study


# Staff publish ---------------------------------------------------------------------------------


def valid_consent(
    session: Session, case_study: CaseStudy, revision: CaseStudyRevision
) -> CaseStudyConsent | None:
    """The live consent bound to this revision's hash, if there is one."""
    for consent in session.scalars(
        select(CaseStudyConsent)
        .where(
            CaseStudyConsent.case_study_id == case_study.id,
            CaseStudyConsent.revision_id == revision.id,
            CaseStudyConsent.ended_at.is_(None),
        )
        .order_by(CaseStudyConsent.id.desc())
    ):
        if consent.content_hash == revision.content_hash and access.consent_is_live(consent):
            return consent
    return None


def publish(actor: Member, case_study_id: int) -> CaseStudy:
    """Publish the current revision: only with the customer's valid consent to it (else 409)."""
    require_staff(actor)
    with write_transaction() as session:
        case_study = locked(session, actor, case_study_id)
        current = current_revision(session, case_study)
        if (
            case_study.status == CaseStudyStatus.published
            and case_study.published_revision_id == current.id
        ):
            return case_study
        consent = valid_consent(session, case_study, current)
        if consent is None:
            raise Conflict(
                _l("The customer has not consented to this revision: ask for their consent first."),
                current=case_study,
            )
        _refuse_leaking(case_study, current, consent)
        if case_study.published_revision_id is not None:
            earlier = session.get(CaseStudyRevision, case_study.published_revision_id)
            earlier.state = RevisionState.superseded
        if case_study.published_consent_id is not None:
            session.get(CaseStudyConsent, case_study.published_consent_id).ended_at = utcnow()
        now = utcnow()
        current.state = RevisionState.published
        case_study.published_revision_id = current.id
        case_study.published_consent_id = consent.id
        case_study.published_at = now
        case_study.status = CaseStudyStatus.published
        case_study.updated_at = now
        consent_log.append(
            session,
            case_study.id,
            ConsentAction.published,
            actor,
            current,
            audience=consent.audience.value,
        )
    log.info("case study published id=%s revision=%s", case_study.id, current.number)
    signals.send(signals.case_study_published, case_study=case_study, actor=actor)
    return case_study


def _refuse_leaking(
    case_study: CaseStudy, revision: CaseStudyRevision, consent: CaseStudyConsent
) -> None:
    """The guard again at publication: the profile may have changed since the consent."""
    chosen = render.consent_scopes(consent)
    found = guard.leaks(revision, identity_of(case_study, chosen.own_words), chosen)
    if found:
        log.warning("publication refused: the text names its customer case_study=%s", case_study.id)
        places = "; ".join(leak.describe() for leaks in found.values() for leak in leaks[:5])
        raise Conflict(
            _l(
                "The text names the customer beyond what they consented to, so it cannot be "
                "published: %(places)s. Revise it and ask for their consent again.",
                places=places,
            ),
            current=case_study,
        )


# Leaving the world: withdrawal and expiry -------------------------------------------------------


def take_down(session: Session, case_study: CaseStudy, state: RevisionState) -> None:
    """Inside the caller's transaction: end every consent, and leave its revisions in `state`."""
    now = utcnow()
    for consent in session.scalars(
        select(CaseStudyConsent).where(
            CaseStudyConsent.case_study_id == case_study.id, CaseStudyConsent.ended_at.is_(None)
        )
    ):
        consent.ended_at = now
    for revision in session.scalars(
        select(CaseStudyRevision).where(
            CaseStudyRevision.case_study_id == case_study.id,
            CaseStudyRevision.state.in_(
                [RevisionState.awaiting_consent, RevisionState.approved, RevisionState.published]
            ),
        )
    ):
        revision.state = state
    case_study.published_revision_id = None
    case_study.published_consent_id = None
    case_study.updated_at = now


def withdraw(actor: Member, case_study_id: int) -> CaseStudy:
    """The customer withdraws, at any time: it leaves every surface at once."""
    with write_transaction() as session:
        case_study = as_subject(session, actor, case_study_id)
        if case_study.status == CaseStudyStatus.withdrawn:
            return case_study
        was_public = case_study.published_revision_id is not None
        current = current_revision(session, case_study)
        take_down(session, case_study, RevisionState.withdrawn)
        case_study.status = CaseStudyStatus.withdrawn
        consent_log.append(session, case_study.id, ConsentAction.withdrawn, actor, current)
    security_log.info("consent withdrawn case_study=%s", case_study.id)
    signals.send(
        signals.case_study_withdrawn, case_study=case_study, actor=actor, was_public=was_public
    )
    return case_study
