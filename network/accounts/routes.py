"""HTTP routes for joining and signing in; services decide, these translate."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from network import signals
from network.accounts import (
    devices,
    invitations,
    invite_routes,
    members,
    proof,
    registration,
    sessions,
    settings_routes,
    throttle,
    tokens,
)
from network.accounts.forms import (
    FirstAdminForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
)
from network.community import service as community
from network.exceptions import Forbidden, Invalid, NotFound, ServiceError
from network.extensions import limiter
from network.logs import get_logger
from network.models import MemberStatus, TokenPurpose
from network.permissions import signed_in
from network.web import headers
from network.web.answers import render_form, show_form_error
from network.web.errors import rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm
from network.web.headers import shows_secret
from network.web.redirects import safe_next

blueprint = Blueprint("accounts", __name__)
security_log = get_logger("security")


def _limit(key: str) -> str:
    return current_app.config[key]


def _submitted_account() -> str:
    """Rate-limit key for per-account limits: the account the form names, however spelled."""
    typed = request.form.get("login") or request.form.get("email") or ""
    member = sessions.find_account(typed)
    return f"account:{member.id}" if member else "account:" + typed.strip().lower()[:254]


def _remember_duration():
    return timedelta(seconds=current_app.config["REMEMBER_COOKIE_DURATION"])


def _sign_in_browser(member, remember: bool = False) -> None:
    login_user(member, remember=remember, duration=_remember_duration())


@blueprint.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: _limit("RATELIMIT_SIGN_UP_IP"), methods=["POST"])
@rerenders_form_on_csrf_error
@shows_secret  # an invitation's token travels in its address and in the form
def sign_up() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignUpForm()
    if request.method == "GET":
        form.invite.data = request.args.get("invite", "")[:128]
        form.ref.data = request.args.get("ref", "")[:30]
    invitation = invitations.usable(form.invite.data) if form.invite.data else None
    context = {"invitation": invitation, "mode": community.profile().registration}
    if request.method == "GET":
        return render_template("accounts/sign_up.html", form=form, **context)
    if not form.validate_on_submit():
        return render_form("accounts/sign_up.html", form, **context)
    try:
        member = registration.sign_up(
            email=form.email.data,
            handle=form.handle.data,
            display_name=form.display_name.data,
            password=form.password.data,
            language=str(get_locale()),
            invite=form.invite.data or None,
            ref=form.ref.data or None,
        )
    except Invalid as error:
        show_form_error(form, error)
        return render_form("accounts/sign_up.html", form, **context)
    except Forbidden as error:
        show_form_error(form, error)
        return render_template("accounts/sign_up.html", form=form, **context), 403
    _sign_in_browser(sessions.start_session(member.id, sessions.this_client(), remember=False))
    if member.status == MemberStatus.pending:
        flash(
            _(
                "Thank you! An admin will look at your request soon; we will write to %(email)s.",
                email=member.email,
            ),
            "info",
        )
    else:
        flash(
            _(
                "Welcome! We sent a link to %(email)s: open it to confirm your address.",
                email=member.email,
            ),
            "success",
        )
    return redirect(url_for("main.index"))


@blueprint.route("/signin", methods=["GET", "POST"])
@limiter.limit(lambda: _limit("RATELIMIT_SIGN_IN_IP"), methods=["POST"])
@rerenders_form_on_csrf_error
def sign_in() -> Response | str | tuple[str, int]:
    form = SignInForm()
    target = safe_next(request.args.get("next") or form.next.data)
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target)
    if request.method == "GET":
        form.next.data = target
        return render_template("accounts/sign_in.html", form=form)
    if not form.validate_on_submit():
        return render_form("accounts/sign_in.html", form)
    # The per-account limit (throttle.py) slows guesses from unknown browsers;
    # a known device or a solved proof of work is never locked out (SEC-03).
    named = sessions.find_account(form.login.data)
    member_id = named.id if named is not None else None
    account = throttle.account_key(member_id, form.login.data)
    verdict = throttle.admit(
        account,
        device=devices.presented_for(member_id),
        proven=proof.redeem(form.proof.data, form.proof_nonce.data, account),
    )
    if not verdict.allowed:
        return _slowed_down(form, account, verdict.retry_after)
    try:
        member = sessions.authenticate(
            form.login.data, form.password.data, sessions.this_client(), remember=form.remember.data
        )
    except Invalid as error:
        throttle.failed(account, verdict)
        if member_id is not None:
            _tell_member_of_failures(member_id)
        show_form_error(form, error)
        return render_form("accounts/sign_in.html", form)
    except Forbidden as error:
        show_form_error(form, error)
        return render_form("accounts/sign_in.html", form)
    _sign_in_browser(member, remember=form.remember.data)
    response = redirect(target)
    devices.remember(response, member.id)
    return response


def _slowed_down(form: SignInForm, account: str, retry_after: int) -> Response:
    """429 with Retry-After, the form again, and a puzzle the page's script can solve."""
    challenge = proof.issue(account)
    form.proof.data, form.proof_nonce.data = challenge.text, ""
    form.form_errors.append(
        ngettext(
            "Too many failed sign-ins for this account. Please wait %(num)d second and "
            "sign in again.",
            "Too many failed sign-ins for this account. Please wait %(num)d seconds and "
            "sign in again.",
            retry_after,
        )
    )
    html = render_template("accounts/sign_in.html", form=form, proof_bits=challenge.bits)
    # This answer is about the account's wait, not the address's window.
    headers.retry_after(retry_after)
    return Response(
        html, status=429, mimetype="text/html", headers={"Retry-After": str(retry_after)}
    )


