"""What load balancers and operators ask: is the process alive, ready to serve, how busy."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from network.extensions import db
from network.operations import metrics, readiness

blueprint = Blueprint("operations", __name__)


@blueprint.get("/healthz")
def health() -> tuple[Response, int]:
    """For load balancers and operators: the process answers and the database too."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure means "not healthy", whatever its kind
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200


@blueprint.get("/readyz")
def ready() -> tuple[Response, int]:
    """For load balancers: the database answers with the current schema, Redis too if set."""
    answer, code = readiness.report()
    return jsonify(answer), code


@blueprint.get("/metrics")
def prometheus() -> Response:
    return metrics.exposition()
