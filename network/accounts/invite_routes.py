"""Invitation pages: the one page admins and staff share, staff invite customers (when allowed),
members bring friends."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from network.accounts import invitations, validation
from network.accounts.forms import InvitationForm
from network.community import service as community
from network.exceptions import Invalid
from network.extensions import db, limiter
from network.models import Member, Role
from network.permissions import Permission, requires
from network.web.answers import show_form_error
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm
from network.web.headers import shows_secret

blueprint = Blueprint("invites", __name__)  # accounts.invites


def _staff_may_invite() -> None:
    if not invitations.may_invite(current_user):
        abort(403)


def _page(form: InvitationForm, new_link: str | None = None, status: int = 200):
    return render_invitations(form, "accounts.invites.create", False, new_link, status)


def render_invitations(
    form: InvitationForm,
    action: str,
    may_choose_role: bool,
    new_link: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The invitations page: a form, the link made just now (shown once), the list."""
    listed = invitations.listed_for(current_user)
    return render_template(
        "accounts/invitations.html",
        form=form,
        invitations=listed,
        new_link=new_link,
        joined=invitations.joined_with([i.id for i in listed]),
        confirm_form=ConfirmForm(formdata=None),
        action=url_for(action),
        may_choose_role=may_choose_role,
        mailed_to=g.get("invitation_mailed_to") if new_link else None,
    ), status


def create_from_form(render, role_from_form: bool) -> tuple[str, int]:
    """Shared by the admin page and the staff page: make an invitation, show its link once.

    With an address in the `email` field the link is mailed too, within the
    sender's own rate limit (RATELIMIT_INVITE_MAIL, 429 past it).
    """
    form = InvitationForm()
    if not form.validate_on_submit():
        return render(form, status=422)
    email = (request.form.get("email") or "").strip()[:320] or None
    try:
        role = Role(form.role.data) if role_from_form else Role.customer
        if email is not None:
            email = validation.normalize_email(email)
            with limiter.limit(
                lambda: current_app.config["RATELIMIT_INVITE_MAIL"],
                key_func=lambda: f"member:{current_user.id}",
                scope="invitation-mail",
            ):
                pass
        _invitation, raw = invitations.create(
            current_user,
            role=role,
            days=form.days.data,
            max_uses=form.max_uses.data,
            note=form.note.data,
            email=email,
        )
    except ValueError:
        abort(422)
    except Invalid as error:
        show_form_error(form, error)
        return render(form, status=422)
    link = url_for("accounts.sign_up", invite=raw, _external=True)
    g.invitation_mailed_to = email  # the admin page renders through its own function
    return render(InvitationForm(formdata=None), new_link=link)


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
    return render_template("accounts/personal_invite.html", link=link, joined=joined)
