"""Issue 16, item 4: nobody can keep a chosen member out by guessing her password (SEC-03).

An intruder who guesses at the admin's public handle only slows down guesses from
browsers the account does not know: the admin still signs in from a browser that
signed in before (its device cookie), or from a new one after it solves a small
proof of work; she hears of the attack once; the per-address limit still holds.
Limits are tightened so a few guesses trip them; production values are in
network/config.py and network/accounts/throttle.py.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pytest
import requests
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from network.accounts import devices, proof
from network.extensions import db, socketio
from network.models import Notification, NotificationKind
from tests.conftest import TEST_SECRET
from tests.support.browser import PASSWORD as BROWSER_PASSWORD
from tests.support.browser import create_member
from tests.support.pages import csrf_token, parse
from tests.support.people import PASSWORD, post_form

WRONG_PASSWORD = "not the right password"
FREE_FAILURES = 3
BITS = 12  # the browser's puzzle, made small so the tests solve it at once


@pytest.fixture
def app_settings() -> dict[str, Any]:
    return {
        "RATELIMIT_SIGN_IN_ACCOUNT": f"{FREE_FAILURES} per minute",
        "SIGN_IN_PROOF_BITS": BITS,
        "SIGN_IN_NOTICE_AFTER": FREE_FAILURES,
        "SIGN_IN_DEVICE_FAILURES": 3,
    }


def hidden_value(html: str, name: str) -> str:
    for field in parse(html).inputs:
        if field.get("name") == name:
            return field.get("value") or ""
    return ""


def attempt(
    browser, login: str, password: str = WRONG_PASSWORD, *, ip: str = "10.9.0.1", **extra: str
):
    """Open the sign-in page and send the form from one address, as a person would."""
    address = {"REMOTE_ADDR": ip}
    token = csrf_token(browser.get("/signin", environ_base=address).get_data(as_text=True))
    data = {"login": login, "password": password, "csrf_token": token, **extra}
    return browser.post("/signin", data=data, environ_base=address)


def solved(response) -> dict[str, str]:
    """What the sign-in page's script sends: the page's challenge and a nonce that solves it."""
    html = response.get_data(as_text=True)
    challenge = hidden_value(html, "proof")
    assert challenge, "a slowed-down sign-in page carries a challenge"
    return {"proof": challenge, "proof_nonce": proof.solve(proof.Challenge(challenge, BITS))}


def guess_until_slowed(app: Flask, login: str, guesses: int = FREE_FAILURES + 5) -> list[int]:
    """An intruder guesses from many addresses (so the per-address limit never bites)."""
    intruder = app.test_client()
    return [
        attempt(intruder, login, ip=f"10.66.{n // 250}.{n % 250}").status_code
        for n in range(guesses)
    ]


def guess_hard(app: Flask, login: str, guesses: int = FREE_FAILURES + 5) -> None:
    """An intruder who also solves every puzzle, so each guess counts and the wait grows.

    After the default guesses the next one waits a minute: long enough for a test's
    next steps to happen inside it on a slow machine.
    """
    intruder = app.test_client()
    for n in range(guesses):
        ip = f"10.67.{n // 250}.{n % 250}"
        response = attempt(intruder, login, ip=ip)
        if response.status_code == 429:
            response = attempt(intruder, login, ip=ip, **solved(response))
        assert response.status_code == 422


def is_signed_in(browser) -> bool:
    return browser.get("/settings").status_code == 200


def sign_out(browser) -> None:
    assert post_form(browser, "/signout").status_code == 302
    assert not is_signed_in(browser)


def known_browser(app: Flask, member) -> Any:
    """A browser the member signed in with before (so it holds her device cookie), signed out."""
    browser = app.test_client()
    assert attempt(browser, member.email, PASSWORD, ip="10.1.1.1").status_code == 302
    assert browser.get_cookie(devices.COOKIE_NAME) is not None
    sign_out(browser)
    return browser


def notices(app: Flask, member) -> list[Notification]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notification).where(
                    Notification.member_id == member.id,
                    Notification.kind == NotificationKind.failed_sign_in,
                )
            )
        )


# The attack ------------------------------------------------------------------------------------


def test_guessing_at_the_admins_handle_slows_guesses_down_instead_of_locking_her_out(
    app: Flask, admin
):
    answers = guess_until_slowed(app, admin.handle)

    assert answers[:FREE_FAILURES] == [422] * FREE_FAILURES
    assert set(answers[FREE_FAILURES:]) == {429}
    # Her own password from a browser she never used waits too (no device cookie, no proof)...
    stranger_browser = app.test_client()
    response = attempt(stranger_browser, admin.handle, PASSWORD, ip="10.1.2.3")
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= 2
    assert response.mimetype == "text/html"
    # The page says the header's wait (2 s, or 1 s when the machine was slow to get here).
    assert f"Please wait {wait} second" in response.get_data(as_text=True)
    assert not is_signed_in(stranger_browser)

    # ... but only for a moment: when the wait is over the right password works (no JavaScript).
    time.sleep(int(response.headers["Retry-After"]) + 0.1)
    assert attempt(stranger_browser, admin.handle, PASSWORD, ip="10.1.2.3").status_code == 302
    assert is_signed_in(stranger_browser)


def test_the_admin_signs_in_from_her_own_browser_while_the_attack_goes_on(app: Flask, admin):
    her_laptop = known_browser(app, admin)

    guess_until_slowed(app, admin.handle, guesses=20)

    assert attempt(her_laptop, admin.handle, PASSWORD, ip="10.1.1.1").status_code == 302
    assert is_signed_in(her_laptop)


def test_the_admin_signs_in_from_a_new_browser_after_it_solves_the_puzzle(app: Flask, admin):
    guess_hard(app, admin.handle)
    new_phone = app.test_client()

    slowed = attempt(new_phone, admin.handle, PASSWORD, ip="10.1.3.1")
    assert slowed.status_code == 429
    page = slowed.get_data(as_text=True)
    assert f'data-proof-bits="{BITS}"' in page
    assert "js/sign_in_proof.js" in page

    response = attempt(new_phone, admin.handle, PASSWORD, ip="10.1.3.1", **solved(slowed))

    assert response.status_code == 302
    assert is_signed_in(new_phone)


def test_each_wrong_guess_doubles_the_wait_up_to_its_cap(app: Flask, admin):
    app.config["SIGN_IN_DELAY_CAP_SECONDS"] = 16
    guess_until_slowed(app, admin.handle, guesses=FREE_FAILURES)
    intruder = app.test_client()
    waits = []
    for n in range(6):
        slowed = attempt(intruder, admin.handle, ip=f"10.77.0.{n}")
        assert slowed.status_code == 429
        waits.append(int(slowed.headers["Retry-After"]))
        # Solving the puzzle buys one guess now, and the guess still counts.
        assert (
            attempt(intruder, admin.handle, ip=f"10.77.0.{n}", **solved(slowed)).status_code == 422
        )

    assert waits == [2, 4, 8, 16, 16, 16]


def test_a_russian_speaker_is_told_the_wait_in_russian(app: Flask, admin):
    guess_until_slowed(app, admin.handle, guesses=FREE_FAILURES)
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"

    response = attempt(browser, admin.handle, PASSWORD)

    assert response.status_code == 429
    page = response.get_data(as_text=True)
    seconds = int(response.headers["Retry-After"])
    assert f"Подождите {seconds} {'секунду' if seconds == 1 else 'секунды'} и войдите снова" in page
    assert "Ваш браузер решает небольшую задачу" in page


def test_a_name_that_is_no_account_is_slowed_down_alike(app: Flask, admin):
    # Otherwise the answers would tell an intruder which handles exist.
    assert guess_until_slowed(app, "nobody-here") == guess_until_slowed(app, admin.handle)


# Proofs ----------------------------------------------------------------------------------------


def test_a_wrong_or_foreign_proof_does_not_get_past_the_wait(app: Flask, admin, customer):
    guess_hard(app, admin.handle)
    guess_hard(app, customer.handle)
    intruder = app.test_client()
    slowed = attempt(intruder, admin.handle, PASSWORD)
    proof_for_admin = solved(slowed)
    wrong_nonce = {**proof_for_admin, "proof_nonce": "x"}
    not_solved = next(
        {**proof_for_admin, "proof_nonce": str(n)}
        for n in range(1000)
        if not proof.solves(proof_for_admin["proof"], str(n), BITS)
    )
    for_carla = solved(attempt(intruder, customer.handle))
    forged = URLSafeTimedSerializer("another secret of the right length, 32+", salt="sign-in-proof")
    forged_challenge = forged.dumps({"a": "member:1", "r": "x", "b": BITS})
    forged_proof = {"proof": forged_challenge, "proof_nonce": ""}
    forged_proof["proof_nonce"] = proof.solve(proof.Challenge(forged_challenge, BITS))
    easy = URLSafeTimedSerializer(TEST_SECRET, salt="sign-in-proof").dumps(
        {"a": f"member:{admin.id}", "r": "easy", "b": 0}
    )

    for wrong in (
        wrong_nonce,
        not_solved,
        for_carla,
        forged_proof,
        {"proof": easy, "proof_nonce": "0"},  # a difficulty the server did not set
    ):
        response = attempt(intruder, admin.handle, PASSWORD, **wrong)
        assert response.status_code == 429, wrong
        assert not is_signed_in(intruder)
    # An oversized one is an invalid field, refused before any work.
    assert attempt(intruder, admin.handle, PASSWORD, proof="x" * 500).status_code == 422
    assert not is_signed_in(intruder)

    # The genuine one still works: the refusals did not spend it.
    assert attempt(intruder, admin.handle, PASSWORD, **proof_for_admin).status_code == 302


def test_a_solved_challenge_is_good_once(app: Flask, admin):
    guess_hard(app, admin.handle)
    intruder = app.test_client()
    one_proof = solved(attempt(intruder, admin.handle))

    assert attempt(intruder, admin.handle, **one_proof).status_code == 422
    replayed = attempt(intruder, admin.handle, PASSWORD, **one_proof)

    assert replayed.status_code == 429
    assert not is_signed_in(intruder)


def test_an_expired_challenge_is_refused(app: Flask, admin):
    guess_hard(app, admin.handle)

    class LongAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - proof.LIFETIME_SECONDS - 5

    old = URLSafeTimedSerializer(TEST_SECRET, salt="sign-in-proof", signer=LongAgo).dumps(
        {"a": f"member:{admin.id}", "r": "old", "b": BITS}
    )
    nonce = proof.solve(proof.Challenge(old, BITS))

    response = attempt(app.test_client(), admin.handle, PASSWORD, proof=old, proof_nonce=nonce)

    assert response.status_code == 429


# Device cookies --------------------------------------------------------------------------------


def test_a_forged_or_borrowed_device_cookie_does_not_help(app: Flask, admin, intruder):
    # Ivan signs in to his own account, so his browser holds a genuine device cookie: his.
    ivans_browser = known_browser(app, intruder)
    ivan_id, nonce, _signature = ivans_browser.get_cookie(devices.COOKIE_NAME).value.split(".")
    assert int(ivan_id) == intruder.id
    guess_hard(app, admin.handle)

    cookies = [
        None,  # his own cookie, as it is
        f"{admin.id}.{nonce}.{_signature}",  # relabelled as the admin's
        f"{admin.id}.{nonce}.{'0' * 64}",  # made up
        f"{admin.id}.{nonce}",  # cut short
        "x" * 300,
    ]
    for value in cookies:
        if value is not None:
            ivans_browser.set_cookie(devices.COOKIE_NAME, value)
        response = attempt(ivans_browser, admin.handle, PASSWORD, ip="10.1.1.1")
        assert response.status_code == 429, value
        assert not is_signed_in(ivans_browser)


def test_a_device_cookie_that_keeps_failing_is_locked_itself(app: Flask, admin):
    her_laptop = known_browser(app, admin)
    guess_hard(app, admin.handle)

    # Someone at her laptop guesses: her cookie lets them try, but only three times an hour.
    assert [attempt(her_laptop, admin.handle, ip="10.1.1.1").status_code for _ in range(3)] == [
        422,
        422,
        422,
    ]
    response = attempt(her_laptop, admin.handle, PASSWORD, ip="10.1.1.1")

    assert response.status_code == 429
    # The way in for a person is still open: the puzzle.
    assert (
        attempt(her_laptop, admin.handle, PASSWORD, ip="10.1.1.1", **solved(response)).status_code
        == 302
    )


def test_the_device_cookie_is_signed_private_and_long_lived(app: Flask, customer):
    browser = app.test_client()
    response = attempt(browser, customer.email, PASSWORD)

    header = next(
        value
        for value in response.headers.getlist("Set-Cookie")
        if value.startswith(f"{devices.COOKIE_NAME}=")
    )
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert f"Max-Age={devices.LIFETIME_SECONDS}" in header
    assert "Secure" not in header  # the test server is plain http
    member_id, nonce, signature = browser.get_cookie(devices.COOKIE_NAME).value.split(".")
    assert int(member_id) == customer.id and len(nonce) >= 16 and len(signature) == 64


@pytest.mark.parametrize("app_settings", [{"PUBLIC_URL": "https://community.example"}])
def test_the_device_cookie_is_secure_on_an_https_site(app: Flask, customer):
    response = attempt(app.test_client(), customer.email, PASSWORD)

    header = next(
        value
        for value in response.headers.getlist("Set-Cookie")
        if value.startswith(f"{devices.COOKIE_NAME}=")
    )
    assert "Secure" in header


# The address limit stays -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "app_settings",
    [{"RATELIMIT_SIGN_IN_IP": "4 per minute", "SIGN_IN_PROOF_BITS": BITS}],
)
def test_the_per_address_limit_still_answers_429_whatever_the_cookie_or_proof(app: Flask, admin):
    her_laptop = known_browser(app, admin)  # one request from 10.1.1.1
    for _ in range(3):
        attempt(her_laptop, "nobody@example.com", ip="10.1.1.1")

    response = attempt(her_laptop, admin.handle, PASSWORD, ip="10.1.1.1")

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many requests" in response.get_data(as_text=True)
    assert not is_signed_in(her_laptop)


# Telling the member ----------------------------------------------------------------------------


@pytest.mark.both_databases
@pytest.mark.parametrize(
    "app_settings",
    [
        {
            "RATELIMIT_SIGN_IN_ACCOUNT": f"{FREE_FAILURES} per minute",
            "SIGN_IN_NOTICE_AFTER": FREE_FAILURES,
            "SIGN_IN_PROOF_BITS": BITS,
            # A mail server that is not there: the message is composed and its failure logged.
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": 9,
            "SMTP_SECURITY": "none",
        }
    ],
)
def test_the_admin_hears_of_the_attack_once_without_the_guesses(app: Flask, admin, outbox):
    her_laptop = known_browser(app, admin)
    guessed = [f"guess-number-{n}" for n in range(12)]
    intruder = app.test_client()
    for n, guess in enumerate(guessed):
        slowed = attempt(intruder, admin.handle, guess, ip=f"10.88.0.{n}")
        if slowed.status_code == 429:  # he solves every puzzle, so every guess is checked
            attempt(intruder, admin.handle, guess, ip=f"10.88.0.{n}", **solved(slowed))

    stored = notices(app, admin)
    assert len(stored) == 1
    assert stored[0].attempts == FREE_FAILURES
    mails = [message for message in outbox if message["to"] == admin.email]
    assert len(mails) == 1
    assert "3 times" in mails[0]["body"]
    assert "/settings/sessions" in mails[0]["body"]
    assert not any(guess in mails[0]["body"] for guess in guessed)

    assert attempt(her_laptop, admin.handle, PASSWORD, ip="10.1.1.1").status_code == 302
    page = her_laptop.get("/notifications").get_data(as_text=True)
    assert "3 failed attempts to sign in to your account" in page
    assert 'href="/settings/sessions"' in page
    assert not any(guess in page for guess in guessed)


def test_the_notice_reaches_her_open_tab_at_once(app: Flask, admin, intruder, as_member):
    her_tab = socketio.test_client(app, flask_test_client=as_member(admin))
    ivans_tab = socketio.test_client(app, flask_test_client=as_member(intruder))

    guess_until_slowed(app, admin.handle, guesses=FREE_FAILURES)

    pushed = [m["args"][0] for m in her_tab.get_received() if m["name"] == "notification"]
    assert [(item["kind"], item["url"]) for item in pushed] == [
        ("failed_sign_in", "/settings/sessions")
    ]
    assert pushed[0]["text"].startswith("3 failed attempts to sign in to your account")
    assert [m for m in ivans_tab.get_received() if m["name"] == "notification"] == []


def test_a_few_typos_tell_nobody_anything(app: Flask, customer):
    for _ in range(FREE_FAILURES - 1):
        attempt(app.test_client(), customer.email)

    assert notices(app, customer) == []


def test_the_admin_can_mark_the_notice_read(app: Flask, admin):
    her_laptop = known_browser(app, admin)
    guess_until_slowed(app, admin.handle, guesses=FREE_FAILURES)
    assert attempt(her_laptop, admin.handle, PASSWORD, ip="10.1.1.1").status_code == 302
    browser = her_laptop
    assert notices(app, admin)[0].read_at is None

    assert (
        post_form(browser, "/notifications/read/sign-ins", token_from="/notifications").status_code
        == 302
    )

    assert all(notice.read_at is not None for notice in notices(app, admin))


# Several processes: the counters in Redis ------------------------------------------------------

REDIS_URL = os.environ.get("NETWORK_TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="NETWORK_TEST_REDIS_URL is not set")
@pytest.mark.parametrize(
    "app_settings",
    [
        {
            "RATELIMIT_STORAGE_URI": REDIS_URL or "memory://",
            "RATELIMIT_SIGN_IN_ACCOUNT": f"{FREE_FAILURES} per minute",
            "SIGN_IN_PROOF_BITS": BITS,
        }
    ],
)
def test_with_the_counters_in_redis_the_attack_still_only_slows_strangers(app: Flask, admin):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's own database number
    her_laptop = known_browser(app, admin)

    guess_hard(app, admin.handle)

    new_phone = app.test_client()
    slowed = attempt(new_phone, admin.handle, PASSWORD, ip="10.1.3.1")
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) > 30  # eight failures: the wait has grown
    one_proof = solved(slowed)
    assert attempt(new_phone, admin.handle, PASSWORD, ip="10.1.3.1", **one_proof).status_code == 302
    replay = app.test_client()
    assert attempt(replay, admin.handle, PASSWORD, **one_proof).status_code == 429
    assert attempt(her_laptop, admin.handle, PASSWORD, ip="10.1.1.1").status_code == 302


# Real gunicorn processes -----------------------------------------------------------------------


def form_post(server, session: requests.Session, login: str, password: str) -> requests.Response:
    token = csrf_token(session.get(server.url + "/signin", timeout=10).text)
    return session.post(
        server.url + "/signin",
        data={"login": login, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )


@pytest.mark.slow
def test_guesses_sent_at_once_get_one_turn_between_them(gunicorn_server, tmp_path):
    server = gunicorn_server()
    create_member(server, tmp_path, "adam", "Adam Admin", role="admin")
    for n in range(10):  # the production allowance
        assert form_post(server, requests.Session(), "adam", f"guess {n}").status_code == 422
    time.sleep(2.2)  # the first wait (2 s) is over: exactly one next turn is free

    # Eight guesses ready to go, each with its own form token, sent in the same moment.
    sessions = [requests.Session() for _ in range(8)]
    tokens = [csrf_token(s.get(server.url + "/signin", timeout=10).text) for s in sessions]
    start = threading.Barrier(len(sessions))
    answers: list[int] = []

    def guess(session: requests.Session, token: str, n: int) -> None:
        start.wait()
        answer = session.post(
            server.url + "/signin",
            data={"login": "adam", "password": f"again {n}", "csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        answers.append(answer.status_code)

    threads = [
        threading.Thread(target=guess, args=(s, t, n))
        for n, (s, t) in enumerate(zip(sessions, tokens, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [422] + [429] * 7


@pytest.mark.slow
@pytest.mark.skipif(not REDIS_URL, reason="NETWORK_TEST_REDIS_URL is not set")
def test_two_processes_slow_the_same_account_and_know_the_same_devices(gunicorn_server, tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's own database number
    shared = {"NETWORK_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite'}"}
    one = gunicorn_server(NETWORK_REDIS_URL=REDIS_URL, **shared)
    other = gunicorn_server(NETWORK_REDIS_URL=REDIS_URL, **shared)
    create_member(one, tmp_path, "adam", "Adam Admin", role="admin")
    signed_in = requests.Session()
    assert form_post(one, signed_in, "adam", BROWSER_PASSWORD).status_code == 302
    # Later, signed out: only the device cookie is left in her browser.
    her_laptop = requests.Session()
    her_laptop.cookies.set(devices.COOKIE_NAME, signed_in.cookies.get(devices.COOKIE_NAME))

    for n in range(10):  # guesses spread over both processes
        server = one if n % 2 else other
        assert form_post(server, requests.Session(), "adam", f"guess {n}").status_code == 422

    stranger = form_post(other, requests.Session(), "adam", BROWSER_PASSWORD)
    assert stranger.status_code == 429
    assert int(stranger.headers["Retry-After"]) > 0
    assert form_post(other, her_laptop, "adam", BROWSER_PASSWORD).status_code == 302
