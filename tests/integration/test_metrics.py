"""Operators' view (issue 18, item 5): Prometheus metrics for allowed addresses, JSON logs."""

from __future__ import annotations

import io
import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from network.config import ConfigError, from_environment
from tests.support.content import make_post


def samples(client) -> dict[tuple[str, tuple], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.mimetype == "text/plain"
    found = {}
    for family in text_string_to_metric_families(answer.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_of(found, endpoint: str, status: str = "200") -> float:
    labels = (("endpoint", endpoint), ("method", "GET"), ("status", status))
    return found.get(("network_http_requests_total", labels), 0.0)


def test_requests_are_counted_and_timed_by_url_rule(app, client, customer):
    post = make_post(app, customer, title="Counted")
    before = samples(client)
    for _ in range(3):
        assert client.get(f"/posts/{post.id}").status_code == 200
    client.get("/no-such-page")
    after = samples(client)
    rule = "/posts/<int:post_id>"
    assert requests_of(after, rule) - requests_of(before, rule) == 3
    assert requests_of(after, "unmatched", "404") - requests_of(before, "unmatched", "404") == 1
    timed = ("network_http_request_duration_seconds_count", (("endpoint", rule),))
    assert after[timed] - before.get(timed, 0.0) == 3
    # One series per rule, never per path: a thousand posts stay one line.
    assert not any(f"/posts/{post.id}" in str(labels) for _name, labels in after)


def test_open_sockets_are_a_gauge(client):
    found = samples(client)
    assert ("network_open_sockets", ()) in found


def test_other_addresses_get_nothing(app, client):
    outside = client.get("/metrics", environ_overrides={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 404
    assert b"network_http" not in outside.data
    app.config["METRICS_FROM"] = ("10.0.0.0/8",)
    inside = client.get("/metrics", environ_overrides={"REMOTE_ADDR": "10.1.2.3"})
    assert inside.status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is no longer listed
    app.config["METRICS_FROM"] = ()
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("", ()), ("127.0.0.1", ("127.0.0.1",)), (" 10.0.0.0/8 , ::1 ", ("10.0.0.0/8", "::1"))],
)
def test_the_allowed_addresses_are_parsed(raw, parsed):
    assert from_environment({"NETWORK_METRICS_FROM": raw})["METRICS_FROM"] == parsed


def test_a_malformed_address_names_the_variable():
    with pytest.raises(ConfigError, match="NETWORK_METRICS_FROM"):
        from_environment({"NETWORK_METRICS_FROM": "localhost"})


@pytest.fixture
def app_settings():
    return {"LOG_FORMAT": "json"}


def test_json_logs_are_one_object_per_line_with_the_request_id(app, client):
    from network.logs import JsonFormatter

    handler = next(
        handler
        for handler in logging.getLogger("network").handlers
        if isinstance(handler.formatter, JsonFormatter)
    )
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        answer = client.get("/no-such-page", headers={"X-Request-ID": "abc123def456"})
        assert answer.status_code == 404
        with app.test_request_context(headers={"X-Request-ID": "abc123def456"}):
            from network.web.headers import _assign_request_id

            _assign_request_id()
            logging.getLogger("network.tests").warning('two\nlines and a "quote"')
    finally:
        handler.setStream(previous)
    lines = written.getvalue().strip().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    entry = entries[-1]
    assert entry["level"] == "WARNING" and entry["logger"] == "network.tests"
    assert entry["message"] == 'two\nlines and a "quote"'
    assert entry["request_id"] == "abc123def456"


def test_the_gauge_counts_open_sockets(app, client, customer, as_member):
    from network.extensions import socketio

    def gauge() -> float:
        return samples(client)[("network_open_sockets", ())]

    before = gauge()
    browser = as_member(customer)
    sockets = [socketio.test_client(app, flask_test_client=browser) for _ in range(3)]
    assert all(socket.is_connected() for socket in sockets)
    assert gauge() == before + 3
    sockets[0].disconnect()
    assert gauge() == before + 2
    for socket in sockets[1:]:
        socket.disconnect()
