"""The welcome page in a real browser: strict CSP holds, languages switch, keyboard works."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(gunicorn_server):
    return gunicorn_server()


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_a_visitor_sees_the_welcome_page_without_csp_or_script_errors(server, new_page):
    page = new_page(locale="en-US")
    problems = watch_console(page)
    page.goto(server.url + "/")
    assert page.locator("h1").inner_text() == "Welcome to the community"
    # site.js ran under the strict CSP: it read the JSON catalogue block
    assert page.evaluate("window.networkI18n('dismiss')") == "Dismiss"
    assert problems == []


def test_a_russian_browser_gets_russian_and_can_switch_to_english(server, new_page):
    page = new_page(locale="ru-RU")
    page.goto(server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Добро пожаловать" in page.locator("h1").inner_text()

    page.get_by_label("Язык").select_option("en")
    page.get_by_role("button", name="Сменить").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Welcome to the community"


def test_the_skip_link_is_the_first_stop_for_keyboard_users(server, new_page):
    page = new_page()
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0


def test_the_layout_fits_a_phone(server, new_page):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(server.url + "/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
