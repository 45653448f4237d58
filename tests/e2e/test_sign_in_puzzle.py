"""Issue 16, item 4 in Chromium: while an intruder guesses at the admin's handle, the admin
signs in from a browser she never used, because the sign-in page's script solves the puzzle.

Real gunicorn with the production settings: ten failures before the delay, 16-bit proofs.
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from network.accounts import proof
from tests.support.browser import PASSWORD, create_member
from tests.support.pages import csrf_token, parse

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def intruder_guesses(server, handle: str, guesses: int, *, solving: bool = False) -> list[int]:
    """Guesses through the form; a solving intruder also pays for the puzzle on each 429."""
    session = requests.Session()
    answers = []
    for n in range(guesses):
        data = {"login": handle, "password": f"guess {n}"}
        answer = _send(session, server, data)
        if solving and answer.status_code == 429:
            challenge = hidden_value(answer.text, "proof")
            nonce = proof.solve(proof.Challenge(challenge, proof.DEFAULT_BITS))
            answer = _send(session, server, {**data, "proof": challenge, "proof_nonce": nonce})
        answers.append(answer.status_code)
    return answers


def _send(session, server, data: dict[str, str]):
    token = csrf_token(session.get(server.url + "/signin", timeout=10).text)
    return session.post(
        server.url + "/signin",
        data={**data, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )


def hidden_value(html: str, name: str) -> str:
    return next(
        field.get("value") or "" for field in parse(html).inputs if field.get("name") == name
    )


def test_the_admin_gets_in_from_a_new_browser_while_her_handle_is_attacked(
    gunicorn_server, new_page, tmp_path
):
    server = gunicorn_server()
    create_member(server, tmp_path, "adam", "Adam Admin", role="admin")
    assert intruder_guesses(server, "adam", 11) == [422] * 10 + [429]
    # He pays for five more guesses: the next one now waits a minute.
    assert intruder_guesses(server, "adam", 5, solving=True) == [422] * 5

    # Without JavaScript she is told how long to wait.
    plain = new_page(locale="en-US", java_script_enabled=False)
    plain.goto(server.url + "/signin")
    plain.get_by_label("Email or handle").fill("adam")
    plain.get_by_label("Password").fill(PASSWORD)
    plain.get_by_role("button", name="Sign in").click()
    expect(
        plain.get_by_text(re.compile(r"Please wait \d+ seconds? and sign in again"))
    ).to_be_visible()

    # With it, the page solves the puzzle and her right password gets her in at once.
    page = new_page(locale="en-US")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url + "/signin")
    page.get_by_label("Email or handle").fill("adam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Too many failed sign-ins for this account")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    assert errors == []
    # The intruder is still slowed down.
    assert intruder_guesses(server, "adam", 1) == [429]
