"""SEC-10: every URL rule has a row here; a new route without one fails the suite.

Columns are people; the accounts issue adds customer, employee, moderator and
admin beside the anonymous visitor.  Each cell is the status a plain request
from that person gets.
"""

from __future__ import annotations

import pytest

# rule -> (method, concrete path, {person: expected status})
EXPECTED = {
    "/": ("GET", "/", {"anonymous": 200}),
    "/healthz": ("GET", "/healthz", {"anonymous": 200}),
    "/language": ("POST", "/language", {"anonymous": 400}),  # no CSRF token: refused
    "/static/<path:filename>": ("GET", "/static/css/site.css", {"anonymous": 200}),
    # Socket.IO is mounted as WSGI middleware, not as a Flask rule; the realtime issue tests it.
}


def test_every_route_has_a_row(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert rules == set(EXPECTED), "add the new routes to EXPECTED with their statuses"


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_each_person_gets_the_expected_status(client, rule):
    method, path, by_person = EXPECTED[rule]
    response = client.open(path, method=method)
    assert response.status_code == by_person["anonymous"]
