"""The project's own exceptions: services raise them, routes and socket handlers translate them."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base of every refusal a service can answer with; `message` is shown to people."""

    status = 400

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class Invalid(ServiceError):
    """A field's value is not acceptable (422)."""

    status = 422


class NotFound(ServiceError):
    """Absent, or not visible to this person (404)."""

    status = 404


class Forbidden(ServiceError):
    """Visible, but this person may not do that (403)."""

    status = 403


class Conflict(ServiceError):
    """The thing is in the wrong state or was changed meanwhile (409).

    `current` carries the thing as it is now, so the person (or program) can
    see what changed and decide; it is whatever object the service had.
    """

    status = 409

    def __init__(self, message: Any, *, field: str | None = None, current: Any = None) -> None:
        super().__init__(message, field=field)
        self.current = current
