"""HTTP routes for editing your own profile and avatar: they only touch the signed-in member."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from network.exceptions import Conflict, Invalid
from network.models import Profile, Role
from network.permissions import Permission, requires, signed_in
from network.profiles import avatars, fields, service
from network.profiles.forms import AvatarForm, ProfileForm
from network.uploads.service import max_bytes
from network.web.answers import show_form_error
from network.web.errors import error_response, rerenders_form_on_csrf_error
from network.web.forms import ConfirmForm

blueprint = Blueprint("settings", __name__, url_prefix="/settings/profile")  # profiles.settings


def _form_data(profile: Profile) -> dict[str, Any]:
    return {
        "display_name": current_user.display_name,
        "title": profile.title or "",
        "company": profile.company or "",
        "bio": profile.bio or "",
        "links": "\n".join(profile.links or []),
        "phone": profile.phone or "",
        "visibility": profile.visibility.value,
        "card_fields": list(profile.card_fields or []),
        "open_to_case_studies": bool(profile.open_to_case_studies),
        "version": str(profile.version),
    }


def _filled_form(profile: Profile) -> ProfileForm:
    return ProfileForm(formdata=None, data=_form_data(profile))


def _page(
    status: int = 200,
    *,
    form: ProfileForm | None = None,
    avatar_form: AvatarForm | None = None,
    unsaved: ProfileForm | None = None,
) -> tuple[str, int]:
    """The edit page; forms not given are filled from what is saved."""
    html = render_template(
        "profiles/edit.html",
        form=form or _filled_form(service.own_profile(current_user)),
        avatar_form=avatar_form or AvatarForm(formdata=None),
        unsaved=unsaved,
        confirm_form=ConfirmForm(formdata=None),
        avatar_url=avatars.avatar_url(current_user, 128),
        has_avatar=bool(current_user.avatar),
        max_upload_bytes=max_bytes(),
        limits=fields,
    )
    return html, status


@blueprint.get("")
@signed_in
def edit() -> tuple[str, int]:
    return _page()


def _submitted_version(form: ProfileForm) -> int:
    try:
        return int(form.version.data or "0")
    except ValueError:
        return -1  # not a version we issued: it can only be stale


@blueprint.post("")
@signed_in
@rerenders_form_on_csrf_error
def save() -> Response | tuple[str, int]:
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page(422, form=form)
    changes = service.ProfileChanges(
        display_name=form.display_name.data,
        title=form.title.data,
        company=form.company.data,
        bio=form.bio.data,
        links=form.links.data,
        phone=form.phone.data,
        visibility=form.visibility.data,
        card_fields=form.card_fields.data or [],
        # Only customers see the box; for anyone else it stays as it is.
        open_to_case_studies=(
            bool(form.open_to_case_studies.data) if current_user.role == Role.customer else None
        ),
    )
    try:
        service.update_profile(current_user, changes, _submitted_version(form))
    except Invalid as error:
        show_form_error(form, error)
        return _page(422, form=form)
    except Conflict:
        # Show what is saved now, and keep what they typed where they can copy it.
        current = _filled_form(service.own_profile(current_user))
        current.form_errors.append(str(service.CHANGED_MEANWHILE))
        return _page(409, form=current, unsaved=form)
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("profiles.profile", handle=current_user.handle))


@blueprint.post("/avatar")
@requires(Permission.write)
@rerenders_form_on_csrf_error
def upload_avatar() -> Response | tuple[str, int]:
    form = AvatarForm()
    if not form.validate_on_submit():
        return _page(422, avatar_form=form)
    try:
        avatars.set_avatar(current_user, request.files.get("avatar"))
    except Invalid as error:
        show_form_error(form, error)
        return _page(error.status, avatar_form=form)
    flash(_("Your new picture is saved."), "success")
    return redirect(url_for("profiles.settings.edit"))


@blueprint.post("/avatar/remove")
@signed_in
def remove_avatar() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    avatars.remove_avatar(current_user)
    flash(_("Your picture is removed; the default one shows instead."), "success")
    return redirect(url_for("profiles.settings.edit"))


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> Response | tuple[str, int]:
    """A picture over the body cap: the edit page again with the reason, not a bare error page."""
    if request.endpoint != "profiles.settings.upload_avatar" or not current_user.is_authenticated:
        return error_response(413)
    form = AvatarForm(formdata=None)
    form.avatar.errors = [
        _("This file is too large: upload at most %(max)d MB.", max=max_bytes() // (1024 * 1024))
    ]
    return _page(413, avatar_form=form)
