"""SEC-10: every URL rule x every kind of person, against the tables in tests/inventory/.

A new route without a row fails the suite.
"""

from __future__ import annotations

import pytest

from tests.inventory import EXPECTED
from tests.support.pages import csrf_token


def test_every_route_has_a_row(app):
    found = {
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert found == set(EXPECTED), "add new routes to EXPECTED with a status per person"


@pytest.fixture
def browsers(app, client, customer, employee, moderator, admin, as_member):
    return {
        "anonymous": client,
        "customer": as_member(customer),
        "employee": as_member(employee),
        "moderator": as_member(moderator),
        "admin": as_member(admin),
    }


@pytest.mark.parametrize("row", sorted(EXPECTED))
def test_each_person_gets_the_expected_status(browsers, row):
    method, _rule = row.split(" ", 1)
    path, by_person = EXPECTED[row]
    got = {}
    for person, browser in browsers.items():
        if method == "GET":
            got[person] = browser.get(path).status_code
        else:
            token = csrf_token(browser.get("/", follow_redirects=True).get_data(as_text=True))
            got[person] = browser.post(path, data={"csrf_token": token}).status_code
    assert got == by_person
