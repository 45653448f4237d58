"""SEC-40, SEC-41, SEC-06: headers and cookies on every kind of response."""

from __future__ import annotations

import pytest

from network.web.headers import CONTENT_SECURITY_POLICY


def directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


def test_the_policy_allows_scripts_only_from_this_origin():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("path", ["/", "/no-such-page", "/static/css/site.css", "/healthz"])
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain http here
    assert len(response.headers["X-Request-ID"]) >= 8


def test_a_proxy_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/", headers={"X-Request-ID": "edge-1234abcd"})
    assert kept.headers["X-Request-ID"] == "edge-1234abcd"
    replaced = client.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert replaced.headers["X-Request-ID"] != "<script>alert(1)</script>"
    assert replaced.headers["X-Request-ID"].isalnum()


def test_the_session_cookie_is_httponly_and_lax(client):
    client.get("/")  # the language form's CSRF token starts a session
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure


class TestOverHttps:
    @pytest.fixture
    def app_settings(self):
        return {"PUBLIC_URL": "https://community.example.com"}

    def test_hsts_and_secure_cookies(self, client):
        response = client.get("/", base_url="https://community.example.com")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        set_cookie = response.headers["Set-Cookie"]
        assert "Secure" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
