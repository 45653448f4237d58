"""The API's error answers: one JSON envelope, the status codes of DESIGN.md."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask_babel import lazy_gettext as _l

from network.exceptions import ServiceError
from network.pagination import BadCursor
from network.web.errors import MESSAGES, json_code

# The realm names this API in WWW-Authenticate (RFC 6750, section 3).
REALM = "api"
TOKEN_NEEDED = _l("This needs a personal API token: send it as Authorization: Bearer nw_….")
TOKEN_REFUSED = _l("This token is not valid: it may be revoked, or its member inactive.")
BAD_CURSOR = _l("This cursor is not one we made; start again from the first page.")


class ApiError(Exception):
    """A refusal the API answers with as it is: status, code, message and extra members."""

    def __init__(
        self,
        status: int,
        message: Any = None,
        *,
        code: str | None = None,
        field: str | None = None,
        current: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.status = status
        self.message = message if message is not None else MESSAGES.get(status, MESSAGES[500])[0]
        self.code = code or json_code(status)
        self.field = field
        self.current = current
        self.headers = headers or {}

    def response(self) -> Response:
        error: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.field is not None:
            error["field"] = self.field
        if self.current is not None:
            error["current"] = self.current
        answer = jsonify({"error": error})
        answer.status_code = self.status
        answer.headers.update(self.headers)
        return answer


def from_service(error: ServiceError, current: dict[str, Any] | None = None) -> ApiError:
    """The API's answer to a service's refusal; `current` is the serialized state for 409."""
    if isinstance(error, BadCursor):
        # BadCursor's own message is for logs; people get a sentence in their language.
        return ApiError(400, BAD_CURSOR, code="bad_cursor", field="cursor")
    return ApiError(error.status, error.message, field=error.field, current=current)


def unauthorized(*, token_sent: bool) -> ApiError:
    """401 with the challenge RFC 6750 asks for: a sent token is named invalid."""
    challenge = f'Bearer realm="{REALM}"'
    if token_sent:
        challenge += ', error="invalid_token"'
    message = TOKEN_REFUSED if token_sent else TOKEN_NEEDED
    return ApiError(401, message, headers={"WWW-Authenticate": challenge})
