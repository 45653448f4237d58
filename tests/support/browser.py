"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying to reach outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium absent: {CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """`new_page(locale="ru-RU")` opens a page in a fresh context (its own cookies)."""
    contexts: list[Any] = []

    def open_page(**context_options: Any) -> Any:
        context = browser.new_context(**context_options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# People on a live server (real gunicorn), made with the operator's command ---------------------

PASSWORD = "a long and quiet river"


def create_member(
    server: Any, tmp_path: Any, handle: str, name: str, role: str = "customer", email: str = ""
) -> None:
    """`flask create-user` against the server's database, with PASSWORD."""
    from tests.support.servers import flask_command

    secret = tmp_path / f"{handle}.pw"
    secret.write_text(PASSWORD + "\n")
    made = flask_command(
        server.env,
        "create-user",
        email or f"{handle}@example.com",
        "--handle",
        handle,
        "--name",
        name,
        "--role",
        role,
        "--password-file",
        str(secret),
    )
    assert made.returncode == 0, made.stderr


def sign_in(page: Any, server: Any, login: str) -> None:
    page.goto(server.url + "/signin")
    page.get_by_label("Email or handle").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def signed_in(new_page: Any, server: Any, handle: str) -> Any:
    """A new English page signed in as handle (waits until the sign-in landed)."""
    from playwright.sync_api import expect

    page = new_page(locale="en-US")
    sign_in(page, server, handle)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page
