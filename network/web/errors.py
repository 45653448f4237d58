"""Error answers: friendly pages for people, JSON for the API, nothing internal (SEC-43)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from network.exceptions import ServiceError
from network.extensions import db, limiter
from network.logs import get_logger
from network.pagination import BadCursor

log = get_logger("errors")


@dataclass(frozen=True)
class Status:
    """One HTTP status as this app speaks of it.

    ``code`` is the JSON answers' ``error.code``; ``title`` and ``explanation``
    head the error page, in the visitor's language (None: the app has no page
    for it); ``api_name``/``api_description`` are its entry in the OpenAPI
    document's components/responses (None: the API does not document it).
    """

    code: str
    title: Any = None
    explanation: Any = None
    api_name: str | None = None
    api_description: str | None = None


# Every status the app answers or documents, in order (the OpenAPI document lists them so).
STATUSES: dict[int, Status] = {
    400: Status(
        "bad_request",
        _l("Bad request"),
        _l("The request could not be understood. Please try again."),
        "BadRequest",
        "Malformed: not JSON, not an object, or a bad query parameter or cursor.",
    ),
    401: Status(
        "unauthorized",
        _l("Sign in needed"),
        _l("Please sign in to see this page."),
        "Unauthorized",
        "No token where one is needed, or a token that is not valid.",
    ),
    403: Status(
        "forbidden",
        _l("Not allowed"),
        _l("You can see this, but you are not allowed to do that."),
        "Forbidden",
        "Visible to you, but not yours to change.",
    ),
    404: Status(
        "not_found",
        _l("Page not found"),
        _l("There is nothing here, or it is not visible to you."),
        "NotFound",
        "Absent, or not visible to you.",
    ),
    405: Status(
        "method_not_allowed",
        _l("Not allowed"),
        _l("This address does not accept that kind of request."),
    ),
    409: Status(
        "conflict",
        _l("Changed meanwhile"),
        _l("Someone changed this while you were working on it."),
    ),
    413: Status(
        "too_large",
        _l("Too large"),
        _l("What you sent is larger than this community accepts."),
        "TooLarge",
        "The body is larger than the server accepts.",
    ),
    # Answered by the HTTP server before the app sees the request: documented, no page of ours.
    414: Status(
        "uri_too_long",
        api_name="UriTooLong",
        api_description="The request line is longer than the server reads (gunicorn: 4094 bytes).",
    ),
    422: Status(
        "invalid",
        _l("Please check the form"),
        _l("Some of what you sent is not valid."),
        "Invalid",
        "A field is unknown, missing, of the wrong type or refused.",
    ),
    429: Status(
        "rate_limited",
        _l("Too many requests"),
        _l("Please wait a moment before trying again."),
        "RateLimited",
        "Too many requests; wait for Retry-After seconds.",
    ),
    500: Status(
        "server_error",
        _l("Something went wrong"),
        _l("We could not finish your request. Please try again."),
    ),
}
# A status missing from the table reads as code "error" with the 500 page's words.
_UNKNOWN = Status("error", STATUSES[500].title, STATUSES[500].explanation)


def status_info(status: int) -> Status:
    """The table's row for ``status``, or the unknown row for one it does not list."""
    return STATUSES.get(status, _UNKNOWN)


# Title and explanation per status that has an error page.
MESSAGES: dict[int, tuple[Any, Any]] = {
    status: (info.title, info.explanation)
    for status, info in STATUSES.items()
    if info.title is not None
}
# 503 keeps the 500 page's title (the table lacks it, as services' statuses may): its words say why.
DATABASE_DOWN = _l(
    "The community cannot reach its database just now. Please try again in a moment."
)
CSRF_MESSAGE = _l("This form expired. Please go back, reload the page and send it again.")

View = TypeVar("View", bound=Callable[..., Any])


def rerenders_form_on_csrf_error(view: View) -> View:
    """Mark a form view that shows its own form again when the CSRF token fails.

    The view's FlaskForm fails validation on the same token, so the person sees
    their text again with a note instead of losing it to an error page (SEC-06).
    """
    view.rerenders_form_on_csrf_error = True  # type: ignore[attr-defined]
    return view


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: Any = None, code: str | None = None) -> Response:
    """The JSON error envelope {"error": {"code", "message"}}; the status's title by default."""
    title, _explanation = MESSAGES.get(status, MESSAGES[500])
    response = jsonify(
        {"error": {"code": code or json_code(status), "message": str(message or title)}}
    )
    response.status_code = status
    return response


