"""Posts: POST /posts, GET, PATCH and DELETE /posts/<id>.

Who may see or change what is decided by network.posts (SEC-11): not visible
is 404, visible but not yours is 403.
"""

from __future__ import annotations

from flask import Response, jsonify, url_for

from network import serializers
from network.api import spec
from network.api.auth import api_member, caller, token_required
from network.api.blueprint import blueprint, idempotency_key, no_content
from network.api.errors import ApiError, from_service
from network.api.validation import json_body, path_id
from network.exceptions import Conflict
from network.models import ContentState, Visibility
from network.posts import access, service
from network.posts.service import MAX_BODY, MAX_TITLE


def post_conflict(error: Conflict, post_id: int) -> ApiError:
    """A 409 that carries the post as it is now, for the caller to compare and retry."""
    return from_service(error, current=serializers.post(service.load_post(post_id)))


@blueprint.post("/posts")
@token_required
def create_post() -> tuple[Response, int, dict[str, str]]:
    """Publish a post; a retry with the same Idempotency-Key answers the first post again."""
    data = json_body(NEW_POST)
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
    data = json_body(POST_CHANGES)
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


# The description ---------------------------------------------------------------------------------

NEW_POST: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["body", "visibility"],
    "properties": {
        "title": spec.text(MAX_TITLE, nullable=True, description="Optional; spaces are collapsed."),
        "body": spec.text(MAX_BODY, required=True, description="Markdown."),
        "visibility": {"type": "string", "enum": spec.values(Visibility)},
    },
}

POST_CHANGES: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version"],
    "properties": {
        "version": spec.VERSION,
        "title": spec.text(MAX_TITLE, nullable=True, description="null removes the title."),
        "body": spec.text(MAX_BODY, required=True, description="Markdown."),
        "visibility": {"type": "string", "enum": spec.values(Visibility)},
    },
    "description": "Only the fields you send change; `version` is required.",
}

POST = spec.answer(
    {
        "id": {"type": "integer"},
        "author": spec.ref("Member"),
        "title": {"type": ["string", "null"]},
        "body": {"type": "string", "description": "Markdown as typed."},
        "html": {"type": "string", "description": "Rendered and sanitized."},
        "visibility": {"type": "string", "enum": spec.values(Visibility)},
        "state": {"type": "string", "enum": spec.values(ContentState)},
        "version": {"type": "integer"},
        "is_announcement": {"type": "boolean"},
        "pinned_until": spec.MAYBE_TIME,
        "comment_count": spec.COUNT,
        "last_n": {**spec.COUNT, "description": "The last conversation event number."},
        "created_at": spec.TIME,
        "edited_at": spec.MAYBE_TIME,
    }
)

SCHEMAS: dict[str, spec.Schema] = {
    "Post": POST,
    "PostConflict": spec.error_schema(spec.ref("Post")),
    "NewPost": NEW_POST,
    "PostChanges": POST_CHANGES,
}

PATHS: dict[str, spec.PathItem] = {
    "/posts": {
        "post": spec.op(
            "createPost",
            "Publish a post",
            tag="posts",
            ok=spec.ok(
                201, "The new post (or, for a retried key, the first one).", "Post", location=True
            ),
            errors=(403,),
            body="NewPost",
            parameters=[spec.KEY],
        ),
    },
    "/posts/{post_id}": {
        "parameters": [spec.id_parameter("post_id")],
        "get": spec.op(
            "getPost",
            "A post (members-only posts need a token)",
            tag="posts",
            ok=spec.ok(200, "The post.", "Post"),
            errors=(404,),
            public=True,
        ),
        "patch": spec.op(
            "changePost",
            "Edit your post; only the fields sent change",
            tag="posts",
            ok=spec.ok(200, "The post, as saved.", "Post"),
            errors=(403, 404),
            body="PostChanges",
            conflict="PostConflict",
        ),
        "delete": spec.op(
            "deletePost",
            "Delete your post (moderators: any post); its words are gone for good",
            tag="posts",
            ok=spec.ok(204, "Deleted."),
            errors=(403, 404),
        ),
    },
}
