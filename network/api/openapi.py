"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

Every operation lists every status it can answer; schemathesis checks the
running server against this document (tests/integration/test_api_schemathesis.py),
and test_api_openapi.py checks that it names exactly the routes the app has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response, current_app, jsonify

from network.api import schemas
from network.api.blueprint import blueprint
from network.api.schemas import ref
from network.api.validation import MAX_ID
from network.web.errors import STATUSES

Operation = dict[str, Any]
JSON = "application/json"

# Status -> (components/responses name, description), from the one status table.
ERROR_RESPONSES = {
    status: (info.api_name, info.api_description)
    for status, info in STATUSES.items()
    if info.api_name is not None and info.api_description is not None
}
# Bodies can be malformed, too large or invalid; any request can carry a bad token, be one
# too many, or have a URL longer than the HTTP server reads (answered before the app sees it).
BODY_ERRORS = (400, 413, 422)
ALWAYS = (401, 414, 429)


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {JSON: {"schema": schema}}


def _error_response(name: str, description: str) -> dict[str, Any]:
    if name == "UriTooLong":
        return {"description": description}  # the HTTP server's own page, not ours
    response: dict[str, Any] = {"description": description, "content": _json(ref("Error"))}
    if name == "Unauthorized":
        response["headers"] = {
            "WWW-Authenticate": {
                "required": True,
                "description": 'Bearer realm="api", with error="invalid_token" for a bad one.',
                "schema": {"type": "string", "pattern": "^Bearer "},
            }
        }
    if name == "RateLimited":
        response["headers"] = {
            "Retry-After": {
                "required": True,
                "description": "Seconds to wait.",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
            }
        }
    return response


def _op(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    ok: dict[str, Any],
    errors: Iterable[int] = (),
    public: bool = False,
    body: str | None = None,
    conflict: str | None = None,
    parameters: Sequence[dict[str, Any]] = (),
    description: str | None = None,
) -> Operation:
    codes = {*errors, *ALWAYS, *(BODY_ERRORS if body else ())}
    responses: dict[str, Any] = dict(ok)
    for status in sorted(codes):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    if conflict is not None:
        responses["409"] = {
            "description": "Stale version or wrong state; `error.current` is the state now.",
            "content": _json(ref(conflict)),
        }
    operation: Operation = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "responses": dict(sorted(responses.items())),
    }
    if description:
        operation["description"] = description
    if public:
        # Anonymous callers are welcome; a token, when sent, must be valid.
        operation["security"] = [{}, {"bearer": []}]
    if parameters:
        operation["parameters"] = list(parameters)
    if body is not None:
        operation["requestBody"] = {"required": True, "content": _json(ref(body))}
    return operation


def _ok(
    status: int, description: str, schema: str | None = None, *, location: bool = False
) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if schema is not None:
        response["content"] = _json(ref(schema))
    if location:
        response["headers"] = {
            "Location": {"required": True, "description": "Its URL.", "schema": {"type": "string"}}
        }
    return {str(status): response}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


CURSOR = _query(
    "cursor", "From `next_cursor`; omit for the first page.", {"type": "string", "maxLength": 200}
)
FEED_LIMIT = _query(
    "limit", "Posts per page (default 20).", {"type": "integer", "minimum": 1, "maximum": 200}
)
LIMIT = _query(
    "limit", "Items at most (default 50).", {"type": "integer", "minimum": 1, "maximum": 200}
)
AFTER_SEQ = _query(
    "after",
    "Only comments with a larger `seq`.",
    {"type": "integer", "minimum": 0, "maximum": MAX_ID},
)
AFTER_N = _query(
    "after", "Only changes with a larger `n`.", {"type": "integer", "minimum": 0, "maximum": MAX_ID}
)
KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Retrying with the same key answers the first result again; the same key "
    "with another payload is 422.",
    "schema": {"type": "string", "pattern": schemas.IDEMPOTENCY_KEY},
}


def _path_id(name: str) -> dict[str, Any]:
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return {"name": name, "in": "path", "required": True, "schema": schema}


HANDLE = {
    "name": "handle",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": schemas.HANDLE},
}

