"""Consents that end by date: taken down on the day, and staff warned 14 days before.

Reads already hide a story from its consent's end date (access.consent_is_live);
`flask --app network run-jobs` records the expiry in the consent log, ends the
consent and tells open pages, and warns the staff on the case study once, 14
days ahead. Both jobs do only what is due and not yet done.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from network import signals
from network.case_studies import access, authoring, consent, consent_log, service
from network.database import write_transaction
from network.extensions import db
from network.models import (
    CaseStudy,
    CaseStudyConsent,
    CaseStudyStatus,
    ConsentAction,
    RevisionState,
    utcnow,
)

EXPIRY_NOTICE = timedelta(days=14)


def expire_due(on: date | None = None) -> list[int]:
    """End consents whose date has come (run-jobs); reads already hide them. Returns ids."""
    on = on or access.today()
    due = db.session.scalars(
        select(CaseStudyConsent.case_study_id)
        .where(
            CaseStudyConsent.ended_at.is_(None),
            CaseStudyConsent.expires_on.is_not(None),
            CaseStudyConsent.expires_on <= on,
        )
        .distinct()
    ).all()
    expired = []
    for case_study_id in due:
        with write_transaction() as session:
            case_study = session.get(CaseStudy, case_study_id, with_for_update=True)
            if case_study.status not in (CaseStudyStatus.approved, CaseStudyStatus.published):
                authoring.end_unpublished_consents(session, case_study)
                continue
            current = service.current_revision(session, case_study)
            consent.take_down(session, case_study, RevisionState.expired)
            case_study.status = CaseStudyStatus.expired
            consent_log.append(session, case_study.id, ConsentAction.expired, None, current)
        signals.send(signals.case_study_expired, case_study_id=case_study_id)
        expired.append(case_study_id)
    return expired


def notify_expiring(on: date | None = None) -> list[int]:
    """Tell the staff on a case study 14 days before its consent ends (once). Returns ids."""
    on = on or access.today()
    notified = []
    with write_transaction() as session:
        consents = list(
            session.scalars(
                select(CaseStudyConsent).where(
                    CaseStudyConsent.ended_at.is_(None),
                    CaseStudyConsent.expiry_notified_at.is_(None),
                    CaseStudyConsent.expires_on.is_not(None),
                    CaseStudyConsent.expires_on <= on + EXPIRY_NOTICE,
                    CaseStudyConsent.expires_on > on,
                )
            )
        )
        for consent in consents:
            consent.expiry_notified_at = utcnow()
            notified.append(consent.case_study_id)
    for case_study_id in notified:
        case_study = db.session.get(CaseStudy, case_study_id)
        signals.send(signals.case_study_expiring, case_study=case_study)
    return notified
