"""The case-study operations' description: their JSON Schemas and OpenAPI paths.

Kept beside case_studies.py rather than in it, so that neither grows past a
reader's page count: the views there check bodies against these schemas, and
openapi.py publishes them with the rest.  The limits are the same as
network/case_studies' own (content.py, identity.py, scopes.py, service.py).
"""

from __future__ import annotations

from typing import Any

from network.api import spec
from network.case_studies import content, identity, scopes
from network.case_studies import service as case_studies
from network.models import (
    Audience,
    CaseStudyStatus,
    CompanyScope,
    ConsentAction,
    NameScope,
    RevisionState,
)

REVISION_HASH = r"^[0-9a-f]{64}$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


REVISION = {
    "type": "string",
    "pattern": REVISION_HASH,
    "description": "A revision's content hash, as `current_revision.hash` shows it.",
}
FIGURE: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["label", "value"],
    "properties": {
        part: spec.text(content.MAX_FIGURE_PART, required=part != "unit")
        for part in ("label", "value", "unit")
    },
}
_CASE_STUDY_CONTENT: spec.Schema = {
    "title": spec.text(content.MAX_TITLE, required=True, description="Spaces are collapsed."),
    **{
        name: spec.text(content.MAX_PROSE, required=True, description="Markdown.")
        for name in content.PROSE
    },
    "quote": spec.text(
        content.MAX_QUOTE, nullable=True, description="The customer's words, plain text."
    ),
    "figures": {
        "type": "array",
        "maxItems": content.MAX_FIGURES,
        "items": FIGURE,
        "description": "Kept apart from the prose; the customer decides whether they are shown.",
    },
    "logo": spec.text(64, nullable=True, description="The name of an uploaded picture."),
}

NEW_CASE_STUDY: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["customer", "title", *content.PROSE],
    "properties": {
        "customer": spec.text(
            40, required=True, description="The handle of a customer open to case studies."
        ),
        **_CASE_STUDY_CONTENT,
    },
}

CASE_STUDY_CHANGES: spec.Schema = {
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

CONSENT_REQUEST: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "revision": {**REVISION, "description": "Optional: 409 unless it is the current one."}
    },
}

CONSENT: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["revision", "name", "company", "logo", "quote", "figures", "audience"],
    "properties": {
        "revision": {**REVISION, "description": "What you consent to (409 if not current)."},
        "name": {"type": "string", "enum": spec.values(NameScope)},
        "company": {"type": "string", "enum": spec.values(CompanyScope)},
        "industry": spec.text(
            scopes.MAX_INDUSTRY,
            nullable=True,
            description='Shown instead of the company when `company` is "industry".',
        ),
        "logo": {"type": "boolean", "description": 'Only with `company` "name".'},
        "quote": {"type": "boolean"},
        "figures": {"type": "boolean"},
        "audience": {"type": "string", "enum": spec.values(Audience)},
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

CHANGE_REQUEST: spec.Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["comment"],
    "properties": {
        "comment": spec.text(
            case_studies.MAX_COMMENT, required=True, description="What to change."
        ),
        "revision": {**REVISION, "description": "Optional: 409 unless it is the current one."},
    },
}


FIGURE_SHOWN = spec.answer(
    {part: {"type": "string"} for part in ("label", "value", "unit")},
    additionalProperties=False,
)
STORY = spec.answer(
    {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        **{f"{name}_html": {"type": "string"} for name in content.PROSE},
        "quote": {**spec.MAYBE_TEXT, "description": "null unless the customer shows their quote."},
        "figures": {"type": "array", "items": spec.ref("Figure")},
        "customer": spec.answer(
            {
                "name": {"type": "string", "description": "As the customer chose to be named."},
                "handle": {**spec.MAYBE_TEXT, "description": "Only with their full name."},
            }
        ),
        "company": {**spec.MAYBE_TEXT, "description": "The company's name, an industry, or null."},
        "logo_url": spec.MAYBE_TEXT,
        "audience": {"type": "string", "enum": spec.values(Audience)},
        "consented_on": {"type": ["string", "null"], "format": "date"},
        "published_at": spec.MAYBE_TIME,
        "revision": {"type": "string", "description": "The published revision's hash."},
        "url": {"type": "string", "description": "Its page on this server."},
    },
    description="What the customer consented to show, and nothing more.",
)
CASE_STUDY_REVISION = spec.answer(
    {
        "hash": {"type": "string"},
        "number": {"type": "integer", "minimum": 1},
        "state": {"type": "string", "enum": spec.values(RevisionState)},
        "title": {"type": "string"},
        **{name: {"type": "string", "description": "Markdown."} for name in content.PROSE},
        "quote": {"type": "string"},
        "figures": {"type": "array", "items": spec.ref("Figure")},
        "logo": spec.MAYBE_TEXT,
    }
)
CASE_STUDY_CONSENT = spec.answer(
    {
        "revision": {"type": "string", "description": "The hash it binds to."},
        "name": {"type": "string", "enum": spec.values(NameScope)},
        "company": {"type": "string", "enum": spec.values(CompanyScope)},
        "industry": spec.MAYBE_TEXT,
        "logo": {"type": "boolean"},
        "quote": {"type": "boolean"},
        "figures": {"type": "boolean"},
        "audience": {"type": "string", "enum": spec.values(Audience)},
        "expires_on": {"type": ["string", "null"], "format": "date"},
        "identifying_words": {"type": "array", "items": {"type": "string"}},
        "granted_at": spec.TIME,
        "ended_at": {**spec.MAYBE_TIME, "description": "Withdrawn, expired or replaced."},
    }
)
_CASE_STUDY_PUBLIC: spec.Schema = {
    "id": {"type": "integer"},
    "status": {"type": "string", "enum": spec.values(CaseStudyStatus)},
    "published_revision": {**spec.MAYBE_TEXT, "description": "The hash of what is published."},
    "story": {
        "oneOf": [spec.ref("Story"), {"type": "null"}],
        "description": "The published story as you may see it; null when nothing is live.",
    },
    "url": {"type": "string", "description": "Its page on this server."},
}
CASE_STUDY = spec.answer(
    _CASE_STUDY_PUBLIC,
    optional={
        "customer": {"type": "string", "description": "Staff and the customer only: the handle."},
        "current_revision": {
            **spec.ref("CaseStudyRevision"),
            "description": "Staff and the customer only: the latest revision, published or not.",
        },
        "consent": {
            "oneOf": [spec.ref("CaseStudyConsent"), {"type": "null"}],
            "description": "Staff and the customer only: the published consent, else the latest.",
        },
    },
    description="Everyone else gets only the scoped story: no customer, no workings.",
)
CONSENT_ENTRY = spec.answer(
    {
        "id": {"type": "integer"},
        "action": {"type": "string", "enum": spec.values(ConsentAction)},
        "revision": spec.MAYBE_TEXT,
        "revision_number": {"type": ["integer", "null"]},
        "details": {
            "type": "object",
            "description": "A grant's scopes, a publication's audience, a comment.",
        },
        "actor": {"type": "string", "description": "A snapshot of their name; system for jobs."},
        "at": spec.TIME,
    }
)

