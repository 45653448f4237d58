"""The JSON Schemas of the API: request bodies (enforced by validation.py) and answers.

Request bodies say additionalProperties: false, so an unknown or forbidden
field (role, author_id, status, published, ...) is a 422 (SEC-12). The limits
are the services' own (posts, comments, profile fields), so the document
tells callers exactly where the server draws its lines (SEC-22).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from network.accounts.validation import MAX_DISPLAY_NAME
from network.api.validation import MAX_ID
from network.idempotency import KEY_PATTERN
from network.models import ContentState, EventKind, ProfileVisibility, Role, Visibility
from network.posts.comments import MAX_COMMENT
from network.posts.service import MAX_BODY, MAX_TITLE
from network.profiles import fields

Schema = dict[str, Any]

# Text may not hold NUL (no database stores it as text).  Required text must
# also hold something besides white space, as the services insist.
PLAIN_TEXT = r"^[^\x00]*$"
SOME_TEXT = r"^\s*[^\s\x00][^\x00]*$"
HANDLE = r"^[a-z0-9_]{3,30}$"
IDEMPOTENCY_KEY = KEY_PATTERN.pattern


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _text(limit: int, *, required: bool = False, nullable: bool = False, **extra: Any) -> Schema:
    schema: Schema = {
        "type": ["string", "null"] if nullable else "string",
        "maxLength": limit,
        "pattern": SOME_TEXT if required else PLAIN_TEXT,
        **extra,
    }
    if required:
        schema["minLength"] = 1
    return schema


def _values(kind: Any) -> list[str]:
    return [item.value for item in kind]


VERSION = {
    "type": "integer",
    "minimum": 0,
    "maximum": MAX_ID,
    "description": "The version you last read; a stale one is answered 409 with the current state.",
}

# Request bodies ------------------------------------------------------------------------------

NEW_POST: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["body", "visibility"],
    "properties": {
        "title": _text(MAX_TITLE, nullable=True, description="Optional; spaces are collapsed."),
        "body": _text(MAX_BODY, required=True, description="Markdown."),
        "visibility": {"type": "string", "enum": _values(Visibility)},
    },
}

POST_CHANGES: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version"],
    "properties": {
        "version": VERSION,
        "title": _text(MAX_TITLE, nullable=True, description="null removes the title."),
        "body": _text(MAX_BODY, required=True, description="Markdown."),
        "visibility": {"type": "string", "enum": _values(Visibility)},
    },
    "description": "Only the fields you send change; `version` is required.",
}

NEW_COMMENT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["body"],
    "properties": {"body": _text(MAX_COMMENT, required=True, description="Plain text.")},
}

COMMENT_CHANGES: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "body"],
    "properties": {"version": VERSION, "body": _text(MAX_COMMENT, required=True)},
}


def me_changes(languages: Sequence[str]) -> Schema:
    """PATCH /me: each field is optional, and only the fields sent change."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "display_name": _text(MAX_DISPLAY_NAME, required=True),
            "title": _text(fields.MAX_TITLE, nullable=True),
            "company": _text(fields.MAX_COMPANY, nullable=True),
            "bio": _text(fields.MAX_BIO, nullable=True, description="Markdown."),
            "language": {"type": "string", "enum": list(languages)},
            "version": {
                **VERSION,
                "description": "Optional: the profile version you last read. When given, a "
                "stale one is answered 409; without it, the fields you send are saved "
                "over whatever is there.",
            },
        },
    }


# Answers -------------------------------------------------------------------------------------

TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
COUNT = {"type": "integer", "minimum": 0}


def _object(properties: Schema, **extra: Any) -> Schema:
    return {"type": "object", "required": list(properties), "properties": properties, **extra}


MEMBER = _object(
    {
        "handle": {"type": "string"},
        "display_name": {"type": "string"},
        "role": {"type": "string", "enum": _values(Role)},
        "avatar_url": {"type": "string", "description": "A path on this server."},
    }
)

POST = _object(
    {
        "id": {"type": "integer"},
        "author": ref("Member"),
        "title": {"type": ["string", "null"]},
        "body": {"type": "string", "description": "Markdown as typed."},
        "html": {"type": "string", "description": "Rendered and sanitized."},
        "visibility": {"type": "string", "enum": _values(Visibility)},
        "state": {"type": "string", "enum": _values(ContentState)},
        "version": {"type": "integer"},
        "is_announcement": {"type": "boolean"},
        "pinned_until": MAYBE_TIME,
        "comment_count": COUNT,
        "last_n": {**COUNT, "description": "The last conversation event number."},
        "created_at": TIME,
        "edited_at": MAYBE_TIME,
    }
)

