"""Who sees which case study, decided in one place and re-checked on every read.

- Staff (the staff permission) see every case study, drafts included.
- The customer it is about sees it once a revision was sent to them.
- Everyone else sees only a published one whose consent is still valid (not
  ended, not past its expiry date, checked on the read itself), and only
  within the consent's audience: members, or the public web.
Anything else is 404, never 403, so an intruder learns nothing (SEC-11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import aliased

from network import pagination
from network.case_studies import render
from network.exceptions import NotFound
from network.extensions import db
from network.models import (
    Audience,
    CaseStudy,
    CaseStudyConsent,
    CaseStudyRevision,
    CaseStudyStatus,
    Member,
    Profile,
    utcnow,
)
from network.permissions import Permission, can

STRIP = 3  # stories on the first page of the feed and the front page
# Made once: a new alias on every call made SQLAlchemy adapt every column again,
# a fifth of a feed's CPU (bench-feed's profile).
_PUBLISHED_CONSENT = aliased(CaseStudyConsent, name="published_consent")
_PUBLISHED_REVISION = aliased(CaseStudyRevision, name="published_revision")
NOT_FOUND = _l("There is nothing here, or it is not visible to you.")


def today() -> date:
    return utcnow().date()


def is_staff(viewer: Any) -> bool:
    return can(viewer, Permission.staff)


def is_subject(viewer: Any, case_study: CaseStudy) -> bool:
    """The customer the story is about (even suspended: they may always withdraw)."""
    return bool(getattr(viewer, "is_authenticated", False)) and viewer.id == case_study.customer_id


def sees_workings(viewer: Any, case_study: CaseStudy) -> bool:
    """Drafts, revisions, consents and the log: staff, and the customer once asked."""
    if is_staff(viewer):
        return True
    return is_subject(viewer, case_study) and case_study.requested_at is not None


def consent_is_live(consent: CaseStudyConsent | None, on: date | None = None) -> bool:
    if consent is None or consent.ended_at is not None:
        return False
    return consent.expires_on is None or (on or today()) < consent.expires_on


def audiences_for(viewer: Any) -> list[Audience]:
    if can(viewer, Permission.read_members_only):
        return [Audience.members, Audience.public]
    return [Audience.public]


def live_clauses(consent: Any, viewer: Any, on: date | None = None) -> list[ColumnElement[bool]]:
    """SQL for "published, consent valid today, and this viewer is in its audience"."""
    on = on or today()
    return [
        CaseStudy.status == CaseStudyStatus.published,
        consent.ended_at.is_(None),
        or_(consent.expires_on.is_(None), consent.expires_on > on),
        consent.audience.in_(audiences_for(viewer)),
    ]


@dataclass
class Viewed:
    """A case study as one viewer may see it."""

    case_study: CaseStudy
    customer: Member
    published: render.Story | None  # what the world sees, if live for this viewer
    workings: bool  # the viewer may see the current revision, consents and log
    current: CaseStudyRevision | None  # only when workings


def _live_story(case_study: CaseStudy, customer: Member, viewer: Any) -> render.Story | None:
    if case_study.status != CaseStudyStatus.published or case_study.published_consent_id is None:
        return None
    consent = db.session.get(CaseStudyConsent, case_study.published_consent_id)
    if not consent_is_live(consent):
        return None
    if consent.audience not in audiences_for(viewer) and not sees_workings(viewer, case_study):
        return None
    revision = db.session.get(CaseStudyRevision, case_study.published_revision_id)
    profile = db.session.get(Profile, customer.id)
    return render.published_story(case_study, revision, consent, customer, profile)


def view(viewer: Any, case_study_id: int) -> Viewed:
    """The case study for this viewer, or NotFound."""
    case_study = db.session.get(CaseStudy, case_study_id)
    if case_study is None:
        raise NotFound(NOT_FOUND)
    customer = db.session.get(Member, case_study.customer_id)
    workings = sees_workings(viewer, case_study)
    published = _live_story(case_study, customer, viewer)
    if published is None and not workings:
        raise NotFound(NOT_FOUND)
    current = None
    if workings and case_study.current_revision_id is not None:
        current = db.session.get(CaseStudyRevision, case_study.current_revision_id)
    return Viewed(case_study, customer, published, workings, current)


PublishedRow = tuple[CaseStudy, CaseStudyRevision, CaseStudyConsent, Member, Profile | None]


def published_rows(
    viewer: Any, position: pagination.Position | None, limit: int
) -> pagination.Page[PublishedRow]:
    """One page of the live case studies this viewer may read, newest published first.

    Keyset on (published_at, id), the order of the list: a republished story
    moves up. The rows are not rendered yet, and the next cursor comes from
    them, so a story the guard withholds at render never hides the pages after it.
    """
    consent, revision = _PUBLISHED_CONSENT, _PUBLISHED_REVISION
    rows = db.session.execute(
        select(CaseStudy, revision, consent, Member, Profile)
        .join(consent, consent.id == CaseStudy.published_consent_id)
        .join(revision, revision.id == CaseStudy.published_revision_id)
        .join(Member, Member.id == CaseStudy.customer_id)
        .outerjoin(Profile, Profile.member_id == CaseStudy.customer_id)
        .where(
            *live_clauses(consent, viewer),
            pagination.older_than(CaseStudy.published_at, CaseStudy.id, position),
        )
        .order_by(CaseStudy.published_at.desc(), CaseStudy.id.desc())
        .limit(limit + 1)
    ).all()
    return pagination.page_of(
        [tuple(row) for row in rows], limit, lambda row: (row[0].published_at, row[0].id)
    )


def stories_of(rows: list[PublishedRow]) -> list[render.Story]:
    """The rows as the world sees them: a story the guard withholds is left out."""
    stories = (render.published_story(*row) for row in rows)
    return [story for story in stories if story is not None]


def published_stories(viewer: Any, limit: int) -> list[render.Story]:
    """Live case studies this viewer may read, newest published first (feeds, Atom, sitemap)."""
    return stories_of(published_rows(viewer, None, limit).items)


def public_stories(limit: int) -> list[render.Story]:
    """What leaves the site (Atom, sitemap, link previews): public audience only."""
    return published_stories(None, limit)


def staff_list(
    status: CaseStudyStatus | None, limit: int = 200
) -> list[tuple[CaseStudy, Member, CaseStudyRevision]]:
    """Staff's dashboard: every case study, or those in one state, recently changed first."""
    statement = (
        select(CaseStudy, Member, CaseStudyRevision)
        .join(Member, Member.id == CaseStudy.customer_id)
        .join(CaseStudyRevision, CaseStudyRevision.id == CaseStudy.current_revision_id)
        .order_by(CaseStudy.updated_at.desc(), CaseStudy.id.desc())
        .limit(limit)
    )
    if status is not None:
        statement = statement.where(CaseStudy.status == status)
    return [tuple(row) for row in db.session.execute(statement)]  # type: ignore[misc]


