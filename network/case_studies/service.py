"""What every case-study transition shares: who may act, under the row lock, on which revision.

The transitions live beside it: staff write and revise in authoring.py; the
consent is asked for, answered, published and withdrawn in consent.py; consents
that end by date are taken down by expiry.py.

Every transition takes the case study's row lock (BEGIN IMMEDIATE on SQLite,
SELECT … FOR UPDATE on PostgreSQL), checks who asks and the state, changes
the rows and appends to the consent log in the same transaction. After the
commit it sends a signal (network/signals.py): notifications and open browsers
subscribe. Replays of a transition already made return the case study as it
is, so retried requests are harmless.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from network.case_studies import access
from network.exceptions import Conflict, Forbidden, NotFound
from network.models import CaseStudy, CaseStudyRevision, Member
from network.permissions import Permission, can

MAX_COMMENT = 2_000  # the customer's request for changes (the form and the API schema say so too)
ONLY_STAFF = _l("Only staff write and publish case studies.")


def require_staff(actor: Member) -> None:
    if not can(actor, Permission.staff):
        raise Forbidden(ONLY_STAFF)


def locked(session: Session, actor: Member, case_study_id: int) -> CaseStudy:
    """The case study under its row lock, if the actor may see its workings; else NotFound."""
    case_study = session.get(CaseStudy, case_study_id, with_for_update=True)
    if case_study is None or not access.sees_workings(actor, case_study):
        raise NotFound(access.NOT_FOUND)
    return case_study


def as_subject(session: Session, actor: Member, case_study_id: int) -> CaseStudy:
    """Only the customer it is about answers; for anyone else, staff included, it is 404."""
    case_study = locked(session, actor, case_study_id)
    if not access.is_subject(actor, case_study):
        raise NotFound(access.NOT_FOUND)
    return case_study


def current_revision(session: Session, case_study: CaseStudy) -> CaseStudyRevision:
    return session.get(CaseStudyRevision, case_study.current_revision_id)


def check_revision(case_study: CaseStudy, current: CaseStudyRevision, revision: str | None) -> None:
    """409 when the client answers for a revision that is no longer the current one."""
    if revision is None:
        return
    if revision != current.content_hash:
        raise Conflict(
            _l(
                "The case study changed since you opened it: this is no longer the revision "
                "you were shown. Review the current one."
            ),
            field="revision",
            current=case_study,
        )
