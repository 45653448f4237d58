"""The one write path for case studies: draft, revise, ask, answer, publish, withdraw.

Consents that end by date are taken down by expiry.py, through take_down here.

Every transition takes the case study's row lock (BEGIN IMMEDIATE on SQLite,
SELECT … FOR UPDATE on PostgreSQL), checks who asks and the state, changes
the rows and appends to the consent log in the same transaction. After the
commit it notifies people and, when a story leaves the world, tells open
browsers (``case_study_withdrawn``). Replays of a transition already made
return the case study as it is, so retried requests are harmless.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from network import idempotency, signals
from network.case_studies import access, consent_log, content, guard, identity, render, scopes
from network.database import write_transaction
from network.exceptions import Conflict, Forbidden, Invalid, NotFound
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
    MemberStatus,
    Profile,
    RevisionState,
    Role,
    utcnow,
)
from network.permissions import Permission, can
from network.uploads import uses

log = get_logger("case_studies")
security_log = get_logger("security")
MAX_COMMENT = 2_000
OPEN = (
    RevisionState.draft,
    RevisionState.awaiting_consent,
    RevisionState.changes_requested,
    RevisionState.approved,
)
ONLY_STAFF = _l("Only staff write and publish case studies.")


# Checks ---------------------------------------------------------------------------------


def _require_staff(actor: Any) -> None:
    if not can(actor, Permission.staff):
        raise Forbidden(ONLY_STAFF)


def _locked(session: Session, actor: Any, case_study_id: Any) -> CaseStudy:
    """The case study under its row lock, if the actor may see its workings; else NotFound."""
    if not isinstance(case_study_id, int) or isinstance(case_study_id, bool):
        raise NotFound(access.NOT_FOUND)
    case_study = session.get(CaseStudy, case_study_id, with_for_update=True)
    if case_study is None or not access.sees_workings(actor, case_study):
        raise NotFound(access.NOT_FOUND)
    return case_study


def _as_subject(session: Session, actor: Any, case_study_id: Any) -> CaseStudy:
    """Only the customer it is about answers; for anyone else, staff included, it is 404."""
    case_study = _locked(session, actor, case_study_id)
    if not access.is_subject(actor, case_study):
        raise NotFound(access.NOT_FOUND)
    return case_study


def current_revision(session: Session, case_study: CaseStudy) -> CaseStudyRevision:
    return session.get(CaseStudyRevision, case_study.current_revision_id)


def _check_revision(case_study: CaseStudy, current: CaseStudyRevision, revision: Any) -> None:
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


def customer_for(handle: Any) -> Member:
    """The customer a new case study is about: an active customer who opted in."""
    if not isinstance(handle, str) or not handle.strip().lstrip("@"):
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
    from network.uploads import service as uploads

    row = uploads.find(name)
    if row is None or not name.endswith((".webp", ".png", ".jpg", ".jpeg", ".gif")):
        raise Invalid(_l("Upload the logo as a picture first."), field="logo")


# Staff: write and revise ---------------------------------------------------------------------


def create(
    actor: Member, customer: Any, draft: content.Draft, *, key: str | None = None
) -> CaseStudy:
    """A new case study about an opted-in customer; its first revision is a draft."""
    _require_staff(actor)
    key = idempotency.check_key(key)
    subject = customer_for(customer)
    values = content.clean(draft)
    _check_logo(values["logo"])
    payload = {"customer": subject.id, "revision": values["content_hash"]}
    for attempt in (1, 2):
        try:
            with write_transaction() as session:
                earlier = idempotency.replay_or_claim(session, actor.id, key, "case_study", payload)
                if earlier is not None:
                    return session.get(CaseStudy, earlier)
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
                idempotency.remember(session, actor.id, key, "case_study", payload, case_study.id)
            break
        except IntegrityError:
            if attempt == 2 or key is None:
                raise
    log.info("case study created id=%s customer=%s by=%s", case_study.id, subject.id, actor.id)
    return case_study


def revise(
    actor: Member, case_study_id: Any, draft: content.Draft, *, base_revision: str | None = None
) -> CaseStudy:
    """Save a new revision. What is published stays published until the customer approves.

    ``base_revision`` is the hash the editor started from: a different
    current one means someone saved meanwhile (409, never a silent overwrite).
    """
    _require_staff(actor)
    values = content.clean(draft)
    _check_logo(values["logo"])
    with write_transaction() as session:
        case_study = _locked(session, actor, case_study_id)
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


def request_consent(actor: Member, case_study_id: Any, *, revision: str | None = None) -> CaseStudy:
    """Send the current revision to the customer for review."""
    _require_staff(actor)
    with write_transaction() as session:
        case_study = _locked(session, actor, case_study_id)
        current = current_revision(session, case_study)
        _check_revision(case_study, current, revision)
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


# The customer: answer --------------------------------------------------------------------------


def request_changes(
    actor: Member, case_study_id: Any, comment: Any, *, revision: str | None = None
) -> CaseStudy:
    """The customer asks for changes to the revision awaiting their consent.

    Raises NotFound (anyone but the customer, before any word on the comment),
    Invalid, Conflict.
    """
    with write_transaction() as session:
        case_study = _as_subject(session, actor, case_study_id)
        comment = _change_request(comment)
        current = current_revision(session, case_study)
        _check_revision(case_study, current, revision)
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


def _change_request(comment: Any) -> str:
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
    actor: Member, case_study_id: Any, revision: Any, chosen: dict[str, Any]
) -> CaseStudy:
    """The customer consents to exactly this revision (by hash), within the chosen scopes.

    Raises NotFound (anyone but the customer), Conflict (not the current revision,
    or nothing awaits an answer), Invalid (the scopes, or the guard's refusal).
    """
    with write_transaction() as session:
        case_study = _as_subject(session, actor, case_study_id)
        if not isinstance(revision, str) or not revision:
            raise Invalid(_l("Say which revision you consent to."), field="revision")
        current = current_revision(session, case_study)
        _check_revision(case_study, current, revision)
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


def publish(actor: Member, case_study_id: Any) -> CaseStudy:
    """Publish the current revision: only with the customer's valid consent to it (else 409)."""
    _require_staff(actor)
    with write_transaction() as session:
        case_study = _locked(session, actor, case_study_id)
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


def withdraw(actor: Member, case_study_id: Any) -> CaseStudy:
    """The customer withdraws, at any time: it leaves every surface at once."""
    with write_transaction() as session:
        case_study = _as_subject(session, actor, case_study_id)
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
