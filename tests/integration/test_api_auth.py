"""Who the API lets in: bearer tokens only, the cookie ignored, no CSRF, one rate budget (issue 7).

SEC-24: token requests need no CSRF token, and a signed-in browser gains
nothing from its cookie here.
"""

from __future__ import annotations

import re

import pytest

from network.accounts import members, tokens
from network.extensions import db
from network.models import ApiToken, Member, MemberStatus
from tests.support.api_client import ApiClient, api_fixture, token_for  # noqa: F401 (`api`)
from tests.support.content import make_post


def test_no_token_is_401_json_with_a_bearer_challenge(client):
    answer = client.get("/api/v1/me")

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert answer.json["error"]["code"] == "unauthorized"
    assert answer.json["error"]["message"]


def test_a_signed_in_browser_without_a_token_is_401(customer, as_member):
    browser = as_member(customer)
    assert browser.get("/settings/profile").status_code == 200  # the cookie works on pages

    assert browser.get("/api/v1/me").status_code == 401
    assert browser.get("/api/v1/feed").status_code == 401
    # no token and no CSRF token: refused as unauthenticated, not as a CSRF failure
    assert (
        browser.post("/api/v1/posts", json={"body": "x", "visibility": "public"}).status_code == 401
    )
    assert browser.patch("/api/v1/me", json={"title": "x"}).status_code == 401


def test_the_token_decides_who_you_are_whatever_the_cookie_says(app, customer, intruder, as_member):
    browser = as_member(intruder)
    with_token = ApiClient(browser, token_for(app, customer))

    assert with_token.get("/api/v1/me").json["handle"] == "carla"
    created = with_token.post("/api/v1/posts", json={"body": "by token", "visibility": "public"})
    assert created.json["author"]["handle"] == "carla"


def test_a_token_request_needs_no_csrf_token(app, customer):
    assert app.config.get("WTF_CSRF_ENABLED", True)
    carla = ApiClient(app.test_client(), token_for(app, customer))
    answer = carla.post("/api/v1/posts", json={"body": "no csrf", "visibility": "public"})
    assert answer.status_code == 201


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nw_madeup",
        "Bearer ",
        "Bearer",
        "Basic Y2FybGE6cGFzcw==",
        "nw_token",
        "Bearer x" * 50,
    ],
)
def test_a_bad_token_is_401_even_on_public_reads(app, client, customer, header):
    post = make_post(app, customer)
    for path in (
        "/api/v1/me",
        "/api/v1/public",
        f"/api/v1/posts/{post.id}",
        "/api/v1/openapi.json",
    ):
        answer = client.get(path, headers={"Authorization": header})
        assert answer.status_code == 401, path
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_sent_but_invalid_token_is_named_in_the_challenge(client):
    answer = client.get("/api/v1/public", headers={"Authorization": "Bearer nw_madeup"})
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'


def test_a_revoked_token_lets_nobody_in(app, api, customer):
    carla = api(customer)
    assert carla.get("/api/v1/me").status_code == 200
    with app.app_context():
        token = db.session.query(ApiToken).filter_by(member_id=customer.id).one()
        tokens.revoke_api_token(db.session.get(Member, customer.id), token.id)

    assert carla.get("/api/v1/me").status_code == 401


def test_a_suspended_members_token_lets_nobody_in(app, api, customer, admin):
    carla = api(customer)
    with app.app_context():
        members.set_status(db.session.get(Member, admin.id), customer.id, MemberStatus.suspended)

    assert carla.get("/api/v1/me").status_code == 401
    assert carla.get("/api/v1/public").status_code == 401


def test_anonymous_callers_read_exactly_the_public_things(app, api, customer):
    post = make_post(app, customer)
    anonymous = api()

    for path in (
        "/api/v1/public",
        f"/api/v1/posts/{post.id}",
        f"/api/v1/posts/{post.id}/comments",
        f"/api/v1/posts/{post.id}/events",
        "/api/v1/users/carla",
        "/api/v1/openapi.json",
    ):
        assert anonymous.get(path).status_code == 200, path
    for path in ("/api/v1/me", "/api/v1/feed"):
        assert anonymous.get(path).status_code == 401, path


def test_the_api_speaks_the_token_owners_language_not_the_cookies(
    app, api, member_factory, as_member
):
    russian = member_factory(handle="rita", language="ru")
    english = member_factory(handle="eddie", language="en")

    in_russian = api(russian).get("/api/v1/posts/999999")
    browser = as_member(russian)
    in_english = ApiClient(browser, token_for(app, english)).get("/api/v1/posts/999999")

    assert in_russian.json["error"]["message"] == "Здесь ничего нет, или это вам не видно."
    assert (
        in_english.json["error"]["message"] == "There is nothing here, or it is not visible to you."
    )


def test_anonymous_callers_get_their_accept_language(api):
    answer = api().get("/api/v1/posts/999999", headers={"Accept-Language": "ru"})
    assert answer.json["error"]["message"] == "Здесь ничего нет, или это вам не видно."


def test_unknown_api_paths_and_methods_answer_json(api, customer):
    carla = api(customer)

    missing = carla.get("/api/v1/nothing-here")
    wrong_method = carla.client.put(
        "/api/v1/me", headers={"Authorization": f"Bearer {carla.token}"}
    )

    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405
    assert "PATCH" in wrong_method.headers["Allow"]


class TestRateLimit:
    @pytest.fixture
    def app_settings(self):
        return {"RATELIMIT_API": "3 per minute"}

    def test_over_the_limit_is_429_json_with_retry_after(self, api, customer):
        carla = api(customer)
        assert [carla.get("/api/v1/me").status_code for _ in range(3)] == [200] * 3

        limited = carla.get("/api/v1/public")

        assert limited.status_code == 429
        assert limited.json["error"]["code"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) > 0

    def test_each_member_has_their_own_budget_and_anonymous_callers_share_their_address(
        self, api, customer, intruder
    ):
        carla = api(customer)
        for _ in range(3):
            carla.get("/api/v1/me")
        assert carla.get("/api/v1/me").status_code == 429

        assert api(intruder).get("/api/v1/me").status_code == 200
        anonymous = api()
        assert [anonymous.get("/api/v1/public").status_code for _ in range(4)][-1] == 429

    def test_made_up_tokens_count_against_the_address(self, client):
        statuses = [
            client.get(
                "/api/v1/public", headers={"Authorization": f"Bearer nw_guess{n}"}
            ).status_code
            for n in range(4)
        ]
        assert statuses == [401, 401, 401, 429]


def test_every_api_write_refuses_a_cookie_session_without_a_token(app, customer, as_member):
    """The inventory sends POST for every method; here each write gets its real method."""
    browser = as_member(customer)
    writes = [
        (
            method,
            re.sub(r"<(?:int:)?(\w+)>", lambda m: "carla" if m[1] == "handle" else "1", rule.rule),
        )
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}
    ]
    assert len(writes) == 17  # 10 (mail preferences the last), and 7 for case studies
    for method, path in writes:
        answer = browser.open(path, method=method, json={"body": "x", "visibility": "public"})
        assert answer.status_code == 401, (method, path)
        assert answer.headers["WWW-Authenticate"] == 'Bearer realm="api"'