CASE_STUDY_PAGE = spec.answer(
    {"items": {"type": "array", "items": spec.ref("CaseStudy")}, "next_cursor": spec.NEXT_CURSOR}
)
CONSENT_LOG = spec.answer(
    {
        "case_study": {"type": "integer"},
        "items": {"type": "array", "items": spec.ref("ConsentEntry")},
    }
)
SCHEMAS: dict[str, spec.Schema] = {
    "Figure": FIGURE_SHOWN,
    "Story": STORY,
    "CaseStudyRevision": CASE_STUDY_REVISION,
    "CaseStudyConsent": CASE_STUDY_CONSENT,
    "CaseStudy": CASE_STUDY,
    "CaseStudyPage": CASE_STUDY_PAGE,
    "ConsentEntry": CONSENT_ENTRY,
    "ConsentLog": CONSENT_LOG,
    "CaseStudyConflict": spec.error_schema(spec.ref("CaseStudy")),
    "NewCaseStudy": NEW_CASE_STUDY,
    "CaseStudyChanges": CASE_STUDY_CHANGES,
    "ConsentRequest": CONSENT_REQUEST,
    "Consent": CONSENT,
    "ChangeRequest": CHANGE_REQUEST,
}

CASE_STUDY_ID = spec.id_parameter("case_study_id")
CASE_STUDY_LIMIT = spec.query(
    "limit",
    "Case studies per page (default 20).",
    {"type": "integer", "minimum": 1, "maximum": 200},
)
ANSWERED = spec.ok(200, "The case study, as you may see it now.", "CaseStudy")


def _case_study_op(operation_id: str, summary: str, **options: Any) -> spec.Operation:
    """An operation on one case study: 404 when you may not see it."""
    errors = {404, *options.pop("errors", ())}
    return spec.op(operation_id, summary, tag="case-studies", errors=errors, **options)


def _optional_body(operation: spec.Operation) -> spec.Operation:
    operation["requestBody"]["required"] = False
    return operation


PATHS: dict[str, spec.PathItem] = {
    "/case-studies": {
        "get": spec.op(
            "getCaseStudies",
            "Published case studies you may read, newest first",
            tag="case-studies",
            ok=spec.ok(200, "A page.", "CaseStudyPage"),
            errors=(400,),
            public=True,
            parameters=[spec.CURSOR, CASE_STUDY_LIMIT],
        ),
        "post": spec.op(
            "createCaseStudy",
            "Write a case study about a customer open to case studies (staff)",
            tag="case-studies",
            ok=spec.ok(
                201,
                "The new draft (or, for a retried key, the first one).",
                "CaseStudy",
                location=True,
            ),
            errors=(403,),
            body="NewCaseStudy",
            parameters=[spec.KEY],
            description="422 (field `customer`) when the customer has not opted in.",
        ),
    },
    "/case-studies/{case_study_id}": {
        "parameters": [CASE_STUDY_ID],
        "get": _case_study_op(
            "getCaseStudy",
            "A case study, rendered within the scopes its customer granted",
            ok=spec.ok(200, "The case study.", "CaseStudy"),
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
            ok=spec.ok(200, "Every entry, oldest first.", "ConsentLog"),
        ),
    },
}
