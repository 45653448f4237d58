"""The customer's pages: review with a live preview, consent, ask for changes, withdraw, history."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from network.case_studies import access, consent_log, render, scopes
from network.case_studies import consent as consents  # the view below is named consent
from network.case_studies.access import today
from network.case_studies.blueprint import (
    SCOPE_FIELDS,
    blueprint,
    log_reader_or_404,
    subject_or_404,
)
from network.case_studies.diff import last_approved, revision_diff
from network.case_studies.forms import (
    ChangesForm,
    ScopesForm,
    scopes_data,
)
from network.exceptions import Conflict, Invalid
from network.extensions import db
from network.models import (
    CaseStudyConsent,
    CaseStudyRevision,
    Profile,
    RevisionState,
    Role,
)
from network.permissions import signed_in
from network.web.answers import show_form_error
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm

# The customer: review, answer, withdraw --------------------------------------------------


def _scope_error(form: ScopesForm, error: Invalid, revision: CaseStudyRevision | None) -> None:
    """Beside its field, or on top when the page offers no such choice (no logo, no quote)."""
    offered = revision is None or bool(getattr(revision, error.field or "", True))
    if error.field in ("logo", "quote", "figures") and not offered:
        form.form_errors.append(str(error.message))
    else:
        show_form_error(form, error)


def _has_errors(form: Any) -> bool:
    return bool(form.form_errors) or any(field.errors for field in form)


def _starting_point(viewed: access.Viewed) -> tuple[scopes.Scopes, CaseStudyConsent | None]:
    """What the review page starts from: the scopes granted last time, else the most private.

    A customer re-consenting to a small edit then answers with one click, and an
    expiry date that has passed since is left out rather than refused.
    """
    consent = access.latest_consent(viewed.case_study.id)
    if consent is None:
        return scopes.PRIVATE, None
    chosen = render.consent_scopes(consent)
    if chosen.expires_on is not None and chosen.expires_on <= today():
        chosen = dataclasses.replace(chosen, expires_on=None)
    return chosen, consent


def _review_page(
    viewed: access.Viewed,
    scopes_form: ScopesForm,
    changes_form: ChangesForm,
    status: int = 200,
) -> tuple[str, int]:
    """The review page: the preview with the chosen scopes, the diff, both answers."""
    current = viewed.current
    awaiting = current is not None and current.state == RevisionState.awaiting_consent
    preview, changes, approved = None, [], None
    if awaiting:
        # The page shows the current revision, so that is the one the answer is about.
        scopes_form.revision.data = changes_form.revision.data = current.content_hash
        chosen = scopes.PRIVATE
        try:
            chosen = scopes.parse(scopes_form.chosen())
            if not _has_errors(scopes_form):
                consents.check_scopes(viewed.case_study, current, chosen)
        except Invalid as error:
            if not _has_errors(scopes_form):
                _scope_error(scopes_form, error, current)
        company = consents.company_of(viewed.case_study.customer_id)
        preview = render.story(
            viewed.case_study, current, viewed.customer, chosen, company, consented_on=today()
        )
        approved = last_approved(viewed.case_study.id)
        if approved is not None and approved.id != current.id:
            changes = revision_diff(approved, current)
    _, last_consent = _starting_point(viewed)
    last_revision = None
    if last_consent is not None:
        last_revision = db.session.get(CaseStudyRevision, last_consent.revision_id)
    html = render_template(
        "case_studies/review.html",
        viewed=viewed,
        last_consent=last_consent,
        last_revision=last_revision,
        awaiting=awaiting,
        preview=preview,
        scopes_form=scopes_form,
        changes_form=changes_form,
        approved=approved,
        changes=changes,
    )
    return html, status


@blueprint.get("/case-studies/<int:case_study_id>/review")
@signed_in
def review(case_study_id: int) -> Response | tuple[str, int]:
    viewed = subject_or_404(case_study_id)
    if "csrf_token" in request.args or "revision" in request.args:
        # "Update preview" submits the consent form by GET: keep the token out of the address.
        chosen = {key: value for key, value in request.args.items() if key in SCOPE_FIELDS}
        return redirect(url_for("case_studies.review", case_study_id=case_study_id, **chosen))
    starting, _ = _starting_point(viewed)
    scopes_form = ScopesForm(formdata=request.args or None, data=scopes_data(starting))
    return _review_page(viewed, scopes_form, ChangesForm(formdata=None))


@blueprint.post("/case-studies/<int:case_study_id>/consent")
@signed_in
@rerenders_form_on_csrf_error
def consent(case_study_id: int) -> Response | tuple[str, int]:
    viewed = subject_or_404(case_study_id)
    form = ScopesForm()
    if not form.validate_on_submit():
        return _review_page(viewed, form, ChangesForm(formdata=None), 422)
    try:
        consents.grant_consent(current_user, case_study_id, form.revision.data, form.chosen())
    except Invalid as error:
        _scope_error(form, error, viewed.current)
        return _review_page(viewed, form, ChangesForm(formdata=None), 422)
    except Conflict as error:
        form.form_errors.append(str(error.message))
        return _review_page(subject_or_404(case_study_id), form, ChangesForm(formdata=None), 409)
    flash(_("Thank you: your consent is recorded. Staff may now publish it."), "success")
    return redirect(url_for("case_studies.mine"))


@blueprint.post("/case-studies/<int:case_study_id>/request-changes")
@signed_in
@rerenders_form_on_csrf_error
def request_changes(case_study_id: int) -> Response | tuple[str, int]:
    viewed = subject_or_404(case_study_id)
    form = ChangesForm()
    scopes_form = ScopesForm(formdata=None, data=scopes_data(_starting_point(viewed)[0]))
    if not form.validate_on_submit():
        return _review_page(viewed, scopes_form, form, 422)
    try:
        consents.request_changes(
            current_user, case_study_id, form.comment.data, revision=form.revision.data or None
        )
    except Invalid as error:
        show_form_error(form, error)
        return _review_page(viewed, scopes_form, form, 422)
    except Conflict as error:
        form.form_errors.append(str(error.message))
        return _review_page(subject_or_404(case_study_id), scopes_form, form, 409)
    flash(_("Your request for changes is sent to staff."), "success")
    return redirect(url_for("case_studies.mine"))


@blueprint.route("/case-studies/<int:case_study_id>/withdraw", methods=["GET", "POST"])
@signed_in
def withdraw(case_study_id: int) -> Response | str:
    viewed = subject_or_404(case_study_id)
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("case_studies/withdraw.html", viewed=viewed, form=form)
    consents.withdraw(current_user, case_study_id)  # NotFound unless theirs: the 404 page
    flash(_("Your consent is withdrawn: only you and staff can see the case study now."), "success")
    return redirect(url_for("case_studies.mine"))


@blueprint.get("/me/case-studies")
@signed_in
def mine() -> str:
    items = []
    for case_study, current in access.customer_list(current_user):
        published = None
        if case_study.published_revision_id is not None:
            published = db.session.get(CaseStudyRevision, case_study.published_revision_id)
        consent = access.consent_shown(case_study)
        items.append(
            {
                "case_study": case_study,
                "current": current,
                "published": published,
                "consent": consent,
                "consent_live": access.consent_is_live(consent),
                "log": consent_log.entries(case_study.id),
            }
        )
    profile = db.session.get(Profile, current_user.id)
    return render_template(
        "case_studies/mine.html",
        items=items,
        open_to_case_studies=bool(profile and profile.open_to_case_studies),
        is_customer=current_user.role == Role.customer,
    )


# The consent log -------------------------------------------------------------------------------


@blueprint.get("/case-studies/<int:case_study_id>/consent-log")
def log_page(case_study_id: int) -> str:
    viewed = log_reader_or_404(case_study_id)
    return render_template(
        "case_studies/consent_log.html", viewed=viewed, entries=consent_log.entries(case_study_id)
    )


@blueprint.get("/case-studies/<int:case_study_id>/consent-log.json")
def log_download(case_study_id: int) -> Response:
    log_reader_or_404(case_study_id)
    return Response(
        consent_log.export(case_study_id),
        mimetype="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="case-study-{case_study_id}-consent-log.json"'
            )
        },
    )
