"""Posts: POST /posts, GET, PATCH and DELETE /posts/<id>.

Who may see or change what is decided by network.posts (SEC-11): not visible
is 404, visible but not yours is 403.
"""

from __future__ import annotations

from flask import Response, jsonify, url_for

from network import serializers
from network.api import schemas
from network.api.auth import api_member, caller, token_required
from network.api.blueprint import blueprint, idempotency_key, no_content
from network.api.errors import ApiError, from_service
from network.api.validation import json_body, path_id
from network.exceptions import Conflict
from network.posts import access, service


def post_conflict(error: Conflict, post_id: int) -> ApiError:
    """A 409 that carries the post as it is now, for the caller to compare and retry."""
    return from_service(error, current=serializers.post(service.load_post(post_id)))


@blueprint.post("/posts")
@token_required
def create_post() -> tuple[Response, int, dict[str, str]]:
    """Publish a post; a retry with the same Idempotency-Key answers the first post again."""
    data = json_body(schemas.NEW_POST)
    post = service.create_post(
        caller(),
        title=data.get("title"),
        body=data["body"],
        visibility=data["visibility"],
        key=idempotency_key(),
    )
    location = url_for("api.post", post_id=post.id)
    return jsonify(serializers.post(post)), 201, {"Location": location}


@blueprint.get("/posts/<int:post_id>")
def post(post_id: int) -> Response:
    """A post the caller may see; members-only posts need a token."""
    return jsonify(serializers.post(service.post_for_viewer(api_member(), path_id(post_id))))


@blueprint.patch("/posts/<int:post_id>")
@token_required
def change_post(post_id: int) -> Response:
    """Change the fields sent, if `version` is still the saved one (else 409 with the post)."""
    member = caller()
    # Who may act before any word on the body: 404 unseen, 403 not yours (SEC-11).
    saved = service.post_for_viewer(member, path_id(post_id))
    access.require_edit(member, saved)
    data = json_body(schemas.POST_CHANGES)
    # Fields not sent keep their saved values.  edit_post checks the version
    # under the row lock, so a save landing after this read is a 409, never
    # silently merged with what was read here.
    try:
        edited = service.edit_post(
            member,
            post_id,
            version=data["version"],
            title=data.get("title", saved.title),
            body=data.get("body", saved.body),
            visibility=data.get("visibility", saved.visibility.value),
        )
    except Conflict as error:
        raise post_conflict(error, post_id) from None
    return jsonify(serializers.post(edited))


@blueprint.delete("/posts/<int:post_id>")
@token_required
def delete_post(post_id: int) -> Response:
    service.delete_post(caller(), path_id(post_id))
    return no_content()