def customer_list(customer: Member) -> list[tuple[CaseStudy, CaseStudyRevision]]:
    """The customer's "My case studies": every one they were asked about."""
    statement = (
        select(CaseStudy, CaseStudyRevision)
        .join(CaseStudyRevision, CaseStudyRevision.id == CaseStudy.current_revision_id)
        .where(CaseStudy.customer_id == customer.id, CaseStudy.requested_at.is_not(None))
        .order_by(CaseStudy.updated_at.desc(), CaseStudy.id.desc())
    )
    return [tuple(row) for row in db.session.execute(statement)]  # type: ignore[misc]


def latest_consent(case_study_id: int) -> CaseStudyConsent | None:
    """The customer's most recent consent to this case study, whatever became of it."""
    return db.session.scalar(
        select(CaseStudyConsent)
        .where(CaseStudyConsent.case_study_id == case_study_id)
        .order_by(CaseStudyConsent.id.desc())
        .limit(1)
    )


def consent_shown(case_study: CaseStudy) -> CaseStudyConsent | None:
    """The consent it is published under, else the latest one given (perhaps ended)."""
    if case_study.published_consent_id is not None:
        return db.session.get(CaseStudyConsent, case_study.published_consent_id)
    return latest_consent(case_study.id)


def team_ids(case_study: CaseStudy) -> set[int]:
    """The staff on a case study: who created it and who wrote a revision."""
    ids = {case_study.created_by_id} if case_study.created_by_id else set()
    ids |= set(
        db.session.scalars(
            select(CaseStudyRevision.author_id).where(
                CaseStudyRevision.case_study_id == case_study.id,
                CaseStudyRevision.author_id.is_not(None),
            )
        )
    )
    return ids


def sees_log(viewer: Any, case_study: CaseStudy) -> bool:
    """The consent log: the customer, admins, and the staff on the case study."""
    if is_subject(viewer, case_study) and case_study.requested_at is not None:
        return True
    if can(viewer, Permission.administer):
        return True
    return is_staff(viewer) and viewer.id in team_ids(case_study)
