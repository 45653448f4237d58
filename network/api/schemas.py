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
from network.case_studies import content, identity, scopes
from network.case_studies import service as case_studies
from network.idempotency import KEY_PATTERN
from network.models import (
    Audience,
    CaseStudyStatus,
    CompanyScope,
    ConsentAction,
    ContentState,
    EventKind,
    NameScope,
    ProfileVisibility,
    RevisionState,
    Role,
    Visibility,
)
from network.posts.comments import MAX_COMMENT
from network.posts.service import MAX_BODY, MAX_TITLE
from network.profiles import fields

Schema = dict[str, Any]

# Text may not hold control characters other than tab, newline and return
# (network.text_rules: NUL no database stores as text, and the rest break XML
# feeds).  Required text must also hold something besides white space, as the
# services insist.  Titles' extra rules (no bidi overrides) stay in the services.
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
PLAIN_TEXT = rf"^[^{_CONTROLS}]*$"
SOME_TEXT = rf"^[^\S{_CONTROLS}]*[^\s{_CONTROLS}][^{_CONTROLS}]*$"
HANDLE = r"^[a-z0-9_]{3,30}$"
REVISION_HASH = r"^[0-9a-f]{64}$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
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
            "open_to_case_studies": {
                "type": "boolean",
                "description": "Customers only: whether staff may write a case study about you. "
                "true from anyone else is 422.",
            },
            "version": {
                **VERSION,
                "description": "Optional: the profile version you last read. When given, a "
                "stale one is answered 409; without it, the fields you send are saved "
                "over whatever is there.",
            },
        },
    }


# Case studies: the same limits as network/case_studies (content.py, scopes.py, service.py).

REVISION = {
    "type": "string",
    "pattern": REVISION_HASH,
    "description": "A revision's content hash, as `current_revision.hash` shows it.",
}
FIGURE: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["label", "value"],
    "properties": {
        part: _text(content.MAX_FIGURE_PART, required=part != "unit")
        for part in ("label", "value", "unit")
    },
}
_CASE_STUDY_CONTENT: Schema = {
    "title": _text(content.MAX_TITLE, required=True, description="Spaces are collapsed."),
    **{
        name: _text(content.MAX_PROSE, required=True, description="Markdown.")
        for name in content.PROSE
    },
    "quote": _text(
        content.MAX_QUOTE, nullable=True, description="The customer's words, plain text."
    ),
    "figures": {
        "type": "array",
        "maxItems": content.MAX_FIGURES,
        "items": FIGURE,
        "description": "Kept apart from the prose; the customer decides whether they are shown.",
    },
    "logo": _text(64, nullable=True, description="The name of an uploaded picture."),
}

NEW_CASE_STUDY: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["customer", "title", *content.PROSE],
    "properties": {
        "customer": _text(
            40, required=True, description="The handle of a customer open to case studies."
        ),
        **_CASE_STUDY_CONTENT,
    },
}

CASE_STUDY_CHANGES: Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **_CASE_STUDY_CONTENT,
        "base_revision": {
            **REVISION,
            "description": "The revision you edited; when another was saved since, 409.",
        },
    },
    "description": "A new revision: the fields you do not send keep the current revision's.",
}

CONSENT_REQUEST: Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "revision": {**REVISION, "description": "Optional: 409 unless it is the current one."}
    },
}

CONSENT: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["revision", "name", "company", "logo", "quote", "figures", "audience"],
    "properties": {
        "revision": {**REVISION, "description": "What you consent to (409 if not current)."},
        "name": {"type": "string", "enum": _values(NameScope)},
        "company": {"type": "string", "enum": _values(CompanyScope)},
        "industry": _text(
            scopes.MAX_INDUSTRY,
            nullable=True,
            description='Shown instead of the company when `company` is "industry".',
        ),
        "logo": {"type": "boolean", "description": 'Only with `company` "name".'},
        "quote": {"type": "boolean"},
        "figures": {"type": "boolean"},
        "audience": {"type": "string", "enum": _values(Audience)},
        "expires_on": {
            "type": ["string", "null"],
            "format": "date",
            "pattern": DATE,
            "description": "Optional: gone from this day on (a future date).",
        },
        "identifying_words": {
            "type": "array",
            "maxItems": identity.MAX_OWN_WORDS,
            "items": {"type": "string", "minLength": 1, "maxLength": identity.MAX_OWN_WORD},
            "description": (
                "Optional: words that identify you (a nickname, a street, a product). Never "
                "shown; the guard refuses consent while the text contains any of them."
            ),
        },
    },
}

CHANGE_REQUEST: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["comment"],
    "properties": {
        "comment": _text(case_studies.MAX_COMMENT, required=True, description="What to change."),
        "revision": {**REVISION, "description": "Optional: 409 unless it is the current one."},
    },
}


# Answers -------------------------------------------------------------------------------------

TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
COUNT = {"type": "integer", "minimum": 0}


