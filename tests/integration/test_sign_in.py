"""Signing in and out (SEC-02, SEC-06, SEC-08)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from network.accounts import passwords
from network.extensions import db
from network.models import Member, SignInEvent
from tests.support.pages import csrf_token
from tests.support.people import PASSWORD, sign_in
from tests.unit.test_urls import HOSTILE


def test_a_member_signs_in_by_email_or_handle_and_sees_their_name(app, customer):
    for login in (customer.email, customer.handle, "@" + customer.handle.upper()):
        browser = app.test_client()
        assert sign_in(browser, login).status_code == 302
        assert "Carla Customer" in browser.get("/", follow_redirects=True).get_data(as_text=True)


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client, customer):
    wrong = sign_in(client, customer.email, password="not my password at all")
    unknown = sign_in(client, "nobody@example.com", password="not my password at all")
    assert wrong.status_code == unknown.status_code == 422
    assert "Wrong email, handle or password." in wrong.get_data(as_text=True)
    assert "Wrong email, handle or password." in unknown.get_data(as_text=True)
    assert client.get("/settings").status_code == 302  # not signed in


def test_sign_in_attempts_are_recorded_for_the_member(app, client, customer):
    sign_in(client, customer.email, password="wrong password here")
    sign_in(client, customer.email)
    with app.app_context():
        events = db.session.scalars(
            select(SignInEvent).where(SignInEvent.member_id == customer.id).order_by(SignInEvent.id)
        ).all()
        assert [event.success for event in events] == [False, True]
        assert events[1].ip == "127.0.0.1"
        assert db.session.get(Member, customer.id).last_login_at is not None
    history = client.get("/settings/sessions").get_data(as_text=True)
    assert "refused" in history and "signed in" in history


@pytest.mark.parametrize("target", [t for t in HOSTILE if t])
def test_next_never_leaves_the_site(client, customer, target):
    page = client.get("/signin", query_string={"next": target}).get_data(as_text=True)
    response = client.post(
        "/signin",
        data={
            "login": customer.email,
            "password": PASSWORD,
            "next": target,
            "csrf_token": csrf_token(page),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_brings_a_member_back_to_the_page_they_wanted(client, customer):
    first = client.get("/settings/sessions")
    assert first.status_code == 302
    assert first.headers["Location"] == "/signin?next=/settings/sessions"
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    response = client.post(
        "/signin",
        data={
            "login": customer.email,
            "password": PASSWORD,
            "next": "/settings/sessions",
            "csrf_token": csrf_token(page),
        },
    )
    assert response.headers["Location"] == "/settings/sessions"


def test_remember_me_lasts_at_most_thirty_days(client, customer):
    response = sign_in(client, customer.email, remember=True)
    remember = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token")]
    assert remember, "a remember-me cookie is set"
    assert "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]
    from datetime import UTC, datetime, timedelta
    from email.utils import parsedate_to_datetime

    expires = parsedate_to_datetime(remember[0].split("Expires=")[1].split(";")[0])
    assert expires - datetime.now(UTC) <= timedelta(days=30, minutes=1)


def test_without_remember_me_no_lasting_cookie_is_set(client, customer):
    response = sign_in(client, customer.email)
    assert not any(h.startswith("remember_token") for h in response.headers.getlist("Set-Cookie"))


def test_the_hash_is_renewed_when_the_parameters_change(app, client, customer):
    app.config["ARGON2_TIME_COST"] = 2
    assert sign_in(client, customer.email).status_code == 302
    with app.app_context():
        renewed = db.session.get(Member, customer.id).password_hash
        assert "t=2" in renewed
        assert not passwords.needs_rehash(renewed)


def test_sign_out_needs_post_and_a_token(client, customer):
    sign_in(client, customer.email)
    assert client.get("/signout").status_code == 405
    assert client.post("/signout").status_code == 400  # no CSRF token
    assert client.get("/settings").status_code == 200  # still signed in