def _tell_member_of_failures(member_id: int) -> None:
    # After the attempt is answered for: a failing notice never turns into an error page.
    signals.send(signals.sign_in_failed, member_id=member_id)


@blueprint.post("/signout")
def sign_out() -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    sessions.end_session_by_key(sessions.current_session_key())
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@blueprint.get("/verify/<token>")
def verify_email(token: str) -> Response:
    was_signed_in = current_user.is_authenticated and current_user.id
    try:
        member = registration.verify_email(token)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("main.index"))
    flash(_("Your email address is confirmed."), "success")
    if member.promoted:
        flash(_("Your address is in the company's domain: you now answer as staff."), "success")
        if was_signed_in == member.id:
            # The promotion ended every session; this browser proved the address.
            _sign_in_browser(
                sessions.start_session(member.id, sessions.this_client(), remember=False)
            )
    return redirect(
        url_for("accounts.settings.account")
        if current_user.is_authenticated
        else url_for("accounts.sign_in")
    )


@blueprint.post("/verify/resend")
@signed_in
@limiter.limit(lambda: _limit("RATELIMIT_MAIL_IP"))
@limiter.limit(
    lambda: _limit("RATELIMIT_MAIL_ACCOUNT"),
    key_func=lambda: f"member:{getattr(current_user, 'id', 'anonymous')}",
)
def resend_verification() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    registration.resend_verification(current_user)
    flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.settings.account"))


@blueprint.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: _limit("RATELIMIT_MAIL_IP"), methods=["POST"])
@limiter.limit(
    lambda: _limit("RATELIMIT_MAIL_ACCOUNT"), key_func=_submitted_account, methods=["POST"]
)
@rerenders_form_on_csrf_error
def request_reset() -> Response | str | tuple[str, int]:
    form = ResetRequestForm()
    if request.method == "GET":
        return render_template("accounts/reset_request.html", form=form)
    if not form.validate_on_submit():
        return render_form("accounts/reset_request.html", form)
    registration.request_password_reset(form.email.data)
    # The same answer whether or not the account exists (SEC-04).
    return render_template("accounts/reset_sent.html")


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
@shows_secret
@rerenders_form_on_csrf_error
def reset_password(token: str) -> Response | str | tuple[str, int]:
    if tokens.peek_one_time(token, TokenPurpose.reset_password) is None:
        return render_template("accounts/link_invalid.html"), 404
    form = NewPasswordForm()
    if request.method == "GET":
        return render_template("accounts/reset_password.html", form=form)
    if not form.validate_on_submit():
        return render_form("accounts/reset_password.html", form)
    try:
        registration.reset_password(token, form.password.data)
    except Invalid as error:
        show_form_error(form, error)
        return render_form("accounts/reset_password.html", form)
    except NotFound:
        return render_template("accounts/link_invalid.html"), 404
    logout_user()
    flash(_("Your password is changed. Please sign in with the new one."), "success")
    return redirect(url_for("accounts.sign_in"))


@blueprint.route("/setup/<token>", methods=["GET", "POST"])
@shows_secret
@rerenders_form_on_csrf_error
def first_admin(token: str) -> Response | str | tuple[str, int]:
    if not members.needs_first_admin():
        abort(404)
    if tokens.peek_one_time(token, TokenPurpose.first_admin) is None:
        return render_template("accounts/link_invalid.html"), 404
    form = FirstAdminForm()
    if request.method == "GET":
        return render_template("accounts/first_admin.html", form=form)
    if not form.validate_on_submit():
        return render_form("accounts/first_admin.html", form)
    try:
        member = members.create_first_admin(
            token,
            email=form.email.data,
            handle=form.handle.data,
            display_name=form.display_name.data,
            password=form.password.data,
        )
    except Invalid as error:
        show_form_error(form, error)
        return render_form("accounts/first_admin.html", form)
    except ServiceError:
        abort(404)
    _sign_in_browser(sessions.start_session(member.id, sessions.this_client(), remember=False))
    flash(_("You are the community's first admin."), "success")
    return redirect(url_for("main.index"))


# The package's one blueprint; its other route modules are nested under it (accounts.<name>.*).
blueprint.register_blueprint(settings_routes.blueprint)
blueprint.register_blueprint(invite_routes.blueprint)
