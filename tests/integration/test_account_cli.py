"""Operator commands for accounts: create-user, set-password, create-token (SEC-05)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from network.accounts.tokens import member_for_api_token
from network.extensions import db
from network.models import Member, MemberStatus, Role
from tests.support.people import PASSWORD, sign_in

COMMON_PASSWORDS = Path(__file__).resolve().parents[2] / "network/data/common-passwords.txt"
NEW_PASSWORD = "a lighthouse keeper in winter"


@pytest.fixture
def password_file(tmp_path: Path):
    """`password_file("text")` -> the path of a file holding that text."""

    def write(text: str) -> Path:
        path = tmp_path / "password.txt"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def stored_member(app: Flask, email: str) -> Member | None:
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.email == email))
        if member is not None:
            db.session.expunge(member)
        return member


def member_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Member.id)))


def can_sign_in(app: Flask, login: str, password: str) -> bool:
    browser = app.test_client()
    return (
        sign_in(browser, login, password).status_code == 302
        and browser.get("/settings").status_code == 200
    )


# create-user -----------------------------------------------------------------------------------


def test_the_operator_creates_a_verified_employee_who_can_sign_in(app, runner, password_file):
    result = runner.invoke(
        args=[
            "create-user",
            "emma@example.com",
            "--handle",
            "emma",
            "--role",
            "employee",
            "--name",
            "Emma Employee",
            "--password-file",
            str(password_file(NEW_PASSWORD + "\n")),
        ]
    )

    assert result.exit_code == 0, result.output
    assert "@emma" in result.output
    assert NEW_PASSWORD not in result.output
    emma = stored_member(app, "emma@example.com")
    assert emma.role == Role.employee
    assert emma.status == MemberStatus.active
    assert emma.email_verified
    assert emma.display_name == "Emma Employee"
    assert can_sign_in(app, "emma@example.com", NEW_PASSWORD)


def test_the_first_line_of_the_file_is_the_password_exactly_as_typed(app, runner, password_file):
    typed = "  spaces around count too  "
    path = password_file(typed + "\nsecond line is ignored\n")

    result = runner.invoke(
        args=[
            "create-user",
            "ada@example.com",
            "--handle",
            "ada",
            "--role",
            "admin",
            "--password-file",
            str(path),
        ]
    )

    assert result.exit_code == 0, result.output
    assert stored_member(app, "ada@example.com").role == Role.admin
    assert can_sign_in(app, "ada", typed)
    assert not can_sign_in(app, "ada", typed.strip())


def a_common_password() -> str:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if len(line) >= 8)


@pytest.mark.parametrize(
    ("email", "handle", "password", "complaint"),
    [
        ("new@example.com", "newbie", a_common_password(), "most common"),
        ("new@example.com", "carla", NEW_PASSWORD, "handle is taken"),
        ("not-an-email", "newbie", NEW_PASSWORD, "valid email address"),
        ("carla@example.com", "newbie", NEW_PASSWORD, "already exists"),
        ("new@example.com", "newbie", "", "is empty"),
    ],
    ids=["common-password", "taken-handle", "bad-email", "taken-email", "empty-file"],
)
def test_create_user_refuses_clearly_and_creates_nothing(
    app, runner, password_file, customer, email, handle, password, complaint
):
    before = member_count(app)

    result = runner.invoke(
        args=[
            "create-user",
            email,
            "--handle",
            handle,
            "--password-file",
            str(password_file(password)),
        ]
    )

    assert result.exit_code != 0
    assert complaint in result.output
    assert "Traceback" not in result.output
    assert member_count(app) == before
    assert stored_member(app, "new@example.com") is None


def test_without_a_file_the_password_is_asked_twice_and_not_shown(app, runner):
    result = runner.invoke(
        args=["create-user", "mona@example.com", "--handle", "mona", "--role", "moderator"],
        input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert NEW_PASSWORD not in result.output
    assert stored_member(app, "mona@example.com").role == Role.moderator
    assert can_sign_in(app, "mona", NEW_PASSWORD)


def test_a_mistyped_confirmation_creates_nobody(app, runner):
    result = runner.invoke(
        args=["create-user", "mona@example.com", "--handle", "mona"],
        input=f"{NEW_PASSWORD}\nsomething else entirely\n",
    )

    assert result.exit_code != 0
    assert stored_member(app, "mona@example.com") is None


# set-password ----------------------------------------------------------------------------------


def test_set_password_changes_it_and_signs_the_member_out_everywhere(
    app, runner, password_file, customer, as_member
):
    carlas_laptop = as_member(customer)
    assert carlas_laptop.get("/settings").status_code == 200

    result = runner.invoke(
        args=["set-password", customer.email, "--password-file", str(password_file(NEW_PASSWORD))]
    )

    assert result.exit_code == 0, result.output
    assert carlas_laptop.get("/settings").status_code == 302
    assert not can_sign_in(app, customer.email, PASSWORD)
    assert can_sign_in(app, customer.email, NEW_PASSWORD)


def test_set_password_refuses_a_common_password_and_keeps_the_old_one(
    app, runner, password_file, customer, as_member
):
    carlas_laptop = as_member(customer)

    result = runner.invoke(
        args=[
            "set-password",
            customer.email,
            "--password-file",
            str(password_file(a_common_password())),
        ]
    )

    assert result.exit_code != 0
    assert "most common" in result.output
    assert carlas_laptop.get("/settings").status_code == 200
    assert can_sign_in(app, customer.email, PASSWORD)


def test_set_password_for_an_unknown_address_fails(runner, password_file):
    result = runner.invoke(
        args=[
            "set-password",
            "nobody@example.com",
            "--password-file",
            str(password_file(NEW_PASSWORD)),
        ]
    )

    assert result.exit_code != 0
    assert "No such member" in result.output


# create-token ----------------------------------------------------------------------------------


def test_create_token_prints_a_token_that_lets_the_member_in(app, runner, employee):
    result = runner.invoke(args=["create-token", employee.email, "--name", "Helpdesk bridge"])

    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    assert raw.startswith("nw_")
    with app.app_context():
        assert member_for_api_token(raw).id == employee.id


def test_create_token_for_an_unknown_address_fails(runner, customer):
    result = runner.invoke(args=["create-token", "nobody@example.com"])

    assert result.exit_code != 0
    assert "no member" in result.output


def test_a_password_file_that_is_not_text_gets_a_clear_message(app, runner, tmp_path):
    binary = tmp_path / "password.bin"
    binary.write_bytes(b"\xff\xfe\x00not utf-8\x9c")
    result = runner.invoke(
        args=[
            "create-user",
            "bin@example.com",
            "--handle",
            "binary",
            "--password-file",
            str(binary),
        ]
    )
    assert result.exit_code == 1
    assert "cannot read" in result.output
