"""GET and PATCH /me: the token owner's own profile and settings.

PATCH changes only the fields it names.  Profile fields go through the
profile write path in one call; each member setting has its own service.
A later flag (say, mail preferences) is one more entry in MEMBER_SETTINGS
and one more property in me_changes.  Settings are applied after
the profile fields: the opt-in to case studies is stored on the profile row,
and saving it first would make the caller's profile version stale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Response, current_app, jsonify
from flask_babel import lazy_gettext as _l

from network import serializers
from network.accounts import mail_settings, members, time_zones
from network.accounts.validation import MAX_DISPLAY_NAME
from network.api import spec
from network.api.auth import caller, token_required
from network.api.blueprint import blueprint
from network.api.errors import ApiError
from network.api.users import PROFILE_PROPERTIES
from network.api.validation import json_body
from network.exceptions import Conflict
from network.extensions import db
from network.mail import preferences
from network.models import Member, Role
from network.profiles import service as profiles
from network.profiles.fields import MAX_BIO, MAX_COMPANY, MAX_TITLE

PROFILE_FIELDS = ("display_name", "title", "company", "bio")
MEMBER_SETTINGS: dict[str, Callable[[Member, Any], Any]] = {
    "language": members.set_language,
    "time_zone": time_zones.set_time_zone,
    # customers only: the service refuses true from anyone else (422)
    "open_to_case_studies": profiles.set_open_to_case_studies,
}
CHANGED_MEANWHILE = _l("Someone saved this profile since the version you sent.")


def own_view(member: Member) -> dict[str, Any]:
    """The owner's profile with counts, serialized (one query for the counts)."""
    view = profiles.with_counts(profiles.find_visible(member.handle, member), member)
    answer = serializers.own_profile(
        view.member, view.profile, followers=view.followers, following=view.following
    )
    answer["time_zone"] = time_zones.of(view.member)
    if view.member.role == Role.customer:
        answer["open_to_case_studies"] = bool(view.profile.open_to_case_studies)
    return answer


@blueprint.get("/me")
@token_required
def me() -> Response:
    return jsonify(own_view(caller()))


@blueprint.patch("/me")
@token_required
def change_me() -> Response:
    member = caller()
    changes = json_body(me_changes(current_app.config["LANGUAGES"]))
    version = changes.pop("version", None)
    named = {name: changes[name] for name in PROFILE_FIELDS if name in changes}
    if named:
        _save_profile(member, named, version)
    elif version is not None and profiles.own_profile(member).version != version:
        raise _conflict(member)
    for name, apply in MEMBER_SETTINGS.items():
        if name in changes:
            apply(member, changes[name])
    db.session.expire_all()  # the answer shows what is stored now
    return jsonify(own_view(member))


@blueprint.get("/me/mail-preferences")
@token_required
def mail_preferences() -> Response:
    return jsonify(mail_settings.choices(caller()))


@blueprint.patch("/me/mail-preferences")
@token_required
def change_mail_preferences() -> Response:
    member = caller()
    modes = json_body(MAIL_PREFERENCE_CHANGES)
    saved = mail_settings.save(member, modes)
    return jsonify(saved)


def _save_profile(member: Member, named: dict[str, Any], version: int | None) -> None:
    """Merge the named fields into the saved profile and save it through the one write path.

    Without a version from the caller, the merge is based on what is saved
    now; when a save lands between that read and ours, read again once.
    """
    attempts = 1 if version is not None else 2
    for attempt in range(attempts):
        saved = profiles.own_profile(member)
        fields = {
            "display_name": member.display_name,
            "title": saved.title,
            "company": saved.company,
            "bio": saved.bio,
            **named,
        }
        changes = profiles.ProfileChanges(
            display_name=fields["display_name"],
            title=fields["title"],
            company=fields["company"],
            bio=fields["bio"],
            links=list(saved.links or []),
            phone=saved.phone,
            visibility=saved.visibility.value,
            card_fields=list(saved.card_fields or []),
        )
        try:
            profiles.update_profile(member, changes, saved.version if version is None else version)
            return
        except Conflict:
            if attempt == attempts - 1:
                raise _conflict(member) from None
            db.session.expire_all()


