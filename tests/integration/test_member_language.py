"""A member's language: chosen once, kept in the account, stronger than the browser's."""

from __future__ import annotations

from network.extensions import db
from network.models import Member
from tests.support.people import post_form


def test_the_switch_stores_the_language_in_the_account(app, customer, as_member):
    browser = as_member(customer)
    post_form(browser, "/language", {"language": "ru", "next": "/"})
    with app.app_context():
        assert db.session.get(Member, customer.id).language == "ru"
    # Another device, an English browser: still Russian, because the account says so
    other = as_member(customer)
    other.delete_cookie("lang")
    page = other.get("/feed", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in page


def test_a_member_without_a_choice_follows_the_browser(customer, as_member):
    page = (
        as_member(customer).get("/feed", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    )
    assert '<html lang="ru">' in page


def test_mail_speaks_the_members_language(app, client, outbox):
    from tests.support.pages import csrf_token

    page = client.get("/signup", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    client.post(
        "/signup",
        data={
            "email": "olga@example.com",
            "handle": "olga",
            "display_name": "Ольга",
            "password": "длинная фраза пароля",
            "csrf_token": csrf_token(page),
        },
        headers={"Accept-Language": "ru"},
    )
    [message] = outbox
    assert message["subject"] == "Подтвердите адрес электронной почты"
