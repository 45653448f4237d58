"""In Chromium: an admin invites an employee, who joins through the link and answers as staff."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.servers import flask_command

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long and quiet river"


def test_an_invited_employee_joins_with_the_staff_badge(gunicorn_server, new_page, tmp_path: Path):
    server = gunicorn_server(NETWORK_REGISTRATION="invite")
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    made = flask_command(
        server.env,
        "create-user",
        "olga@example.com",
        "--handle",
        "olga",
        "--role",
        "admin",
        "--name",
        "Olga Owner",
        "--password-file",
        str(secret),
    )
    assert made.returncode == 0, made.stderr

    admin = new_page(locale="en-US")
    admin.goto(server.url + "/signin")
    admin.get_by_label("Email or handle").fill("olga")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.get_by_role("link", name="Admin").click()
    admin.get_by_role("link", name="Invitations").click()
    admin.get_by_label("Joins as").select_option("employee")
    admin.get_by_label("Note (for you)").fill("Support team")
    admin.get_by_role("button", name="Create link").click()
    link = admin.get_by_role("textbox", name="Link").input_value()
    assert "/signup?invite=" in link

    newcomer = new_page(locale="en-US")
    newcomer.goto(server.url + "/signup")  # without the link: invitation needed
    assert newcomer.get_by_text("Joining this community needs an invitation").is_visible()
    newcomer.goto(link)
    assert newcomer.get_by_text("You were invited: you join as employee.").is_visible()
    newcomer.get_by_label("Email").fill("sam@example.com")
    newcomer.get_by_label("Handle").fill("sam")
    newcomer.get_by_label("Name").fill("Sam Support")
    newcomer.get_by_label("Password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Create account").click()
    newcomer.get_by_role("link", name="Sam Support").click()
    assert newcomer.locator(".badge-staff, .staff-badge").first.is_visible()

    admin.reload()
    assert "Used 1 of 1" in admin.content()
    assert "Sam Support" in admin.content()
