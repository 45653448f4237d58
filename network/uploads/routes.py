"""Serving stored uploads: exact Content-Type, long caching, attachment for anything not raster."""

from __future__ import annotations

from flask import Blueprint, abort, g, send_from_directory
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from network.models import UploadPurpose
from network.uploads import service, storage
from network.uploads.images import RASTER_CONTENT_TYPES

blueprint = Blueprint("uploads", __name__)

ONE_YEAR = 365 * 24 * 3600
# Even if a file were ever opened as a document, it could run nothing and load nothing.
UPLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@blueprint.get("/uploads/<name>")
def serve(name: str) -> Response:
    # The name is checked against our alphabet before the database or the disk hear of it.
    row = service.find(name)
    if row is None:
        abort(404)
    response = send_from_directory(
        storage.folder(), row.name, mimetype=row.content_type, conditional=True, etag=True
    )
    # Names are never reused, so a copy never goes stale.  Post images may sit in
    # members-only posts: only the browser keeps those, shared caches do not.
    scope = "public" if row.purpose == UploadPurpose.avatar else "private"
    response.headers["Cache-Control"] = f"{scope}, max-age={ONE_YEAR}, immutable"
    response.headers.pop("Expires", None)
    response.headers["Content-Type"] = row.content_type  # exactly as stored, no charset added
    disposition = "inline" if row.content_type in RASTER_CONTENT_TYPES else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{row.name}"'
    response.headers["Content-Security-Policy"] = UPLOAD_CSP
    return response


def _retry_after(response: Response) -> Response:
    """A 503 from a full picture queue says when to come back, whichever page refused it."""
    seconds = g.pop("upload_retry_after", None)
    if seconds is not None and response.status_code == 503:
        response.headers["Retry-After"] = str(seconds)
    return response


@blueprint.record_once
def _answer_last(state: BlueprintSetupState) -> None:
    # Flask runs app-wide after-request functions last-registered first.  Flask-Limiter's,
    # registered earlier, would otherwise run after ours and replace Retry-After with its
    # window's reset time on every limited route, which says nothing about this 503.
    state.app.after_request_funcs.setdefault(None, []).insert(0, _retry_after)
