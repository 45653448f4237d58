"""SEC-10: every URL rule x every kind of person, against a table kept here.

A new route without a row fails the suite.  Each request is what a plain
visit would send: GET, or POST with a valid CSRF token and no fields.
"""

from __future__ import annotations

import pytest

from tests.support.pages import csrf_token

PEOPLE = ("anonymous", "customer", "employee", "moderator", "admin")


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(PEOPLE, status)


def members_only(anonymous: int, members: int) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(PEOPLE[1:], members)}


# "METHOD rule" -> (concrete path, {person: expected status})
EXPECTED: dict[str, tuple[str, dict[str, int]]] = {
    "GET /": ("/", same(200)),
    "GET /healthz": ("/healthz", same(200)),
    "POST /language": ("/language", same(400)),  # no language chosen
    "GET /static/<path:filename>": ("/static/css/site.css", same(200)),
    "GET /signup": ("/signup", members_only(200, 302)),
    "POST /signup": ("/signup", members_only(422, 302)),
    "GET /signin": ("/signin", members_only(200, 302)),
    "POST /signin": ("/signin", same(422)),
    "POST /signout": ("/signout", same(302)),
    "GET /verify/<token>": ("/verify/not-a-token", same(302)),
    "POST /verify/resend": ("/verify/resend", members_only(401, 302)),
    "GET /reset": ("/reset", same(200)),
    "POST /reset": ("/reset", same(422)),
    "GET /reset/<token>": ("/reset/not-a-token", same(404)),
    "POST /reset/<token>": ("/reset/not-a-token", same(404)),
    "GET /setup/<token>": ("/setup/not-a-token", same(404)),
    "POST /setup/<token>": ("/setup/not-a-token", same(404)),
    "GET /settings": ("/settings", members_only(302, 200)),
    "POST /settings/password": ("/settings/password", members_only(401, 422)),
    "POST /settings/email": ("/settings/email", members_only(401, 422)),
    "GET /settings/sessions": ("/settings/sessions", members_only(302, 200)),
    "POST /settings/sessions/<int:session_id>/end": (
        "/settings/sessions/999999/end",
        members_only(401, 404),
    ),
    "POST /settings/sessions/end-others": ("/settings/sessions/end-others", members_only(401, 302)),
    "POST /settings/sessions/end-all": ("/settings/sessions/end-all", members_only(401, 302)),
    "GET /settings/tokens": ("/settings/tokens", members_only(302, 200)),
    "POST /settings/tokens": ("/settings/tokens", members_only(401, 422)),
    "POST /settings/tokens/<int:token_id>/revoke": (
        "/settings/tokens/999999/revoke",
        members_only(401, 404),
    ),
    # Socket.IO is WSGI middleware, not a Flask rule; the realtime issue covers it.
}


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
            token = csrf_token(browser.get("/").get_data(as_text=True))
            got[person] = browser.post(path, data={"csrf_token": token}).status_code
    assert got == by_person
