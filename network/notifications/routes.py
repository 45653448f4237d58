"""The notifications page: grouped by thread, marked read by thread or all at once."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from network.models import NotificationKind
from network.notifications import service
from network.permissions import signed_in
from network.web.forms import ConfirmForm

blueprint = Blueprint("notifications", __name__)


@blueprint.get("/notifications")
@signed_in
def index() -> str:
    return render_template(
        "notifications/index.html",
        threads=service.threads(current_user),
        text=service.text,
        url=service.url,
        confirm_form=ConfirmForm(formdata=None),
    )


@blueprint.post("/notifications/read")
@signed_in
def read_all() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user)
    return redirect(url_for("notifications.index"))


@blueprint.post("/notifications/read/<int:post_id>")
@signed_in
def read_thread(post_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user, post_id)  # another member's thread simply matches nothing
    return redirect(url_for("notifications.index"))


@blueprint.post("/notifications/read/case-study/<int:case_study_id>")
@signed_in
def read_case_study_thread(case_study_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user, case_study_id=case_study_id)
    return redirect(url_for("notifications.index"))


@blueprint.post("/notifications/read/sign-ins")
@signed_in
def read_sign_in_notices() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user, kind=NotificationKind.failed_sign_in)
    return redirect(url_for("notifications.index"))
