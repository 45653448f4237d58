"""Prometheus metrics at /metrics: requests and their latency by endpoint, and open sockets.

Only the addresses in NETWORK_METRICS_FROM may read them (others get 404, as
if there were none). Each process exposes its own; scrape every process.
Endpoint labels are URL rules, never raw paths, so the series stay few.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily

from network import fragments
from network.mail import sender as mail_sender

# One registry for the process: create_app() may run many times (tests), metrics once.
REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "network_http_requests",
    "HTTP requests answered, by endpoint (URL rule), method and status.",
    ["endpoint", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "network_http_request_duration_seconds",
    "Time from the request's start to its answer, by endpoint (URL rule).",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
SOCKETS = Gauge(
    "network_open_sockets", "Socket.IO connections open on this process.", registry=REGISTRY
)
_open_sockets: list[Callable[[], int]] = []
# The mail outbox, counted in the database when /metrics is read (the same in every process).
OUTBOX_PENDING = Gauge(
    "network_mail_outbox_pending",
    "Mail messages in the outbox waiting to be sent (first attempt or retry).",
    registry=REGISTRY,
)
OUTBOX_OLDEST = Gauge(
    "network_mail_outbox_oldest_pending_seconds",
    "Age of the oldest mail message still waiting to be sent (0 when none wait).",
    registry=REGISTRY,
)


class _FragmentLookups:
    """network_fragment_cache_requests_total{kind,result}: found (hit) or rendered (miss)."""

    def collect(self):
        family = CounterMetricFamily(
            "network_fragment_cache_requests",
            "Fragment lookups by kind (post, post_page, comment, case_study) and result "
            "(hit: from memory or Redis; miss: rendered).",
            labels=["kind", "result"],
        )
        for (kind, result), count in sorted(fragments.counts().items()):
            family.add_metric([kind, result], count)
        yield family


REGISTRY.register(_FragmentLookups())


def count_sockets_with(counter: Callable[[], int]) -> None:
    """Tell the gauge how to count open sockets (the realtime package does, at start)."""
    _open_sockets[:] = [counter]
    SOCKETS.set_function(lambda: _open_sockets[0]() if _open_sockets else 0)


def _endpoint() -> str:
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _answered(response: Response) -> Response:
    endpoint = _endpoint()
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


def may_read(address: str | None) -> bool:
    """Whether a client address is one NETWORK_METRICS_FROM lets read the metrics."""
    if not address:
        return False
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        client in ipaddress.ip_network(allowed, strict=False)
        for allowed in current_app.config["METRICS_FROM"]
    )


def exposition() -> Response:
    """The Prometheus text format, to the addresses NETWORK_METRICS_FROM allows; 404 to others."""
    if not may_read(request.remote_addr):
        abort(404)
    pending, oldest = mail_sender.depth()
    OUTBOX_PENDING.set(pending)
    OUTBOX_OLDEST.set(oldest)
    return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.before_request(_started)
    app.after_request(_answered)
