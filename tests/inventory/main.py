"""The rows of the route inventory (SEC-10) for the front door."""

from tests.inventory.people import members_only, same

# Socket.IO is WSGI middleware, not a Flask rule; the realtime issue covers it.
ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /": ("/", members_only(200, 302)),  # members land on their feed
    "GET /healthz": ("/healthz", same(200)),
    # The test client calls from 127.0.0.1, which NETWORK_METRICS_FROM allows by default.
    "GET /metrics": ("/metrics", same(200)),
    # The test databases are made by create_all, without Alembic's table: "missing", 503.
    "GET /readyz": ("/readyz", same(503)),
    "POST /language": ("/language", same(400)),  # no language chosen
    "GET /static/<path:filename>": ("/static/css/site.css", same(200)),
    "GET /brand.css": ("/brand.css", same(200)),
    "GET /terms": ("/terms", same(404)),  # no terms written yet
    "GET /privacy": ("/privacy", same(404)),
}
