"""The API blueprint: /api/v1, bearer tokens only, no CSRF, one rate budget, JSON errors.

Route modules add their views to ``blueprint``; routes.py imports them all
before any app registers it.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_babel import lazy_gettext as _l

from network.api import auth
from network.api.errors import ApiError, from_service
from network.exceptions import ServiceError
from network.extensions import csrf, limiter

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

# A bearer token cannot be sent by another site's form, and the cookie that
# could is ignored here, so CSRF tokens have nothing to protect (SEC-24).
csrf.exempt(blueprint)

# One budget for the whole API per member (or address), not one per endpoint.
limiter.shared_limit(auth.rate_limit, scope="api", key_func=auth.rate_key)(blueprint)

blueprint.before_request(auth.refuse_bad_tokens)


@blueprint.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error.response()


@blueprint.errorhandler(ServiceError)
def _service_error(error: ServiceError) -> Response:
    return from_service(error).response()


def idempotency_key() -> str | None:
    """The Idempotency-Key header; the services check its form and remember it.

    An empty header is refused here: the services read "" as "no key", and a
    client that meant to send one would otherwise get no protection silently.
    """
    key = request.headers.get("Idempotency-Key")
    if key == "":
        raise ApiError(422, _l("The request key is malformed."), field="key")
    return key


def no_content() -> Response:
    """204 with no body and no Content-Type (there is nothing to describe)."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response