def error_response(status: int, message: Any = None, code: str | None = None) -> Response:
    if wants_json():
        return json_error(status, message, code)
    title, explanation = MESSAGES.get(status, MESSAGES[500])
    html = render_template(
        "errors/error.html",
        status=status,
        title=title,
        explanation=message or explanation,
        request_id=g.get("request_id"),
    )
    response = Response(html, mimetype="text/html")
    response.status_code = status
    return response


def json_code(status: int) -> str:
    """The JSON answers' ``error.code`` for a status ("error" for one the table lacks)."""
    return status_info(status).code


def _handle_http(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 401 and not wants_json() and request.method == "GET":
        # People are sent to sign in and brought back; only a local path travels.
        return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
    message = _wait_message() if status == 429 else None
    response = error_response(status if status in MESSAGES else 500, message)
    if status not in MESSAGES:
        response.status_code = status
    # Keep what werkzeug/limiter put on the error (Allow, Retry-After, ...)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _wait_message() -> str | None:
    """How long a rate-limited person should wait, in their language's plural form."""
    current = limiter.current_limit
    if current is None:
        return None
    seconds = max(1, int(current.reset_at - time.time()))
    return ngettext(
        "Please wait %(num)d second before trying again.",
        "Please wait %(num)d seconds before trying again.",
        seconds,
    )


def _handle_csrf(error: CSRFError) -> Response | Any:
    """Refuse a POST whose CSRF token failed: the form again where the view has one, else 400.

    The view runs inside this error handler, where Flask hands nothing raised
    to the other handlers: its guards' abort(401/403/404) (a signed-out
    visitor, an id that is not theirs) and its services' uncaught refusals
    would become a 500.  So they are answered here, as the same request
    without the CSRF failure would be.
    """
    view = request.endpoint and _view_for(request.endpoint)
    if view is not None and getattr(view, "rerenders_form_on_csrf_error", False):
        g.csrf_failed = True
        try:
            return view(**(request.view_args or {}))
        except HTTPException as refusal:
            return _handle_http(refusal)
        except ServiceError as refusal:
            return _handle_service(refusal)
    log.info("CSRF refused on %s: %s", request.path, error.description)
    return error_response(400, CSRF_MESSAGE, code="csrf_failed")


def _view_for(endpoint: str) -> Callable[..., Any] | None:
    return current_app.view_functions.get(endpoint)


def _handle_service(error: ServiceError) -> Response:
    """A service's refusal that no view caught: the error page with its status and message.

    The API blueprint answers its own in JSON (api/blueprint.py; a blueprint's
    handler is asked first). A BadCursor's message is for logs, so its page
    keeps the 400 page's own words.
    """
    if isinstance(error, BadCursor):
        return error_response(400)
    return error_response(error.status, error.message)


def _handle_database_error(error: Exception) -> Response:
    """A database that does not answer is a 503 (try again soon), not the app's fault.

    OperationalError is what the driver raises for a server that is down, restarting or
    unreachable (raw, from a pooled connection's checkout, or wrapped by SQLAlchemy); a
    connection that died under a statement says so too. Any other database error (a
    constraint, a bad statement) is a bug: the 500 of the rest.
    """
    wrapped = isinstance(error, DBAPIError)
    if wrapped and not (isinstance(error, OperationalError) or error.connection_invalidated):
        return _handle_unexpected(error)
    cause = error.orig if wrapped else error
    log.warning(
        "the database does not answer on %s %s (%s)",
        request.method,
        request.path,
        type(cause).__name__,
    )
    # The session's transaction died with its connection: roll it back so that the page's
    # own reads may try a new connection instead of refusing (PendingRollbackError).
    with suppress(SQLAlchemyError):
        db.session.rollback()
    try:
        return error_response(503, DATABASE_DOWN, code="unavailable")
    except (SQLAlchemyError, *_database_errors(current_app)):
        # The page's layout reads the database too (the community's name): a bare page.
        title = escape(MESSAGES[500][0])
        html = f"<!doctype html><title>{title}</title><h1>{title}</h1>"
        return Response(f"{html}<p>{escape(DATABASE_DOWN)}</p>", 503, mimetype="text/html")


def _database_errors(app: Flask) -> tuple[type[Exception], ...]:
    """SQLAlchemy's errors and the driver's OperationalError (raised unwrapped by a raw
    pooled connection, as the page cache's generation read uses)."""
    with app.app_context():
        driver = db.engine.dialect.loaded_dbapi
    return (DBAPIError, driver.OperationalError)


def _handle_unexpected(error: Exception) -> Response:
    original = getattr(error, "original_exception", None) or error
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
    return error_response(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(ServiceError, _handle_service)
    for kind in _database_errors(app):
        app.register_error_handler(kind, _handle_database_error)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(Exception, _handle_unexpected)