PATHS: dict[str, Any] = {
    "/me": {
        "get": _op("getMe", "Your own profile and settings", tag="me", ok=_ok(200, "You.", "Me")),
        "patch": _op(
            "changeMe",
            "Change your profile or settings; only the fields sent change",
            tag="me",
            ok=_ok(200, "You, as saved.", "Me"),
            body="MeChanges",
            conflict="MeConflict",
        ),
    },
    "/users/{handle}": {
        "parameters": [HANDLE],
        "get": _op(
            "getUser",
            "A member's profile (members-only profiles need a token)",
            tag="users",
            ok=_ok(200, "The profile.", "Profile"),
            errors=(404,),
            public=True,
        ),
    },
    "/users/{handle}/follow": {
        "parameters": [HANDLE],
        "post": _op(
            "follow",
            "Follow a member (following twice is harmless)",
            tag="users",
            ok=_ok(204, "You follow them."),
            errors=(403, 404, 422),
            parameters=[KEY],
            description="Naturally idempotent: a well-formed Idempotency-Key is accepted and "
            "changes nothing. Following yourself is 422.",
        ),
        "delete": _op(
            "unfollow",
            "Stop following a member (harmless when you do not follow them)",
            tag="users",
            ok=_ok(204, "You do not follow them."),
            errors=(403, 404),
        ),
    },
    "/feed": {
        "get": _op(
            "getFeed",
            "Your home feed: your posts and those of people you follow, newest first",
            tag="posts",
            ok=_ok(200, "A page.", "FeedPage"),
            errors=(400,),
            parameters=[CURSOR, FEED_LIMIT],
        ),
    },
    "/public": {
        "get": _op(
            "getPublic",
            "Public posts, newest first",
            tag="posts",
            ok=_ok(200, "A page.", "PostPage"),
            errors=(400,),
            public=True,
            parameters=[CURSOR, FEED_LIMIT],
        ),
    },
    "/posts": {
        "post": _op(
            "createPost",
            "Publish a post",
            tag="posts",
            ok=_ok(
                201, "The new post (or, for a retried key, the first one).", "Post", location=True
            ),
            errors=(403,),
            body="NewPost",
            parameters=[KEY],
        ),
    },
    "/posts/{post_id}": {
        "parameters": [_path_id("post_id")],
        "get": _op(
            "getPost",
            "A post (members-only posts need a token)",
            tag="posts",
            ok=_ok(200, "The post.", "Post"),
            errors=(404,),
            public=True,
        ),
        "patch": _op(
            "changePost",
            "Edit your post; only the fields sent change",
            tag="posts",
            ok=_ok(200, "The post, as saved.", "Post"),
            errors=(403, 404),
            body="PostChanges",
            conflict="PostConflict",
        ),
        "delete": _op(
            "deletePost",
            "Delete your post (moderators: any post); its words are gone for good",
            tag="posts",
            ok=_ok(204, "Deleted."),
            errors=(403, 404),
        ),
    },
    "/posts/{post_id}/comments": {
        "parameters": [_path_id("post_id")],
        "get": _op(
            "getComments",
            "A post's comments in seq order; deleted and hidden ones keep their place",
            tag="comments",
            ok=_ok(200, "The comments.", "CommentList"),
            errors=(400, 404),
            public=True,
            parameters=[AFTER_SEQ, LIMIT],
        ),
        "post": _op(
            "addComment",
            "Comment on a post",
            tag="comments",
            ok=_ok(
                201,
                "The new comment (or, for a retried key, the first one).",
                "Comment",
                location=True,
            ),
            errors=(403, 404),
            body="NewComment",
            conflict="PostConflict",
            parameters=[KEY],
            description="409 when the post is not open for comments (hidden or held).",
        ),
    },
    "/posts/{post_id}/events": {
        "parameters": [_path_id("post_id")],
        "get": _op(
            "getEvents",
            "A conversation's changes after `after`, in n order",
            tag="comments",
            ok=_ok(200, "The changes.", "EventList"),
            errors=(400, 404),
            public=True,
            parameters=[AFTER_N, LIMIT],
        ),
    },
    "/comments/{comment_id}": {
        "parameters": [_path_id("comment_id")],
        "get": _op(
            "getComment",
            "A comment (of a post you may see)",
            tag="comments",
            ok=_ok(200, "The comment.", "Comment"),
            errors=(404,),
            public=True,
        ),
        "patch": _op(
            "changeComment",
            "Edit your comment",
            tag="comments",
            ok=_ok(200, "The comment, as saved.", "Comment"),
            errors=(403, 404),
            body="CommentChanges",
            conflict="CommentConflict",
        ),
        "delete": _op(
            "deleteComment",
            "Delete your comment (moderators: any comment); its place stays, its words go",
            tag="comments",
            ok=_ok(204, "Deleted."),
            errors=(403, 404),
        ),
    },
    "/openapi.json": {
        "get": _op(
            "getOpenApi",
            "This document",
            tag="meta",
            ok={"200": {"description": "OpenAPI 3.1.", "content": _json({"type": "object"})}},
            public=True,
        ),
    },
}

CASE_STUDY_ID = _path_id("case_study_id")
CASE_STUDY_LIMIT = _query(
    "limit",
    "Case studies per page (default 20).",
    {"type": "integer", "minimum": 1, "maximum": 200},
)
ANSWERED = _ok(200, "The case study, as you may see it now.", "CaseStudy")


