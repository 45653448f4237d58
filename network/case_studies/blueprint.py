"""The case-study pages' blueprint and what its views share: labels, who may see what."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from network.case_studies import access, consent, consent_log, render, scopes
from network.exceptions import NotFound
from network.models import (
    CaseStudyStatus,
    ConsentAction,
    RevisionState,
)

blueprint = Blueprint("case_studies", __name__)
PAGE = 12  # cards per page of the index; each watches its own withdrawal

STATUS_LABELS = {
    CaseStudyStatus.draft: _l("Draft"),
    CaseStudyStatus.awaiting_consent: _l("Awaiting consent"),
    CaseStudyStatus.changes_requested: _l("Changes requested"),
    CaseStudyStatus.approved: _l("Approved"),
    CaseStudyStatus.published: _l("Published"),
    CaseStudyStatus.withdrawn: _l("Withdrawn"),
    CaseStudyStatus.expired: _l("Expired"),
}
REVISION_LABELS = {
    RevisionState.draft: _l("draft"),
    RevisionState.awaiting_consent: _l("awaiting consent"),
    RevisionState.changes_requested: _l("changes requested"),
    RevisionState.approved: _l("approved"),
    RevisionState.published: _l("published"),
    RevisionState.superseded: _l("superseded"),
    RevisionState.withdrawn: _l("withdrawn"),
    RevisionState.expired: _l("expired"),
}
ACTION_LABELS = {
    "requested": _l("Consent requested"),
    "changes_requested": _l("Changes requested"),
    "granted": _l("Consent granted"),
    "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
SCOPE_VALUES = {
    ("name", "full"): _l("full name"),
    ("name", "initial"): _l("first name and initial"),
    ("name", "anonymous"): _l("anonymous"),
    ("company", "name"): _l("by name"),
    ("company", "industry"): _l("by industry"),
    ("company", "hidden"): _l("hidden"),
    ("audience", "members"): _l("members only"),
    ("audience", "public"): _l("the public web"),
}
CHANGED_SINCE_SHOWN = _l("The case study changed since you opened it. Check it and try again.")
SCOPE_FIELDS = (
    "name",
    "company",
    "industry",
    "logo",
    "quote",
    "figures",
    "audience",
    "expires_on",
    "identifying_words",
)


def scope_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return "–"
    return str(SCOPE_VALUES.get((key, value), value))


def long_date(value: Any) -> str:
    return format_date(value, "long") if value else ""


@blueprint.context_processor
def _labels() -> dict[str, Any]:
    return {
        "status_label": lambda status: str(STATUS_LABELS.get(status, status)),
        "revision_label": lambda state: str(REVISION_LABELS.get(state, state)),
        "action_label": lambda action: str(ACTION_LABELS.get(action, action)),
        "scope_value": scope_value,
        "long_date": long_date,
    }


# Who may see what -----------------------------------------------------------------------------


def viewed_or_404(case_study_id: int) -> access.Viewed:
    try:
        return access.view(current_user, case_study_id)
    except NotFound:
        abort(404)


def subject_or_404(case_study_id: int) -> access.Viewed:
    """The case study for the customer it is about; anyone else (staff too) gets 404."""
    viewed = viewed_or_404(case_study_id)
    if not viewed.workings or not access.is_subject(current_user, viewed.case_study):
        abort(404)
    return viewed


def log_reader_or_404(case_study_id: int) -> access.Viewed:
    viewed = viewed_or_404(case_study_id)
    if not access.sees_log(current_user, viewed.case_study):
        abort(404)
    return viewed


def asked_changes(viewed: access.Viewed) -> str | None:
    """The customer's comment when the current revision came back with a change request."""
    if viewed.current is None or viewed.current.state != RevisionState.changes_requested:
        return None
    for entry in reversed(consent_log.entries(viewed.case_study.id)):
        if entry.action == ConsentAction.changes_requested:
            return entry.details.get("comment")
    return None


def as_written(viewed: access.Viewed) -> render.Story | None:
    if viewed.current is None:
        return None
    company = consent.company_of(viewed.case_study.customer_id)
    return render.story(
        viewed.case_study, viewed.current, viewed.customer, scopes.AS_WRITTEN, company
    )
