"""What every part of the API's description shares: schema builders, patterns and operation shapes.

Each view module describes its own operations beside its views, as ``SCHEMAS``
(named JSON Schemas) and ``PATHS`` (OpenAPI path items) built from these
pieces; openapi.py gathers them into the one document.  Request bodies say
additionalProperties: false, so an unknown or forbidden field (role,
author_id, status, published, ...) is a 422 (SEC-12).  The limits are the
services' own, so the document tells callers exactly where the server draws
its lines (SEC-22).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from network.api.validation import MAX_ID
from network.idempotency import KEY_PATTERN
from network.models import Role
from network.web.errors import STATUSES

Schema = dict[str, Any]
Operation = dict[str, Any]
PathItem = dict[str, Any]  # operations by method, and the parameters they share
JSON = "application/json"

# Text may not hold control characters other than tab, newline and return
# (network.text_rules: NUL no database stores as text, and the rest break XML
# feeds).  Required text must also hold something besides white space, as the
# services insist.  Titles' extra rules (no bidi overrides) stay in the services.
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
PLAIN_TEXT = rf"^[^{_CONTROLS}]*$"
SOME_TEXT = rf"^[^\S{_CONTROLS}]*[^\s{_CONTROLS}][^{_CONTROLS}]*$"
HANDLE = r"^[a-z0-9_]{3,30}$"
IDEMPOTENCY_KEY = KEY_PATTERN.pattern


# Schemas -------------------------------------------------------------------------------------


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def text(limit: int, *, required: bool = False, nullable: bool = False, **extra: Any) -> Schema:
    """A request's text field: at most `limit` characters, no controls, something if required."""
    schema: Schema = {
        "type": ["string", "null"] if nullable else "string",
        "maxLength": limit,
        "pattern": SOME_TEXT if required else PLAIN_TEXT,
        **extra,
    }
    if required:
        schema["minLength"] = 1
    return schema


def values(kind: Any) -> list[str]:
    """An enum's values, for a schema's `enum`."""
    return [item.value for item in kind]


def answer(properties: Schema, optional: Schema | None = None, **extra: Any) -> Schema:
    """An answer's object: every property always there, except the `optional` ones."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": {**properties, **(optional or {})},
        **extra,
    }


VERSION = {
    "type": "integer",
    "minimum": 0,
    "maximum": MAX_ID,
    "description": "The version you last read; a stale one is answered 409 with the current state.",
}
TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
MAYBE_TEXT = {"type": ["string", "null"]}
COUNT = {"type": "integer", "minimum": 0}
NEXT_CURSOR = {
    "type": ["string", "null"],
    "description": "Pass as `cursor` for the next page; null on the last page.",
}
NEXT_AFTER = {
    "type": ["integer", "null"],
    "description": "Pass as `after` for the rest; null when nothing more is there now.",
}

MEMBER = answer(
    {
        "handle": {"type": "string"},
        "display_name": {"type": "string"},
        "role": {"type": "string", "enum": values(Role)},
        "avatar_url": {"type": "string", "description": "A path on this server."},
    }
)


def error_schema(current: Schema | None = None) -> Schema:
    """The error envelope; a conflict's also carries `current`, the state now."""
    details: Schema = {
        "code": {"type": "string", "description": "Stable, for programs."},
        "message": {"type": "string", "description": "For people, in their language."},
        "field": {"type": "string", "description": "The field or parameter at fault."},
    }
    if current is not None:
        details["current"] = current
    return answer(
        {"error": {"type": "object", "required": ["code", "message"], "properties": details}}
    )


# The schemas every part refers to (posts and comments name their authors as a Member).
SCHEMAS: dict[str, Schema] = {"Member": MEMBER, "Error": error_schema()}


# Operations ----------------------------------------------------------------------------------

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


def json_content(schema: Schema) -> dict[str, Any]:
    return {JSON: {"schema": schema}}


def op(
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
    """An operation with every status it can answer: its own, the body's, and ALWAYS."""
    codes = {*errors, *ALWAYS, *(BODY_ERRORS if body else ())}
    responses: dict[str, Any] = dict(ok)
    for status in sorted(codes):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    if conflict is not None:
        responses["409"] = {
            "description": "Stale version or wrong state; `error.current` is the state now.",
            "content": json_content(ref(conflict)),
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
        operation["requestBody"] = {"required": True, "content": json_content(ref(body))}
    return operation


def ok(
    status: int, description: str, schema: str | None = None, *, location: bool = False
) -> dict[str, Any]:
    """A success answer, with the named schema as its body and a Location when created."""
    response: dict[str, Any] = {"description": description}
    if schema is not None:
        response["content"] = json_content(ref(schema))
    if location:
        response["headers"] = {
            "Location": {"required": True, "description": "Its URL.", "schema": {"type": "string"}}
        }
    return {str(status): response}


def query(name: str, description: str, schema: Schema) -> dict[str, Any]:
    """An optional query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def id_parameter(name: str) -> dict[str, Any]:
    """An id in the path: what validation.path_id lets through."""
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return {"name": name, "in": "path", "required": True, "schema": schema}


CURSOR = query(
    "cursor", "From `next_cursor`; omit for the first page.", {"type": "string", "maxLength": 200}
)
KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Retrying with the same key answers the first result again; the same key "
    "with another payload is 422.",
    "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY},
}
