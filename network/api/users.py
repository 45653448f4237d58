"""Members' profiles and following: GET /users/<handle>, POST and DELETE /users/<handle>/follow."""

from __future__ import annotations

from flask import Response, jsonify

from network import idempotency, serializers
from network.accounts.validation import HANDLE_PATTERN
from network.api.auth import api_member, caller, token_required
from network.api.blueprint import blueprint, idempotency_key, no_content
from network.api.errors import ApiError
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
