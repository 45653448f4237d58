"""Reading what API callers send: JSON bodies checked against the documented schemas, and
query parameters.

The request schemas beside each view (its module's SCHEMAS) are the single
description of a body: the OpenAPI document publishes them and ``json_body``
enforces them, so the two cannot drift.  Only the JSON Schema words those
schemas use are understood.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from network import text_rules
from network.api.errors import ApiError
from network.exceptions import Invalid
from network.posts.comments import NOT_VISIBLE

MAX_ID = 2**31 - 1  # ids and counters are 32-bit integers on PostgreSQL
NOT_JSON = _l("Send a JSON object with Content-Type: application/json.")
MALFORMED = _l("The body is not valid JSON.")
NOT_AN_OBJECT = _l("The body must be a JSON object.")

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON, though Python's parser takes them.
    raise ValueError(name)


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object, checked against `schema`; ApiError 400 or 422 otherwise.

    400: not JSON (content type or syntax), or not an object. 422: a field is
    unknown, missing, of the wrong type or outside its limits. A body over
    MAX_CONTENT_LENGTH stops in get_data with werkzeug's 413.
    """
    if request.mimetype != "application/json":
        raise ApiError(400, NOT_JSON, code="not_json")
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers JSONDecodeError and integers too long to convert.
        raise ApiError(400, MALFORMED, code="malformed_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, NOT_AN_OBJECT, code="malformed_json")
    return check(schema, data)


def check(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The object with each value checked against its property schema; raises ApiError 422."""
    properties: dict[str, Any] = schema.get("properties", {})
    if schema.get("additionalProperties") is False:
        for name in data:
            if name not in properties:
                shown = _shown(name)
                message = _l("%(name)s is not a field this request accepts.", name=shown)
                raise _invalid(message, shown, "unknown_field")
    for name in schema.get("required", []):
        if name not in data:
            raise _invalid(_l("%(name)s is required.", name=name), name, "missing_field")
    # Fields a schema leaves open (none of ours do) pass through unchecked.
    return {
        name: _value(properties[name], name, value) if name in properties else value
        for name, value in data.items()
    }


def _shown(name: str) -> str:
    # The name is the caller's own text; keep the message short and printable.
    printable = "".join(ch if ch.isprintable() else "?" for ch in name[:40])
    return printable or "?"


def _invalid(message: Any, name: str, code: str = "invalid") -> ApiError:
    return ApiError(422, message, code=code, field=name)


def _type_of(schema: dict[str, Any], value: Any) -> str | None:
    allowed = schema.get("type")
    names = allowed if isinstance(allowed, list) else [allowed]
    for name in names:
        if name == "integer" and isinstance(value, float) and value.is_integer():
            return name  # 3.0 is an integer in JSON Schema
        if isinstance(value, _JSON_TYPES[name]) and not (
            isinstance(value, bool) and name != "boolean"
        ):
            return name
    return None


def _value(schema: dict[str, Any], name: str, value: Any) -> Any:
    kind = _type_of(schema, value)
    if kind is None:
        raise _invalid(_l("%(name)s has the wrong type.", name=name), name, "wrong_type")
    if kind == "null":
        return None
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(str(choice) for choice in schema["enum"] if choice is not None)
        message = _l("%(name)s must be one of: %(choices)s.", name=name, choices=choices)
        raise _invalid(message, name)
    if kind == "integer":
        return _integer(schema, name, value)
    if kind == "string":
        return _string(schema, name, value)
    return value


def _integer(schema: dict[str, Any], name: str, value: int | float) -> int:
    if isinstance(value, float) and not math.isfinite(value):
        raise _invalid(_out_of_range(name), name)
    number = int(value)
    if number < schema.get("minimum", -MAX_ID) or number > schema.get("maximum", MAX_ID):
        raise _invalid(_out_of_range(name), name)
    return number


def _out_of_range(name: str) -> Any:
    return _l("%(name)s is out of range.", name=name)


def _bad_text(name: str) -> Any:
    return _l("%(name)s contains characters that are not allowed.", name=name)


def _string(schema: dict[str, Any], name: str, value: str) -> str:
    try:
        # Controls, lone surrogates (JSON's "\\ud800") and noncharacters are text
        # in no field; the message names the character.
        text_rules.check_storable(value, name, name)
    except Invalid as error:
        raise _invalid(error.message, name) from None
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        limit = schema["maxLength"]
        message = _l("%(name)s may have at most %(max)d characters.", name=name, max=limit)
        raise _invalid(message, name)
    if "minLength" in schema and len(value) < schema["minLength"]:
        least = schema["minLength"]
        message = _l("%(name)s needs at least %(min)d characters.", name=name, min=least)
        raise _invalid(message, name)
    if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
        raise _invalid(_bad_text(name), name)
    return value


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def query_text(name: str) -> str | None:
    """A query parameter given at most once; 400 when repeated (which one was meant?)."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise ApiError(
            400,
            _l("Give the query parameter %(name)s once.", name=name),
            code="bad_query",
            field=name,
        )
    return values[0] if values else None


def query_int(name: str, *, default: int, minimum: int, maximum: int) -> int:
    """A whole-number query parameter within bounds; 400 otherwise (a malformed request)."""
    raw = query_text(name)
    if raw is None:
        return default
    if (
        not raw.isascii()
        or not raw.isdigit()
        or len(raw) > 10
        or not (minimum <= int(raw) <= maximum)
    ):
        raise ApiError(
            400,
            _l(
                "The query parameter %(name)s must be a whole number from %(min)d to %(max)d.",
                name=name,
                min=minimum,
                max=maximum,
            ),
            code="bad_query",
            field=name,
        )
    return int(raw)


def path_id(value: int) -> int:
    """An id from the URL; beyond 32 bits it cannot exist (and must not reach the database)."""
    if value > MAX_ID:
        raise ApiError(404, NOT_VISIBLE)
    return value
