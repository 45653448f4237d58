"""Serving stored uploads: to whoever may see what shows them, exact Content-Type, nosniff."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from flask_login import current_user
from werkzeug.wrappers import Response

from network.models import Upload, UploadPurpose
from network.uploads import (
    editor_routes,
    service,
    storage,
    uses,
)
from network.uploads.images import RASTER_CONTENT_TYPES

blueprint = Blueprint("uploads", __name__)

ONE_YEAR = 365 * 24 * 3600
#: how long a cache may keep a post's or case study's picture before it asks again (a 304
#: when nothing changed): how soon a picture leaves caches after its post does
CONTENT_MAX_AGE = 600
# Even if a file were ever opened as a document, it could run nothing and load nothing.
UPLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@blueprint.get("/uploads/<name>")
def serve(name: str) -> Response:
    # The name is checked against our alphabet before the database or the disk hear of it.
    row = service.find(name)
    if row is None:
        abort(404)
    # The visibility of what shows it (uses.py): a members-only post's picture needs a
    # member, a deleted post's or withdrawn story's picture is gone (404, as if absent).
    audience = uses.audience(current_user, row)
    if audience is None:
        abort(404)
    response = send_from_directory(
        storage.folder(), row.name, mimetype=row.content_type, conditional=True, etag=True
    )
    response.headers["Cache-Control"] = _cache_control(row, audience)
    response.headers.pop("Expires", None)
    response.headers["Content-Type"] = row.content_type  # exactly as stored, no charset added
    disposition = "inline" if row.content_type in RASTER_CONTENT_TYPES else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{row.name}"'
    response.headers["Content-Security-Policy"] = UPLOAD_CSP
    return response


def _cache_control(row: Upload, audience: uses.Audience) -> str:
    """Names are never reused, so bytes never go stale; who may see them can change.

    An avatar stays public for good (a year, immutable). A post's or case study's
    picture may become members-only or be withdrawn: shared caches keep a public one
    for minutes only, and anything not public is kept by this viewer's browser alone.
    """
    if row.purpose == UploadPurpose.avatar:
        return f"public, max-age={ONE_YEAR}, immutable"
    return f"{audience.value}, max-age={CONTENT_MAX_AGE}"


# The package's one blueprint; its other route modules are nested under it (uploads.<name>.*).
blueprint.register_blueprint(editor_routes.blueprint)
