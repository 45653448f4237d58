"""Which notifications a domain event makes, and for whom (network/signals.py).

Each receiver stores its rows in a transaction of its own, after the write it is
about has committed; if that fails, signals.send logs it and the committed comment
or consent stands (the answer is not an error).
"""

from __future__ import annotations

from typing import Any

from network import signals
from network.case_studies import access as case_studies
from network.models import CaseStudy, Member, NotificationKind
from network.notifications import service, sign_ins


def _comment_created(_sender: Any, *, comment: Any) -> None:
    service.comment_added(comment)


def _post_created(_sender: Any, *, post: Any) -> None:
    if post.is_announcement:
        service.announcement_made(post)


def _consent_requested(_sender: Any, *, case_study: CaseStudy, actor: Member) -> None:
    _tell(
        [case_study.customer_id],
        NotificationKind.consent_request,
        case_study,
        actor,
        mail="consent_request",
    )


def _case_study_published(_sender: Any, *, case_study: CaseStudy, actor: Member) -> None:
    recipients = {case_study.customer_id, *case_studies.team_ids(case_study)} - {actor.id}
    service.case_study_mail("case_study_published", case_study.id, sorted(recipients))


def _changes_requested(_sender: Any, *, case_study: CaseStudy, actor: Member) -> None:
    _tell(case_studies.team_ids(case_study), NotificationKind.consent_changes, case_study, actor)


def _consent_granted(_sender: Any, *, case_study: CaseStudy, actor: Member) -> None:
    _tell(case_studies.team_ids(case_study), NotificationKind.consent_granted, case_study, actor)


def _case_study_withdrawn(
    _sender: Any, *, case_study: CaseStudy, actor: Member | None, was_public: bool
) -> None:
    _tell(case_studies.team_ids(case_study), NotificationKind.case_withdrawn, case_study, actor)


def _case_study_expiring(_sender: Any, *, case_study: CaseStudy) -> None:
    _tell(
        case_studies.team_ids(case_study),
        NotificationKind.consent_expiring,
        case_study,
        None,
        mail="case_study_expiring",
    )


def _sign_in_failed(_sender: Any, *, member_id: int) -> None:
    sign_ins.failed_attempt(member_id)


def _tell(
    recipients: Any,
    kind: NotificationKind,
    case_study: CaseStudy,
    actor: Any,
    *,
    mail: str | None = None,
) -> None:
    """Everyone named but the one who acted (and, with `mail`, mailed as well)."""
    actor_id = actor.id if actor is not None else None
    ids = {member_id for member_id in recipients if member_id and member_id != actor_id}
    if ids:
        service.case_study_event(kind, case_study.id, sorted(ids), actor_id, mail=mail)


RECEIVERS = {
    signals.comment_created: _comment_created,
    signals.post_created: _post_created,
    signals.consent_requested: _consent_requested,
    signals.changes_requested: _changes_requested,
    signals.consent_granted: _consent_granted,
    signals.case_study_published: _case_study_published,
    signals.case_study_withdrawn: _case_study_withdrawn,
    signals.case_study_expiring: _case_study_expiring,
    signals.sign_in_failed: _sign_in_failed,
}


def connect() -> None:
    """Subscribe (once per process: blinker keeps one connection per receiver)."""
    for signal, receiver in RECEIVERS.items():
        signal.connect(receiver)
