"""A newcomer's whole first visit in Chromium: join, confirm, sign out, sign in, go Russian."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def link_from_log(server, kind: str, timeout: float = 10.0) -> str:
    """The newest mailed link, which the server logs when no SMTP is configured."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.findall(rf"https?://[^/\s|]+(/{kind}/[A-Za-z0-9_-]+)", server.log())
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no /{kind}/ link in the server log")


def test_join_confirm_sign_out_sign_in_and_switch_to_russian(gunicorn_server, new_page):
    server = gunicorn_server()
    page = new_page(locale="en-US")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(server.url + "/")
    page.get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_label("Handle").fill("nina")
    page.get_by_label("Name").fill("Nina Novak")
    page.get_by_label("Password").fill("a long and quiet river")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("link", name="Nina Novak").is_visible()
    assert page.get_by_text("Please confirm your email address").is_visible()

    page.goto(server.url + link_from_log(server, "verify"))
    assert page.get_by_text("Your email address is confirmed.").is_visible()
    assert page.get_by_text("confirmed", exact=True).is_visible()

    page.get_by_role("button", name="Sign out").click()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Sign in").is_visible()

    nav.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email or handle").fill("nina")
    page.get_by_label("Password").fill("a long and quiet river")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("link", name="Nina Novak").is_visible()

    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("button", name="Выйти").is_visible()
    assert page.locator("h1").inner_text() == "Ваша лента"  # the member's home feed
    assert errors == []
