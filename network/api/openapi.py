"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

Each view module describes its own operations (``PATHS``) and the schemas they
name (``SCHEMAS``) beside its views; this module gathers them into one
document.  Every operation lists every status it can answer; schemathesis
checks the running server against this document
(tests/integration/test_api_schemathesis.py), and test_api_openapi.py checks
that it names exactly the routes the app has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import Response, current_app, jsonify

from network.api import case_study_spec, comments, feed, me, posts, spec, users
from network.api.blueprint import blueprint

# The parts of the API that describe their own operations, in the order of TAGS.
PARTS = (me, users, feed, posts, comments, case_study_spec)

DESCRIPTION = """\
The community's JSON API. Authenticate with a personal token made on the
Settings > API tokens page: `Authorization: Bearer nw_...`. The session
cookie is ignored. Reads of public content need no token. Errors are
`{"error": {"code", "message"}}`; see docs/api.md."""

TAGS = ("me", "users", "posts", "comments", "case-studies", "meta")

PATHS: dict[str, spec.PathItem] = {
    "/openapi.json": {
        "get": spec.op(
            "getOpenApi",
            "This document",
            tag="meta",
            ok={
                "200": {
                    "description": "OpenAPI 3.1.",
                    "content": spec.json_content({"type": "object"}),
                }
            },
            public=True,
        ),
    },
}


def merged(kind: str, parts: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The parts' entries in one mapping; a name two parts define is a mistake, not an override."""
    whole: dict[str, Any] = {}
    for part in parts:
        twice = whole.keys() & part.keys()
        if twice:
            raise ValueError(f"{kind} defined twice: {', '.join(sorted(twice))}")
        whole.update(part)
    return whole


def _error_response(name: str, description: str) -> dict[str, Any]:
    if name == "UriTooLong":
        return {"description": description}  # the HTTP server's own page, not ours
    response: dict[str, Any] = {
        "description": description,
        "content": spec.json_content(spec.ref("Error")),
    }
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


def document(languages: Sequence[str]) -> dict[str, Any]:
    """The whole document, for a community speaking these languages.

    Raises ValueError when two parts define the same path or schema name.
    """
    paths = merged("path", [*(part.PATHS for part in PARTS), PATHS])
    # MeChanges lists the community's languages, so it is made for each document.
    languages_named = {"MeChanges": me.me_changes(languages)}
    schemas = merged("schema", [spec.SCHEMAS, *(part.SCHEMAS for part in PARTS), languages_named])
    return {
        "openapi": "3.1.0",
        "info": {"title": "Brand community API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [{"name": name} for name in TAGS],
        "paths": paths,
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
                for name, description in spec.ERROR_RESPONSES.values()
            },
            "schemas": schemas,
        },
    }


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document(current_app.config["LANGUAGES"]))
