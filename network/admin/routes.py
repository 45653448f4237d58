"""Admin pages: members, approvals, invitations, community settings, the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network import mail
from network.accounts import audit, invitations, members
from network.accounts.forms import InvitationForm
from network.accounts.invite_routes import create_from_form, render_invitations
from network.admin import service
from network.admin.forms import LogoForm, SettingsForm
from network.community import service as community
from network.exceptions import Invalid, ServiceError
from network.models import MemberStatus, Role
from network.permissions import Permission, requires
from network.uploads.service import store_image
from network.web.answers import show_form_error
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm
from network.web.headers import shows_secret

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@blueprint.get("")
@requires(Permission.administer)
def index() -> Response:
    return redirect(url_for("admin.members_page"))


@blueprint.get("/members")
@requires(Permission.administer)
def members_page() -> str:
    filters = {key: request.args.get(key) or None for key in ("q", "role", "status")}
    page = service.member_page(
        current_user,
        query=filters["q"],
        role=filters["role"],
        status=filters["status"],
        cursor=request.args.get("cursor"),
    )
    return render_template(
        "admin/members.html",
        page=page,
        filters=filters,
        roles=list(Role),
        statuses=list(MemberStatus),
        confirm_form=ConfirmForm(formdata=None),
    )


def _back_to_members() -> Response:
    return redirect(
        request.form.get("back")
        if (request.form.get("back") or "").startswith("/admin/members")
        else url_for("admin.members_page")
    )


@blueprint.post("/members/<int:member_id>/role")
@requires(Permission.administer)
def change_role(member_id: int) -> Response:
    return _change_member(
        lambda: members.set_role(current_user, member_id, Role(request.form.get("role", ""))),
        _("The role is changed; their sessions have ended."),
    )


@blueprint.post("/members/<int:member_id>/status")
@requires(Permission.administer)
def change_status(member_id: int) -> Response:
    return _change_member(
        lambda: members.set_status(
            current_user, member_id, MemberStatus(request.form.get("status", ""))
        ),
        _("The status is changed."),
    )


def _change_member(change, done: str) -> Response:
    """Apply a role or status change; refusals the admin can act on come back as a note."""
    _confirmed()
    try:
        change()
    except ValueError:
        abort(422)  # not a role or status we know
    except ServiceError as error:
        if error.status in (403, 404):
            abort(error.status)
        flash(str(error.message), "error")  # e.g. the last active admin
    else:
        flash(done, "success")
    return _back_to_members()


@blueprint.get("/approvals")
@requires(Permission.administer)
def approvals() -> str:
    return render_template(
        "admin/approvals.html",
        waiting=service.pending(current_user),
        confirm_form=ConfirmForm(formdata=None),
    )


@blueprint.post("/approvals/<int:member_id>/approve")
@requires(Permission.administer)
def approve(member_id: int) -> Response:
    return _decide(member_id, approve=True)


@blueprint.post("/approvals/<int:member_id>/reject")
@requires(Permission.administer)
def reject(member_id: int) -> Response:
    return _decide(member_id, approve=False)


def _decide(member_id: int, approve: bool) -> Response:
    _confirmed()
    member = service.decide(current_user, member_id, approve)
    if approve:
        mail.send(
            member.email,
            _("You are in"),
            _(
                "Hello %(name)s,\n\nan admin approved your membership. Welcome!\n\n%(link)s",
                name=member.display_name,
                link=url_for("main.index", _external=True),
            ),
        )
        flash(_("%(name)s is in.", name=member.display_name), "success")
    else:
        flash(_("%(name)s was turned away.", name=member.display_name), "info")
    return redirect(url_for("admin.approvals"))


@blueprint.get("/settings")
@requires(Permission.administer)
def settings() -> str:
    return _settings_page(_filled_settings_form())


def _filled_settings_form() -> SettingsForm:
    current = community.profile()
    form = SettingsForm(formdata=None)
    form.name.data, form.tagline.data = current.name, current.tagline
    form.registration.data = current.registration
    form.staff_domains.data = ", ".join(current.staff_domains)
    form.employees_may_invite.data = current.employees_may_invite
    form.accent.data = current.accent
    form.terms.data = current.terms.get("text", "")
    form.privacy.data = current.privacy.get("text", "")
    return form


def _settings_page(form: SettingsForm, status: int = 200) -> tuple[str, int] | str:
    page = render_template(
        "admin/settings.html",
        form=form,
        logo_form=LogoForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
    )
    return (page, status) if status != 200 else page


@blueprint.post("/settings")
@requires(Permission.administer)
@rerenders_form_on_csrf_error
def save_settings() -> Response | str | tuple[str, int]:
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(form, 422)
    changes = {
        "name": form.name.data or None,
        "tagline": form.tagline.data or None,
        "registration": form.registration.data,
        "staff_domains": form.staff_domains.data or "",
        "employees_may_invite": bool(form.employees_may_invite.data),
        "accent": form.accent.data or None,
        "terms": form.terms.data or None,
        "privacy": form.privacy.data or None,
    }
    try:
        service.update_settings(current_user, changes)
    except Invalid as error:
        show_form_error(form, error)
        return _settings_page(form, 422)
    flash(_("Settings saved."), "success")
    return redirect(url_for("admin.settings"))


@blueprint.post("/settings/logo")
@requires(Permission.administer)
def upload_logo() -> Response | tuple[str, int] | str:
    form = LogoForm()
    if not form.validate_on_submit() or not form.logo.data:
        abort(400)
    try:
        upload = store_image(current_user, form.logo.data, "post_image")
        service.update_settings(current_user, {"logo": upload.name})
    except Invalid as error:
        settings_form = _filled_settings_form()
        settings_form.form_errors.append(str(error.message))
        return _settings_page(settings_form, error.status)
    flash(_("The logo is saved."), "success")
    return redirect(url_for("admin.settings"))


@blueprint.post("/settings/logo/remove")
@requires(Permission.administer)
def remove_logo() -> Response:
    _confirmed()
    service.update_settings(current_user, {"logo": None})
    flash(_("The logo is removed."), "success")
    return redirect(url_for("admin.settings"))


@blueprint.get("/audit")
@requires(Permission.administer)
def audit_log() -> str:
    page = audit.page(request.args.get("cursor"))
    return render_template("admin/audit.html", page=page)


@blueprint.get("/invitations")
@requires(Permission.administer)
def invitations_page() -> str:
    return _invitations_page(InvitationForm(formdata=None))


def _invitations_page(
    form: InvitationForm, new_link: str | None = None, status: int = 200
) -> tuple[str, int]:
    return render_invitations(form, "admin.create_invitation", True, new_link, status)


@blueprint.post("/invitations")
@shows_secret
@requires(Permission.administer)
@rerenders_form_on_csrf_error
def create_invitation() -> tuple[str, int]:
    return create_from_form(_invitations_page, role_from_form=True)


@blueprint.post("/invitations/<int:invitation_id>/revoke")
@requires(Permission.administer)
def revoke_invitation(invitation_id: int) -> Response:
    _confirmed()
    invitations.revoke(current_user, invitation_id)
    flash(_("The invitation no longer works."), "success")
    return redirect(url_for("admin.invitations_page"))
