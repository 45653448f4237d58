"""Staff's pages: the desk by state, writing and revising, asking for consent, publishing."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from network.case_studies import access, authoring, consent
from network.case_studies.blueprint import (
    CHANGED_SINCE_SHOWN,
    as_written,
    asked_changes,
    blueprint,
    viewed_or_404,
)
from network.case_studies.forms import (
    CaseStudyForm,
    RevisionActionForm,
    figure_rows,
)
from network.exceptions import Conflict, Forbidden, Invalid, NotFound, ServiceError
from network.extensions import db
from network.models import (
    CaseStudy,
    CaseStudyRevision,
    CaseStudyStatus,
    Member,
    MemberStatus,
    Profile,
    Role,
)
from network.permissions import Permission, requires
from network.uploads import service as uploads
from network.web.answers import show_form_error
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import new_key

# Staff: the desk, writing, asking, publishing -------------------------------------------------


def _opted_in() -> list[tuple[Member, Profile]]:
    statement = (
        select(Member, Profile)
        .join(Profile, Profile.member_id == Member.id)
        .where(
            Profile.open_to_case_studies.is_(True),
            Member.role == Role.customer,
            Member.status == MemberStatus.active,
        )
        .order_by(Member.display_name)
    )
    return [tuple(row) for row in db.session.execute(statement)]  # type: ignore[misc]


@blueprint.get("/case-studies/manage")
@requires(Permission.staff)
def manage() -> str:
    try:
        status = CaseStudyStatus(request.args.get("state") or "")
    except ValueError:
        status = None
    counts = dict(
        db.session.execute(select(CaseStudy.status, func.count()).group_by(CaseStudy.status)).all()
    )
    return render_template(
        "case_studies/manage.html",
        status=status,
        statuses=list(CaseStudyStatus),
        counts=counts,
        total=sum(counts.values()),
        rows=access.staff_list(status),
        opted_in=_opted_in(),
    )


def _editor(
    form: CaseStudyForm, status: int = 200, viewed: access.Viewed | None = None, **context: Any
) -> tuple[str, int]:
    return render_template("case_studies/editor.html", form=form, viewed=viewed, **context), status


def _refuse(form: CaseStudyForm, error: ServiceError) -> None:
    if error.field == "figures":
        form.figures_error = str(error.message)  # shown beside the figures' table
    elif error.field == "file":
        form.logo.errors = [*list(form.logo.errors or []), str(error.message)]
    else:
        show_form_error(form, error)


def _logo(form: CaseStudyForm, kept: str | None) -> str | None:
    """The logo of the new revision: a new upload, the one kept, or none."""
    upload = form.logo.data
    if upload is not None and getattr(upload, "filename", ""):
        return uploads.store_image(current_user, upload, "post_image").name
    return None if form.remove_logo.data else kept


@blueprint.route("/case-studies/new", methods=["GET", "POST"])
@requires(Permission.staff)
@rerenders_form_on_csrf_error
def new() -> Response | tuple[str, int]:
    if request.method == "GET":
        form = CaseStudyForm(formdata=None)
        form.key.data = new_key()
        form.customer.data = request.args.get("customer", "")[:100]
        return _editor(form)
    form = CaseStudyForm()
    if not form.validate_on_submit():
        return _editor(form, 422)
    try:
        draft = form.draft(_logo(form, None))
        case_study = authoring.create(current_user, form.customer.data, draft, key=form.key.data)
    except Invalid as error:
        _refuse(form, error)
        return _editor(form, error.status)
    flash(_("The case study is saved as a draft."), "success")
    return redirect(url_for("case_studies.show", case_study_id=case_study.id))


def _revision_data(revision: CaseStudyRevision) -> dict[str, Any]:
    figures = list(revision.figures or [])
    figures += [{}] * (figure_rows(figures) - len(figures))
    return {
        "title": revision.title,
        "challenge": revision.challenge,
        "solution": revision.solution,
        "results": revision.results,
        "quote": revision.quote,
        "figures": figures,
        "base_revision": revision.content_hash,
    }


@blueprint.route("/case-studies/<int:case_study_id>/edit", methods=["GET", "POST"])
@requires(Permission.staff)
@rerenders_form_on_csrf_error
def edit(case_study_id: int) -> Response | tuple[str, int]:
    viewed = viewed_or_404(case_study_id)
    if request.method == "GET":
        form = CaseStudyForm(formdata=None, data=_revision_data(viewed.current))
        return _editor(form, viewed=viewed, asked_changes=asked_changes(viewed))
    form = CaseStudyForm()
    if not form.validate_on_submit():
        return _editor(form, 422, viewed=viewed)
    try:
        draft = form.draft(_logo(form, viewed.current.logo))
        authoring.revise(
            current_user, case_study_id, draft, base_revision=form.base_revision.data or None
        )
    except Invalid as error:
        _refuse(form, error)
        return _editor(form, error.status, viewed=viewed)
    except Conflict as error:
        # Their text stays in the form; the saved one is shown above it, with its hash to save over.
        fresh = viewed_or_404(case_study_id)
        form.base_revision.data = fresh.current.content_hash
        form.form_errors.append(str(error.message))
        return _editor(form, 409, viewed=fresh, saved=as_written(fresh))
    flash(_("Saved as a new revision."), "success")
    return redirect(url_for("case_studies.show", case_study_id=case_study_id))


def _staff_action(case_study_id: int, act: Any, done: str) -> Response:
    form = RevisionActionForm()
    if not form.validate_on_submit():
        abort(400)
    viewed = viewed_or_404(case_study_id)
    shown = form.revision.data or None
    try:
        if shown is not None and shown != viewed.current.content_hash:
            raise Conflict(CHANGED_SINCE_SHOWN)
        act(viewed)
    except (NotFound, Forbidden) as error:
        abort(error.status)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(done, "success")
    return redirect(url_for("case_studies.show", case_study_id=case_study_id))


@blueprint.post("/case-studies/<int:case_study_id>/request-consent")
@requires(Permission.staff)
def request_consent(case_study_id: int) -> Response:
    return _staff_action(
        case_study_id,
        lambda viewed: consent.request_consent(current_user, case_study_id),
        _("Sent to the customer for their consent."),
    )


@blueprint.post("/case-studies/<int:case_study_id>/publish")
@requires(Permission.staff)
def publish(case_study_id: int) -> Response:
    return _staff_action(
        case_study_id,
        lambda viewed: consent.publish(current_user, case_study_id),
        _("The case study is published."),
    )
