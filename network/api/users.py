"""Members' profiles and following: GET /users/<handle>, POST and DELETE /users/<handle>/follow."""

from __future__ import annotations

from flask import Response, jsonify

from network import idempotency, serializers
from network.accounts.validation import HANDLE_PATTERN
from network.api import spec
from network.api.auth import api_member, caller, token_required
from network.api.blueprint import blueprint, idempotency_key, no_content
from network.api.errors import ApiError
from network.models import ProfileVisibility, Role
from network.profiles import follows
from network.profiles import service as profiles


def _known_form(handle: str) -> str:
    """The handle as stored; anything that cannot be one is 404 before the database is asked."""
    handle = handle.lower()
    if not HANDLE_PATTERN.match(handle):
        raise ApiError(404, profiles.NO_SUCH_PROFILE)
    return handle


@blueprint.get("/users/<handle>")
def user(handle: str) -> Response:
    """Public profiles for anyone; members-only ones for token holders (404 to the rest)."""
    viewer = api_member()
    view = profiles.with_counts(profiles.find_visible(_known_form(handle), viewer), viewer)
    body = serializers.profile(
        view.member, view.profile, followers=view.followers, following=view.following
    )
    body["you_follow"] = view.viewer_follows
    return jsonify(body)


@blueprint.post("/users/<handle>/follow")
@token_required
def follow(handle: str) -> Response:
    # Following is idempotent by nature: a well-formed key is accepted and needs no record.
    idempotency.check_key(idempotency_key())
    follows.follow(caller(), _known_form(handle))
    return no_content()


@blueprint.delete("/users/<handle>/follow")
@token_required
def unfollow(handle: str) -> Response:
    follows.unfollow(caller(), _known_form(handle))
    return no_content()


# The description ---------------------------------------------------------------------------------

# What a profile shows; me.py adds the owner's own fields to it.
PROFILE_PROPERTIES: spec.Schema = {
    "handle": {"type": "string"},
    "display_name": {"type": "string"},
    "role": {"type": "string", "enum": spec.values(Role)},
    "avatar_url": {"type": "string"},
    "is_staff": {"type": "boolean"},
    "title": {"type": ["string", "null"]},
    "company": {"type": ["string", "null"]},
    "bio": {"type": "string"},
    "bio_html": {"type": "string"},
    "links": {"type": "array", "items": {"type": "string"}},
    "visibility": {"type": "string", "enum": spec.values(ProfileVisibility)},
    "joined_at": spec.TIME,
    "followers": spec.COUNT,
    "following": spec.COUNT,
}

PROFILE = spec.answer({**PROFILE_PROPERTIES, "you_follow": {"type": "boolean"}})

SCHEMAS: dict[str, spec.Schema] = {"Profile": PROFILE}

HANDLE = {
    "name": "handle",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": spec.HANDLE},
}

PATHS: dict[str, spec.PathItem] = {
    "/users/{handle}": {
        "parameters": [HANDLE],
        "get": spec.op(
            "getUser",
            "A member's profile (members-only profiles need a token)",
            tag="users",
            ok=spec.ok(200, "The profile.", "Profile"),
            errors=(404,),
            public=True,
        ),
    },
    "/users/{handle}/follow": {
        "parameters": [HANDLE],
        "post": spec.op(
            "follow",
            "Follow a member (following twice is harmless)",
            tag="users",
            ok=spec.ok(204, "You follow them."),
            errors=(403, 404, 422),
            parameters=[spec.KEY],
            description="Naturally idempotent: a well-formed Idempotency-Key is accepted and "
            "changes nothing. Following yourself is 422.",
        ),
        "delete": spec.op(
            "unfollow",
            "Stop following a member (harmless when you do not follow them)",
            tag="users",
            ok=spec.ok(204, "You do not follow them."),
            errors=(403, 404),
        ),
    },
}