def _conflict(member: Member) -> ApiError:
    db.session.expire_all()
    return ApiError(409, CHANGED_MEANWHILE, current=own_view(member))


# The description ---------------------------------------------------------------------------------


def me_changes(languages: Sequence[str]) -> spec.Schema:
    """PATCH /me: each field is optional, and only the fields sent change."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "display_name": spec.text(MAX_DISPLAY_NAME, required=True),
            "title": spec.text(MAX_TITLE, nullable=True),
            "company": spec.text(MAX_COMPANY, nullable=True),
            "bio": spec.text(MAX_BIO, nullable=True, description="Markdown."),
            "language": {"type": "string", "enum": list(languages)},
            "time_zone": {
                "type": "string",
                "maxLength": 64,
                "description": "An IANA time zone name such as Europe/Berlin; another name "
                "is 422. Your mail digests arrive in its morning.",
            },
            "open_to_case_studies": {
                "type": "boolean",
                "description": "Customers only: whether staff may write a case study about you. "
                "true from anyone else is 422.",
            },
            "version": {
                **spec.VERSION,
                "description": "Optional: the profile version you last read. When given, a "
                "stale one is answered 409; without it, the fields you send are saved "
                "over whatever is there.",
            },
        },
    }


ME = spec.answer(
    {
        **PROFILE_PROPERTIES,
        "email": {"type": "string"},
        "language": {"type": ["string", "null"]},
        "time_zone": {
            "type": "string",
            "description": "Your IANA time zone (the community's default until you choose).",
        },
        "version": {"type": "integer", "description": "The profile version (0: never saved)."},
    },
    optional={
        "open_to_case_studies": {
            "type": "boolean",
            "description": "Customers only: whether you are open to case studies.",
        }
    },
)


def _mode_schema(kind: str) -> spec.Schema:
    rules = preferences.KINDS[kind]
    return {
        "type": "string",
        "enum": list(rules.modes),
        "description": f"Default: {rules.default}.",
    }


_MODES_DESCRIPTION = (
    "now: mailed at once; digest: in your digest; never: not mailed (still on the "
    "notifications page). `digest` itself is how often the digest comes: daily, weekly or "
    "never. Mail about your account and invitations is always sent."
)
MAIL_PREFERENCES = spec.answer(
    {kind: _mode_schema(kind) for kind in mail_settings.OPTIONAL},
    description=_MODES_DESCRIPTION,
)
MAIL_PREFERENCE_CHANGES: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "description": "Only the kinds sent change. " + _MODES_DESCRIPTION,
    "properties": {kind: _mode_schema(kind) for kind in mail_settings.OPTIONAL},
}

# MeChanges names the community's languages, so openapi.document adds it from me_changes.
SCHEMAS: dict[str, spec.Schema] = {
    "Me": ME,
    "MeConflict": spec.error_schema(spec.ref("Me")),
    "MailPreferences": MAIL_PREFERENCES,
    "MailPreferenceChanges": MAIL_PREFERENCE_CHANGES,
}

PATHS: dict[str, spec.PathItem] = {
    "/me": {
        "get": spec.op(
            "getMe", "Your own profile and settings", tag="me", ok=spec.ok(200, "You.", "Me")
        ),
        "patch": spec.op(
            "changeMe",
            "Change your profile or settings; only the fields sent change",
            tag="me",
            ok=spec.ok(200, "You, as saved.", "Me"),
            body="MeChanges",
            conflict="MeConflict",
        ),
    },
    "/me/mail-preferences": {
        "get": spec.op(
            "getMailPreferences",
            "Which mail you get, kind by kind",
            tag="me",
            ok=spec.ok(200, "Your mode for each kind of mail.", "MailPreferences"),
        ),
        "patch": spec.op(
            "changeMailPreferences",
            "Change how each kind of mail reaches you; only the kinds sent change",
            tag="me",
            ok=spec.ok(200, "Every mode, as saved.", "MailPreferences"),
            body="MailPreferenceChanges",
        ),
    },
}
