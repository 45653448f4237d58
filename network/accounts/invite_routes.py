"""Inviting without admin rights: staff invite customers (when allowed), members bring friends."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from network.accounts import invitations
from network.admin.forms import InvitationForm
from network.admin.routes import create_from_form, render_invitations
from network.community import service as community
from network.extensions import db
from network.models import Member
from network.permissions import Permission, requires
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm
from network.web.headers import shows_secret

blueprint = Blueprint("invites", __name__)  # accounts.invites


def _staff_may_invite() -> None:
    if not invitations.may_invite(current_user):
        abort(403)


def _page(form: InvitationForm, new_link: str | None = None, status: int = 200):
    return render_invitations(form, "accounts.invites.create", False, new_link, status)


@blueprint.get("/invitations")
@requires(Permission.staff)
def index() -> tuple[str, int]:
    _staff_may_invite()
    return _page(InvitationForm(formdata=None))


@blueprint.post("/invitations")
@shows_secret
@requires(Permission.staff)
@rerenders_form_on_csrf_error
def create() -> tuple[str, int]:
    _staff_may_invite()
    return create_from_form(_page, role_from_form=False)


@blueprint.post("/invitations/<int:invitation_id>/revoke")
@requires(Permission.staff)
def revoke(invitation_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    invitations.revoke(current_user, invitation_id)
    flash(_("The invitation no longer works."), "success")
    return redirect(url_for("accounts.invites.index"))


@blueprint.get("/invite")
@requires(Permission.write)
def personal() -> str:
    """A member's personal link for friends (open communities), and who came through it."""
    joined = list(
        db.session.scalars(
            select(Member)
            .where(Member.invited_by_id == current_user.id)
            .order_by(Member.created_at.desc(), Member.id.desc())
            .limit(200)
        )
    )
    link = None
    if community.profile().registration == "open":
        link = url_for("accounts.sign_up", ref=current_user.handle, _external=True)
    return render_template("admin/personal_invite.html", link=link, joined=joined)
