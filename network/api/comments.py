"""Comments and the conversation log: lists, events, POST, GET, PATCH and DELETE.

A post's comments are listed by `seq` (creation order, gap-free) and its
changes by `n` (every create, edit, delete, hide and restore, gap-free), so a
client that holds everything up to some number asks for what comes after.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for

from network import serializers
from network.api import spec
from network.api.auth import api_member, caller, token_required
from network.api.blueprint import blueprint, idempotency_key, no_content
from network.api.errors import from_service
from network.api.posts import post_conflict
from network.api.validation import MAX_ID, json_body, path_id, query_int
from network.exceptions import Conflict
from network.models import ContentState, ConversationEvent, EventKind
from network.posts import access, comments, service
from network.posts.comments import MAX_COMMENT

DEFAULT_LIMIT = 50


def _after() -> int:
    return query_int("after", default=0, minimum=0, maximum=MAX_ID)


def _limit() -> int:
    return query_int("limit", default=DEFAULT_LIMIT, minimum=1, maximum=comments.MAX_PAGE)


def event(item: ConversationEvent) -> dict[str, Any]:
    """One change of a conversation: its number, its kind and the comment as it is now."""
    return {"n": item.n, "kind": item.kind.value, "comment": serializers.comment(item.comment)}


@blueprint.get("/posts/<int:post_id>/comments")
def post_comments(post_id: int) -> Response:
    """Comments after `after` (a seq) in seq order; removed ones keep their place, not words."""
    post = service.post_for_viewer(api_member(), path_id(post_id))
    items = comments.comments_after(post, _after(), _limit())
    more = bool(items) and items[-1].seq < post.last_seq
    return jsonify(
        {
            "items": [serializers.comment(item) for item in items],
            "next_after": items[-1].seq if more else None,
        }
    )


@blueprint.get("/posts/<int:post_id>/events")
def post_events(post_id: int) -> Response:
    """The conversation's changes after `after` (an n), in n order."""
    post = service.post_for_viewer(api_member(), path_id(post_id))
    items = comments.events_after(post, _after(), _limit())
    more = bool(items) and items[-1].n < post.last_n
    return jsonify(
        {
            "items": [event(item) for item in items],
            "last_n": post.last_n,
            "next_after": items[-1].n if more else None,
        }
    )


@blueprint.post("/posts/<int:post_id>/comments")
@token_required
def add_comment(post_id: int) -> tuple[Response, int, dict[str, str]]:
    """Comment on a post; a retry with the same Idempotency-Key answers the first comment."""
    # A post the caller cannot see is 404 before any word on the body (SEC-11).
    service.post_for_viewer(caller(), path_id(post_id))
    data = json_body(NEW_COMMENT)
    try:
        comment = comments.add_comment(
            caller(), path_id(post_id), data["body"], key=idempotency_key()
        )
    except Conflict as error:
        # The post is not open for comments: show it as it is.
        raise post_conflict(error, post_id) from None
    location = url_for("api.comment", comment_id=comment.id)
    return jsonify(serializers.comment(comment)), 201, {"Location": location}


@blueprint.get("/comments/<int:comment_id>")
def comment(comment_id: int) -> Response:
    found, _post = comments.comment_for_viewer(api_member(), path_id(comment_id))
    return jsonify(serializers.comment(found))


@blueprint.patch("/comments/<int:comment_id>")
@token_required
def change_comment(comment_id: int) -> Response:
    """Save a new text, if `version` is still the saved one (else 409 with the comment)."""
    found, _post = comments.comment_for_viewer(caller(), path_id(comment_id))
    access.require_edit(caller(), found)  # before any word on the body (SEC-11)
    data = json_body(COMMENT_CHANGES)
    try:
        edited = comments.edit_comment(
            caller(), path_id(comment_id), version=data["version"], body=data["body"]
        )
    except Conflict as error:
        current = serializers.comment(comments.load_comment(comment_id))
        raise from_service(error, current=current) from None
    return jsonify(serializers.comment(edited))


@blueprint.delete("/comments/<int:comment_id>")
@token_required
def delete_comment(comment_id: int) -> Response:
    comments.delete_comment(caller(), path_id(comment_id))
    return no_content()


# The description ---------------------------------------------------------------------------------

NEW_COMMENT: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["body"],
    "properties": {"body": spec.text(MAX_COMMENT, required=True, description="Plain text.")},
}

