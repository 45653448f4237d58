"""POST /uploads: the post editor's picture upload, answered in JSON (errors included)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from network.exceptions import ServiceError
from network.extensions import limiter
from network.permissions import Permission, requires
from network.uploads import jobs, service
from network.web.errors import CSRF_MESSAGE, json_error

blueprint = Blueprint("editor", __name__)  # uploads.editor


def _member_key() -> str:
    return f"member:{getattr(current_user, 'id', 'anonymous')}"


@blueprint.post("/uploads")
@requires(Permission.write)
@limiter.limit(lambda: current_app.config["RATELIMIT_UPLOAD"], key_func=_member_key)
def create() -> tuple[Response, int] | Response:
    """Store one post image from the multipart field "file"; 201 with its URL and size."""
    try:
        upload = service.store_image(current_user, request.files.get("file"), "post_image")
    except jobs.Busy as error:
        response = json_error(error.status, error.message, "busy")
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except ServiceError as error:
        return json_error(error.status, error.message)
    body = {"url": service.upload_url(upload.name), "width": upload.width, "height": upload.height}
    return jsonify(body), 201


@blueprint.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    """Every refusal here is JSON: the body cap (413), CSRF (400), sign-in (401), rate (429)."""
    status = error.code or 500
    if isinstance(error, CSRFError):
        response = json_error(status, CSRF_MESSAGE, "csrf_failed")
    else:
        response = json_error(status)  # the status's title
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


# Status codes that the app's own handlers claim before a blueprint's class handler is asked.
for _status in (400, 401, 403, 404, 405, 413, 429):
    blueprint.register_error_handler(_status, _http_error)