def _case_study_op(operation_id: str, summary: str, **options: Any) -> Operation:
    """An operation on one case study: 404 when you may not see it."""
    errors = {404, *options.pop("errors", ())}
    return _op(operation_id, summary, tag="case-studies", errors=errors, **options)


def _optional_body(operation: Operation) -> Operation:
    operation["requestBody"]["required"] = False
    return operation


CASE_STUDY_PATHS: dict[str, Any] = {
    "/case-studies": {
        "get": _op(
            "getCaseStudies",
            "Published case studies you may read, newest first",
            tag="case-studies",
            ok=_ok(200, "A page.", "CaseStudyPage"),
            errors=(400,),
            public=True,
            parameters=[CURSOR, CASE_STUDY_LIMIT],
        ),
        "post": _op(
            "createCaseStudy",
            "Write a case study about a customer open to case studies (staff)",
            tag="case-studies",
            ok=_ok(
                201,
                "The new draft (or, for a retried key, the first one).",
                "CaseStudy",
                location=True,
            ),
            errors=(403,),
            body="NewCaseStudy",
            parameters=[KEY],
            description="422 (field `customer`) when the customer has not opted in.",
        ),
    },
    "/case-studies/{case_study_id}": {
        "parameters": [CASE_STUDY_ID],
        "get": _case_study_op(
            "getCaseStudy",
            "A case study, rendered within the scopes its customer granted",
            ok=_ok(200, "The case study.", "CaseStudy"),
            public=True,
        ),
        "patch": _case_study_op(
            "reviseCaseStudy",
            "Save a new revision; what is published stays until the customer approves (staff)",
            ok=ANSWERED,
            errors=(403,),
            body="CaseStudyChanges",
            conflict="CaseStudyConflict",
        ),
    },
    "/case-studies/{case_study_id}/request-consent": {
        "parameters": [CASE_STUDY_ID],
        "post": _optional_body(
            _case_study_op(
                "requestConsent",
                "Send the current revision to the customer (staff)",
                ok=ANSWERED,
                errors=(403,),
                body="ConsentRequest",
                conflict="CaseStudyConflict",
            )
        ),
    },
    "/case-studies/{case_study_id}/consent": {
        "parameters": [CASE_STUDY_ID],
        "post": _case_study_op(
            "grantConsent",
            "Consent to the current revision within scopes (the customer it is about)",
            ok=ANSWERED,
            errors=(),
            body="Consent",
            conflict="CaseStudyConflict",
            description="409 for a revision that is not the current one; 422 when the text "
            "still names you or your company and you chose to hide them.",
        ),
    },
    "/case-studies/{case_study_id}/request-changes": {
        "parameters": [CASE_STUDY_ID],
        "post": _case_study_op(
            "requestChanges",
            "Ask for changes to the revision awaiting you (the customer it is about)",
            ok=ANSWERED,
            errors=(),
            body="ChangeRequest",
            conflict="CaseStudyConflict",
        ),
    },
    "/case-studies/{case_study_id}/publish": {
        "parameters": [CASE_STUDY_ID],
        "post": _case_study_op(
            "publishCaseStudy",
            "Publish the current revision (staff; 409 without the customer's consent to it)",
            ok=ANSWERED,
            errors=(403,),
            conflict="CaseStudyConflict",
        ),
    },
    "/case-studies/{case_study_id}/withdraw": {
        "parameters": [CASE_STUDY_ID],
        "post": _case_study_op(
            "withdrawCaseStudy",
            "Withdraw your consent: it leaves every surface at once (the customer it is about)",
            ok=ANSWERED,
            errors=(),
        ),
    },
    "/case-studies/{case_study_id}/consent-log": {
        "parameters": [CASE_STUDY_ID],
        "get": _case_study_op(
            "getConsentLog",
            "The consent log (the customer, admins and the staff on it)",
            ok=_ok(200, "Every entry, oldest first.", "ConsentLog"),
        ),
    },
}

DESCRIPTION = """\
The community's JSON API. Authenticate with a personal token made on the
Settings > API tokens page: `Authorization: Bearer nw_...`. The session
cookie is ignored. Reads of public content need no token. Errors are
`{"error": {"code", "message"}}`; see docs/api.md."""

TAGS = ("me", "users", "posts", "comments", "case-studies", "meta")


def document(languages: Sequence[str]) -> dict[str, Any]:
    """The whole document, for a community speaking these languages."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Brand community API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [{"name": name} for name in TAGS],
        "paths": {**PATHS, **CASE_STUDY_PATHS},
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (nw_...).",
                }
            },
            "responses": {
                name: _error_response(name, description)
                for name, description in ERROR_RESPONSES.values()
            },
            "schemas": schemas.components(languages),
        },
    }


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document(current_app.config["LANGUAGES"]))