COMMENT_CHANGES: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "body"],
    "properties": {"version": spec.VERSION, "body": spec.text(MAX_COMMENT, required=True)},
}

COMMENT = spec.answer(
    {
        "id": {"type": "integer"},
        "post_id": {"type": "integer"},
        "seq": {"type": "integer", "description": "Creation number within the post."},
        "n": {"type": "integer", "description": "Event number of its latest change."},
        "version": {"type": "integer"},
        "state": {"type": "string", "enum": spec.values(ContentState)},
        "author": spec.ref("Member"),
        "html": {"type": "string", "description": "Empty when deleted or hidden."},
        "body": {"type": "string", "description": "Empty when deleted or hidden."},
        "created_at": spec.TIME,
        "edited_at": spec.MAYBE_TIME,
    }
)

EVENT = spec.answer(
    {
        "n": {"type": "integer", "minimum": 1},
        "kind": {"type": "string", "enum": spec.values(EventKind)},
        "comment": {
            **spec.ref("Comment"),
            "description": "The comment as it is now (its latest `n` may be later than this "
            "event's); a deleted or hidden one carries no words.",
        },
    }
)

COMMENT_LIST = spec.answer(
    {"items": {"type": "array", "items": spec.ref("Comment")}, "next_after": spec.NEXT_AFTER}
)
EVENT_LIST = spec.answer(
    {
        "items": {"type": "array", "items": spec.ref("Event")},
        "last_n": {**spec.COUNT, "description": "The post's latest event number now."},
        "next_after": spec.NEXT_AFTER,
    }
)

SCHEMAS: dict[str, spec.Schema] = {
    "Comment": COMMENT,
    "Event": EVENT,
    "CommentList": COMMENT_LIST,
    "EventList": EVENT_LIST,
    "CommentConflict": spec.error_schema(spec.ref("Comment")),
    "NewComment": NEW_COMMENT,
    "CommentChanges": COMMENT_CHANGES,
}

LIMIT = spec.query(
    "limit", "Items at most (default 50).", {"type": "integer", "minimum": 1, "maximum": 200}
)
AFTER_SEQ = spec.query(
    "after",
    "Only comments with a larger `seq`.",
    {"type": "integer", "minimum": 0, "maximum": MAX_ID},
)
AFTER_N = spec.query(
    "after", "Only changes with a larger `n`.", {"type": "integer", "minimum": 0, "maximum": MAX_ID}
)

PATHS: dict[str, spec.PathItem] = {
    "/posts/{post_id}/comments": {
        "parameters": [spec.id_parameter("post_id")],
        "get": spec.op(
            "getComments",
            "A post's comments in seq order; deleted and hidden ones keep their place",
            tag="comments",
            ok=spec.ok(200, "The comments.", "CommentList"),
            errors=(400, 404),
            public=True,
            parameters=[AFTER_SEQ, LIMIT],
        ),
        "post": spec.op(
            "addComment",
            "Comment on a post",
            tag="comments",
            ok=spec.ok(
                201,
                "The new comment (or, for a retried key, the first one).",
                "Comment",
                location=True,
            ),
            errors=(403, 404),
            body="NewComment",
            conflict="PostConflict",
            parameters=[spec.KEY],
            description="409 when the post is not open for comments (hidden or held).",
        ),
    },
    "/posts/{post_id}/events": {
        "parameters": [spec.id_parameter("post_id")],
        "get": spec.op(
            "getEvents",
            "A conversation's changes after `after`, in n order",
            tag="comments",
            ok=spec.ok(200, "The changes.", "EventList"),
            errors=(400, 404),
            public=True,
            parameters=[AFTER_N, LIMIT],
        ),
    },
    "/comments/{comment_id}": {
        "parameters": [spec.id_parameter("comment_id")],
        "get": spec.op(
            "getComment",
            "A comment (of a post you may see)",
            tag="comments",
            ok=spec.ok(200, "The comment.", "Comment"),
            errors=(404,),
            public=True,
        ),
        "patch": spec.op(
            "changeComment",
            "Edit your comment",
            tag="comments",
            ok=spec.ok(200, "The comment, as saved.", "Comment"),
            errors=(403, 404),
            body="CommentChanges",
            conflict="CommentConflict",
        ),
        "delete": spec.op(
            "deleteComment",
            "Delete your comment (moderators: any comment); its place stays, its words go",
            tag="comments",
            ok=spec.ok(204, "Deleted."),
            errors=(403, 404),
        ),
    },
}