COMMENT = _object(
    {
        "id": {"type": "integer"},
        "post_id": {"type": "integer"},
        "seq": {"type": "integer", "description": "Creation number within the post."},
        "n": {"type": "integer", "description": "Event number of its latest change."},
        "version": {"type": "integer"},
        "state": {"type": "string", "enum": _values(ContentState)},
        "author": ref("Member"),
        "html": {"type": "string", "description": "Empty when deleted or hidden."},
        "body": {"type": "string", "description": "Empty when deleted or hidden."},
        "created_at": TIME,
        "edited_at": MAYBE_TIME,
    }
)

EVENT = _object(
    {
        "n": {"type": "integer", "minimum": 1},
        "kind": {"type": "string", "enum": _values(EventKind)},
        "comment": {
            **ref("Comment"),
            "description": "The comment as it is now (its latest `n` may be later than this "
            "event's); a deleted or hidden one carries no words.",
        },
    }
)

_PROFILE_FIELDS: Schema = {
    "handle": {"type": "string"},
    "display_name": {"type": "string"},
    "role": {"type": "string", "enum": _values(Role)},
    "avatar_url": {"type": "string"},
    "is_staff": {"type": "boolean"},
    "title": {"type": ["string", "null"]},
    "company": {"type": ["string", "null"]},
    "bio": {"type": "string"},
    "bio_html": {"type": "string"},
    "links": {"type": "array", "items": {"type": "string"}},
    "visibility": {"type": "string", "enum": _values(ProfileVisibility)},
    "joined_at": TIME,
    "followers": COUNT,
    "following": COUNT,
}

PROFILE = _object({**_PROFILE_FIELDS, "you_follow": {"type": "boolean"}})

ME = _object(
    {
        **_PROFILE_FIELDS,
        "email": {"type": "string"},
        "language": {"type": ["string", "null"]},
        "version": {"type": "integer", "description": "The profile version (0: never saved)."},
    }
)

NEXT_CURSOR = {
    "type": ["string", "null"],
    "description": "Pass as `cursor` for the next page; null on the last page.",
}
NEXT_AFTER = {
    "type": ["integer", "null"],
    "description": "Pass as `after` for the rest; null when nothing more is there now.",
}

POST_PAGE = _object({"items": {"type": "array", "items": ref("Post")}, "next_cursor": NEXT_CURSOR})
FEED_PAGE = _object(
    {
        "items": {"type": "array", "items": ref("Post")},
        "pinned": {
            "type": "array",
            "items": ref("Post"),
            "description": "Current announcements, on the first page only.",
        },
        "next_cursor": NEXT_CURSOR,
    }
)
COMMENT_LIST = _object(
    {"items": {"type": "array", "items": ref("Comment")}, "next_after": NEXT_AFTER}
)
EVENT_LIST = _object(
    {
        "items": {"type": "array", "items": ref("Event")},
        "last_n": {**COUNT, "description": "The post's latest event number now."},
        "next_after": NEXT_AFTER,
    }
)


def _error(current: Schema | None = None) -> Schema:
    details: Schema = {
        "code": {"type": "string", "description": "Stable, for programs."},
        "message": {"type": "string", "description": "For people, in their language."},
        "field": {"type": "string", "description": "The field or parameter at fault."},
    }
    if current is not None:
        details["current"] = current
    return _object(
        {"error": {"type": "object", "required": ["code", "message"], "properties": details}}
    )


def components(languages: Sequence[str]) -> Schema:
    """Every named schema of the document."""
    return {
        "Member": MEMBER,
        "Post": POST,
        "Comment": COMMENT,
        "Event": EVENT,
        "Profile": PROFILE,
        "Me": ME,
        "PostPage": POST_PAGE,
        "FeedPage": FEED_PAGE,
        "CommentList": COMMENT_LIST,
        "EventList": EVENT_LIST,
        "Error": _error(),
        "PostConflict": _error(ref("Post")),
        "CommentConflict": _error(ref("Comment")),
        "MeConflict": _error(ref("Me")),
        "NewPost": NEW_POST,
        "PostChanges": POST_CHANGES,
        "NewComment": NEW_COMMENT,
        "CommentChanges": COMMENT_CHANGES,
        "MeChanges": me_changes(languages),
    }
