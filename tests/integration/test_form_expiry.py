"""SEC-06 on the real forms: an expired CSRF token keeps the person's text and saves nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from network.extensions import db
from network.models import Member


def test_sign_up_with_an_expired_form_keeps_the_text(app, client):
    client.get("/signup")  # the session exists; the token on the page is lost
    response = client.post(
        "/signup",
        data={
            "email": "nina@example.com",
            "handle": "nina",
            "display_name": "Nina Novak",
            "password": "a long and quiet river",
            "csrf_token": "stale",
        },
        headers={"Accept-Language": "ru"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ваш текст сохранён ниже" in page
    assert 'value="nina@example.com"' in page and 'value="Nina Novak"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Member.id))) == 0
