"""SEC-03: sign-in, sign-up and password reset are rate-limited per IP and per account.

The limits are tightened here so a handful of requests trips them; the production
values live in network/config.py.  A limited request answers 429 with Retry-After,
and the limit lifts when its window ends: nobody is locked out for good.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask

from network.extensions import db
from network.models import Member
from tests.support.pages import csrf_token
from tests.support.people import PASSWORD

TIGHT_LIMITS = {
    "RATELIMIT_SIGN_IN_IP": "3 per minute",
    "RATELIMIT_SIGN_IN_ACCOUNT": "3 per minute",
    "RATELIMIT_SIGN_UP_IP": "3 per minute",
    "RATELIMIT_MAIL_IP": "3 per minute",
    "RATELIMIT_MAIL_ACCOUNT": "2 per minute",
}
WRONG_PASSWORD = "not the right password"


@pytest.fixture
def app_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    # A test may ask for other limits with indirect parametrization.
    return getattr(request, "param", TIGHT_LIMITS)


def submit(browser, path: str, data: dict[str, str], ip: str = "127.0.0.1"):
    """Fetch the form and send it from one address, as a person behind that address would."""
    address = {"REMOTE_ADDR": ip}
    token = csrf_token(browser.get(path, environ_base=address).get_data(as_text=True))
    return browser.post(path, data={**data, "csrf_token": token}, environ_base=address)


def try_sign_in(browser, login: str, password: str = WRONG_PASSWORD, ip: str = "127.0.0.1"):
    return submit(browser, "/signin", {"login": login, "password": password}, ip)


def is_signed_in(browser) -> bool:
    return browser.get("/settings").status_code == 200


def assert_too_many_requests(response) -> None:
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many requests" in response.get_data(as_text=True)


def assert_account_slowed_down(response) -> None:
    # The per-account limit delays guesses (tests/integration/test_sign_in_lockout.py).
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins for this account" in response.get_data(as_text=True)


# Sign-in ---------------------------------------------------------------------------------------


def test_guessing_from_one_address_is_stopped_whatever_account_it_aims_at(
    client, customer, employee, moderator, admin
):
    # One address tries three different accounts: each try counts against the address.
    for member in (customer, employee, moderator):
        assert try_sign_in(client, member.email, ip="10.0.0.1").status_code == 422

    assert_too_many_requests(try_sign_in(client, admin.email, ip="10.0.0.1"))


def test_a_limited_address_cannot_sign_in_even_with_the_right_password(client, customer):
    for _ in range(3):
        try_sign_in(client, "nobody@example.com", ip="10.0.0.1")

    response = try_sign_in(client, customer.email, PASSWORD, ip="10.0.0.1")

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_the_address_limit_does_not_hold_back_other_addresses(app: Flask, client, customer):
    for _ in range(3):
        try_sign_in(client, "nobody@example.com", ip="10.0.0.1")
    assert try_sign_in(client, "nobody@example.com", ip="10.0.0.1").status_code == 429

    neighbour = app.test_client()
    assert try_sign_in(neighbour, customer.email, PASSWORD, ip="10.0.0.2").status_code == 302
    assert is_signed_in(neighbour)


def test_guessing_one_account_from_many_addresses_is_stopped(app: Flask, customer, employee):
    # An attacker spreads guesses at Carla's account over many addresses.
    attacker = app.test_client()
    for n in (1, 2, 3):
        assert try_sign_in(attacker, customer.email, ip=f"10.0.0.{n}").status_code == 422

    assert_account_slowed_down(try_sign_in(attacker, customer.email, ip="10.0.0.4"))
    # Even Carla's own password is held back for now from a fresh address (without a proof).
    carla = app.test_client()
    response = try_sign_in(carla, customer.email, PASSWORD, ip="10.0.0.5")
    assert response.status_code == 429
    assert not is_signed_in(carla)

    # Emma signs in from one of the very same addresses: her account is not blocked.
    emma = app.test_client()
    assert try_sign_in(emma, employee.email, PASSWORD, ip="10.0.0.1").status_code == 302
    assert is_signed_in(emma)


def test_every_way_of_naming_one_account_counts_against_that_account(app: Flask, customer):
    # Email, handle and "@handle" all sign in to Carla's account, so they share its limit.
    attacker = app.test_client()
    names = ["carla", "@carla", customer.email, "@@carla"]
    answers = [
        try_sign_in(attacker, name, ip=f"10.0.1.{n}").status_code
        for n, name in enumerate(names, start=1)
    ]

    assert answers == [422, 422, 422, 429]


def test_opening_the_sign_in_page_is_never_limited(client, customer):
    for _ in range(10):
        assert client.get("/signin").status_code == 200
    for _ in range(3):
        try_sign_in(client, customer.email)
    assert try_sign_in(client, customer.email).status_code == 429

    page = client.get("/signin")

    assert page.status_code == 200
    assert csrf_token(page.get_data(as_text=True))


@pytest.mark.parametrize(
    "app_settings",
    [{**TIGHT_LIMITS, "RATELIMIT_SIGN_IN_IP": "2 per 1 second"}],
    indirect=True,
)
def test_the_limit_lifts_when_its_window_ends(client, customer):
    for _ in range(2):
        try_sign_in(client, "nobody@example.com")
    assert try_sign_in(client, customer.email, PASSWORD).status_code == 429

    time.sleep(1.1)  # the window is one second long

    assert try_sign_in(client, customer.email, PASSWORD).status_code == 302
    assert is_signed_in(client)


# Sign-up ---------------------------------------------------------------------------------------


def sign_up(app: Flask, handle: str, ip: str):
    browser = app.test_client()
    data = {
        "email": f"{handle}@example.com",
        "handle": handle,
        "display_name": handle.title(),
        "password": PASSWORD,
    }
    return submit(browser, "/signup", data, ip)


def account_exists(app: Flask, handle: str) -> bool:
    with app.app_context():
        return db.session.query(Member.id).filter_by(handle=handle).first() is not None


def test_sign_ups_from_one_address_are_limited(app: Flask):
    for handle in ("anna", "boris", "clara"):
        assert sign_up(app, handle, ip="10.0.2.1").status_code == 302

    response = sign_up(app, "dmitri", ip="10.0.2.1")

    assert_too_many_requests(response)
    assert not account_exists(app, "dmitri")
    # Someone at another address can still join.
    assert sign_up(app, "elena", ip="10.0.2.2").status_code == 302
    assert account_exists(app, "elena")


# Password reset --------------------------------------------------------------------------------


def ask_for_reset(browser, email: str, ip: str = "127.0.0.1"):
    return submit(browser, "/reset", {"email": email}, ip)


def test_reset_requests_from_one_address_are_limited(
    client, outbox, customer, employee, moderator, admin
):
    for member in (customer, employee, moderator):
        assert ask_for_reset(client, member.email, ip="10.0.3.1").status_code == 200
    assert len(outbox) == 3

    assert_too_many_requests(ask_for_reset(client, admin.email, ip="10.0.3.1"))
    assert [message["to"] for message in outbox] == [
        customer.email,
        employee.email,
        moderator.email,
    ]


def test_nobody_can_flood_one_inbox_with_reset_mail(app: Flask, outbox, customer, employee):
    attacker = app.test_client()
    for n in (1, 2):
        assert ask_for_reset(attacker, customer.email, ip=f"10.0.4.{n}").status_code == 200

    assert_too_many_requests(ask_for_reset(attacker, customer.email, ip="10.0.4.3"))
    assert [message["to"] for message in outbox] == [customer.email, customer.email]

    # Emma's own reset from one of the same addresses still goes out.
    emma = app.test_client()
    assert ask_for_reset(emma, employee.email, ip="10.0.4.1").status_code == 200
    assert outbox[-1]["to"] == employee.email


def test_every_spelling_of_one_address_counts_against_that_account(app: Flask, outbox, customer):
    # "ｅxample.com" (a full-width e) is the same domain once normalized: the mail reaches
    # Carla's inbox, so it must count against Carla's limit too.
    attacker = app.test_client()
    spellings = [customer.email, "carla@ｅxample.com", "carla@exａmple.com"]
    answers = [
        ask_for_reset(attacker, spelling, ip=f"10.0.5.{n}").status_code
        for n, spelling in enumerate(spellings, start=1)
    ]

    assert answers == [200, 200, 429]
    assert [message["to"] for message in outbox] == [customer.email, customer.email]