def _object(properties: Schema, optional: Schema | None = None, **extra: Any) -> Schema:
    """An answer's object: every property always there, except the `optional` ones."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": {**properties, **(optional or {})},
        **extra,
    }


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
    },
    optional={
        "open_to_case_studies": {
            "type": "boolean",
            "description": "Customers only: whether you are open to case studies.",
        }
    },
)


FIGURE_SHOWN = _object(
    {part: {"type": "string"} for part in ("label", "value", "unit")},
    additionalProperties=False,
)
MAYBE_TEXT = {"type": ["string", "null"]}
STORY = _object(
    {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        **{f"{name}_html": {"type": "string"} for name in content.PROSE},
        "quote": {**MAYBE_TEXT, "description": "null unless the customer shows their quote."},
        "figures": {"type": "array", "items": ref("Figure")},
        "customer": _object(
            {
                "name": {"type": "string", "description": "As the customer chose to be named."},
                "handle": {**MAYBE_TEXT, "description": "Only with their full name."},
            }
        ),
        "company": {**MAYBE_TEXT, "description": "The company's name, an industry, or null."},
        "logo_url": MAYBE_TEXT,
        "audience": {"type": "string", "enum": _values(Audience)},
        "consented_on": {"type": ["string", "null"], "format": "date"},
        "published_at": MAYBE_TIME,
        "revision": {"type": "string", "description": "The published revision's hash."},
        "url": {"type": "string", "description": "Its page on this server."},
    },
    description="What the customer consented to show, and nothing more.",
)
CASE_STUDY_REVISION = _object(
    {
        "hash": {"type": "string"},
        "number": {"type": "integer", "minimum": 1},
        "state": {"type": "string", "enum": _values(RevisionState)},
        "title": {"type": "string"},
        **{name: {"type": "string", "description": "Markdown."} for name in content.PROSE},
        "quote": {"type": "string"},
        "figures": {"type": "array", "items": ref("Figure")},
        "logo": MAYBE_TEXT,
    }
)
CASE_STUDY_CONSENT = _object(
    {
        "revision": {"type": "string", "description": "The hash it binds to."},
        "name": {"type": "string", "enum": _values(NameScope)},
        "company": {"type": "string", "enum": _values(CompanyScope)},
        "industry": MAYBE_TEXT,
        "logo": {"type": "boolean"},
        "quote": {"type": "boolean"},
        "figures": {"type": "boolean"},
        "audience": {"type": "string", "enum": _values(Audience)},
        "expires_on": {"type": ["string", "null"], "format": "date"},
        "identifying_words": {"type": "array", "items": {"type": "string"}},
        "granted_at": TIME,
        "ended_at": {**MAYBE_TIME, "description": "Withdrawn, expired or replaced."},
    }
)
_CASE_STUDY_PUBLIC: Schema = {
    "id": {"type": "integer"},
    "status": {"type": "string", "enum": _values(CaseStudyStatus)},
    "published_revision": {**MAYBE_TEXT, "description": "The hash of what is published."},
    "story": {
        "oneOf": [ref("Story"), {"type": "null"}],
        "description": "The published story as you may see it; null when nothing is live.",
    },
    "url": {"type": "string", "description": "Its page on this server."},
}
CASE_STUDY = _object(
    _CASE_STUDY_PUBLIC,
    optional={
        "customer": {"type": "string", "description": "Staff and the customer only: the handle."},
        "current_revision": {
            **ref("CaseStudyRevision"),
            "description": "Staff and the customer only: the latest revision, published or not.",
        },
        "consent": {
            "oneOf": [ref("CaseStudyConsent"), {"type": "null"}],
            "description": "Staff and the customer only: the published consent, else the latest.",
        },
    },
    description="Everyone else gets only the scoped story: no customer, no workings.",
)
CONSENT_ENTRY = _object(
    {
        "id": {"type": "integer"},
        "action": {"type": "string", "enum": _values(ConsentAction)},
        "revision": MAYBE_TEXT,
        "revision_number": {"type": ["integer", "null"]},
        "details": {
            "type": "object",
            "description": "A grant's scopes, a publication's audience, a comment.",
        },
        "actor": {"type": "string", "description": "A snapshot of their name; system for jobs."},
        "at": TIME,
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
CASE_STUDY_PAGE = _object(
    {"items": {"type": "array", "items": ref("CaseStudy")}, "next_cursor": NEXT_CURSOR}
)
CONSENT_LOG = _object(
    {"case_study": {"type": "integer"}, "items": {"type": "array", "items": ref("ConsentEntry")}}
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
        "Figure": FIGURE_SHOWN,
        "Story": STORY,
        "CaseStudyRevision": CASE_STUDY_REVISION,
        "CaseStudyConsent": CASE_STUDY_CONSENT,
        "CaseStudy": CASE_STUDY,
        "CaseStudyPage": CASE_STUDY_PAGE,
        "ConsentEntry": CONSENT_ENTRY,
        "ConsentLog": CONSENT_LOG,
        "CaseStudyConflict": _error(ref("CaseStudy")),
        "NewCaseStudy": NEW_CASE_STUDY,
        "CaseStudyChanges": CASE_STUDY_CHANGES,
        "ConsentRequest": CONSENT_REQUEST,
        "Consent": CONSENT,
        "ChangeRequest": CHANGE_REQUEST,
    }
