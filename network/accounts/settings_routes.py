"""A member's own account settings: email, password, time zone, mail, sessions, API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from network.accounts import mail_settings, registration, sessions, time_zones, tokens
from network.accounts.forms import ChangeEmailForm, ChangePasswordForm, TokenForm
from network.exceptions import Invalid
from network.mail import preferences
from network.models import utcnow
from network.permissions import signed_in
from network.web.answers import show_form_error
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm
from network.web.headers import shows_secret

blueprint = Blueprint("settings", __name__, url_prefix="/settings")  # accounts.settings


def _account_page(status: int = 200, time_zone_error: str | None = None, **forms):
    context = {
        "password_form": forms.get("password_form") or ChangePasswordForm(formdata=None),
        "email_form": forms.get("email_form") or ChangeEmailForm(formdata=None),
        "confirm_form": ConfirmForm(formdata=None),
        "time_zones": time_zones.names(),
        "time_zone": time_zones.of(current_user),
        "time_zone_error": time_zone_error,
    }
    return render_template("settings/account.html", **context), status


@blueprint.get("")
@signed_in
def account() -> tuple[str, int]:
    return _account_page()


@blueprint.post("/password")
@signed_in
@rerenders_form_on_csrf_error
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _account_page(422, password_form=form)
    remember = _this_session_remembers()
    try:
        registration.change_password(
            current_user, form.current_password.data, form.new_password.data
        )
    except Invalid as error:
        show_form_error(form, error)
        return _account_page(422, password_form=form)
    # Every session ended; this browser gets a fresh one so the person stays in.
    member = sessions.start_session(current_user.id, sessions.this_client(), remember=remember)
    login_user(member, remember=remember)
    flash(_("Your password is changed. Every other device has been signed out."), "success")
    return redirect(url_for("accounts.settings.account"))


def _this_session_remembers() -> bool:
    key = sessions.current_session_key()
    return any(row.remember for row in sessions.open_sessions(current_user) if row.key == key)


@blueprint.post("/email")
@signed_in
@rerenders_form_on_csrf_error
def change_email() -> Response | tuple[str, int]:
    form = ChangeEmailForm()
    if not form.validate_on_submit():
        return _account_page(422, email_form=form)
    try:
        email = registration.request_email_change(
            current_user, form.new_email.data, form.current_password.data
        )
    except Invalid as error:
        show_form_error(form, error)
        return _account_page(422, email_form=form)
    flash(
        _("We sent a link to %(email)s. Your address changes when you open it.", email=email),
        "success",
    )
    return redirect(url_for("accounts.settings.account"))


@blueprint.post("/time-zone")
@signed_in
def change_time_zone() -> Response | tuple[str, int]:
    _require_confirm()
    try:
        time_zones.set_time_zone(current_user, request.form.get("time_zone", ""))
    except Invalid as error:
        return _account_page(422, time_zone_error=str(error))
    flash(_("Your time zone is saved."), "success")
    return redirect(url_for("accounts.settings.account"))


def _mail_page(
    status: int = 200, modes: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> tuple[str, int]:
    return render_template(
        "settings/mail.html",
        kinds=mail_settings.OPTIONAL,
        allowed={kind: preferences.KINDS[kind].modes for kind in mail_settings.OPTIONAL},
        labels=mail_settings.LABELS,
        mode_labels=mail_settings.MODE_LABELS,
        modes=modes or mail_settings.choices(current_user),
        errors=errors or {},
        time_zone=time_zones.of(current_user),
        confirm_form=ConfirmForm(formdata=None),
    ), status


@blueprint.get("/mail")
@signed_in
def mail_page() -> tuple[str, int]:
    return _mail_page()


@blueprint.post("/mail")
@signed_in
def save_mail() -> Response | tuple[str, int]:
    _require_confirm()
    sent = {kind: request.form[kind] for kind in mail_settings.OPTIONAL if kind in request.form}
    try:
        mail_settings.save(current_user, sent)
    except Invalid as error:
        shown = {**mail_settings.choices(current_user), **sent}
        return _mail_page(422, shown, {error.field or "": str(error)})
    flash(_("Your mail choices are saved."), "success")
    return redirect(url_for("accounts.settings.mail_page"))


@blueprint.get("/sessions")
@signed_in
def sessions_page() -> str:
    return render_template(
        "settings/sessions.html",
        open_sessions=sessions.open_sessions(current_user),
        this_key=sessions.current_session_key(),
        history=sessions.sign_in_history(current_user),
        describe=sessions.describe_device,
        confirm_form=ConfirmForm(formdata=None),
    )


@blueprint.post("/sessions/<int:session_id>/end")
@signed_in
def end_session(session_id: int) -> Response:
    _require_confirm()
    sessions.end_own_session(current_user, session_id)
    flash(_("That session has ended."), "success")
    return redirect(url_for("accounts.settings.sessions_page"))


@blueprint.post("/sessions/end-others")
@signed_in
def end_other_sessions() -> Response:
    _require_confirm()
    ended = sessions.end_other_sessions(current_user, sessions.current_session_key())
    flash(
        ngettext(
            "Signed out of %(num)d other session.", "Signed out of %(num)d other sessions.", ended
        ),
        "success",
    )
    return redirect(url_for("accounts.settings.sessions_page"))


@blueprint.post("/sessions/end-all")
@signed_in
def sign_out_everywhere() -> Response:
    _require_confirm()
    sessions.sign_out_everywhere(current_user)
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("main.index"))


@blueprint.get("/tokens")
@signed_in
def tokens_page() -> str:
    return _tokens_page(TokenForm(formdata=None))


def _tokens_page(form: TokenForm, new_token: str | None = None) -> str:
    return render_template(
        "settings/tokens.html",
        form=form,
        tokens=tokens.member_tokens(current_user),
        now=utcnow(),
        new_token=new_token,
        confirm_form=ConfirmForm(formdata=None),
    )


@blueprint.post("/tokens")
@shows_secret
@signed_in
@rerenders_form_on_csrf_error
def create_token() -> str | tuple[str, int]:
    form = TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form), 422
    try:
        lifetime = tokens.token_lifetime(form.lifetime.data)
        _token, raw = tokens.create_api_token(current_user, form.name.data, lifetime)
    except Invalid as error:
        show_form_error(form, error)
        return _tokens_page(form), 422
    # Shown once, on this answer only; a reload does not show it again.
    return _tokens_page(TokenForm(formdata=None), new_token=raw)


@blueprint.post("/tokens/<int:token_id>/revoke")
@signed_in
def revoke_token(token_id: int) -> Response:
    _require_confirm()
    tokens.revoke_api_token(current_user, token_id)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("accounts.settings.tokens_page"))


def _require_confirm() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)
