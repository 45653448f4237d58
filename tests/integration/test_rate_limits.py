"""SEC-03 groundwork: Flask-Limiter is wired, answers 429 with Retry-After, JSON under /api."""

from __future__ import annotations

import pytest

from network.extensions import limiter


@pytest.fixture
def limited_app(app):
    @app.get("/limited")
    @limiter.limit("2 per minute")
    def limited():
        return "ok"

    @app.get("/api/v1/limited")
    @limiter.limit("2 per minute")
    def api_limited():
        return {"ok": True}

    return app


def test_a_page_over_its_limit_gets_429_with_retry_after(limited_app):
    client = limited_app.test_client()
    assert [client.get("/limited").status_code for _ in range(2)] == [200, 200]
    response = client.get("/limited", headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    page = response.get_data(as_text=True)
    assert "Too many requests" in page
    assert "Please wait" in page


def test_the_wait_is_counted_in_russian_plural_forms(limited_app):
    client = limited_app.test_client()
    for _ in range(2):
        client.get("/limited")
    page = client.get("/limited", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Подождите" in page
    assert any(word in page for word in ("секунду", "секунды", "секунд"))


def test_the_api_gets_a_json_429(limited_app):
    client = limited_app.test_client()
    for _ in range(2):
        client.get("/api/v1/limited")
    response = client.get("/api/v1/limited")
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["X-RateLimit-Limit"] == "2"
