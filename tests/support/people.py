"""The cast: members built by a factory, and browsers signed in as them.

def test_story(customer, employee, as_member):
    browser = as_member(customer)
    ...
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from network.accounts import passwords
from network.database import write_transaction
from network.extensions import db
from network.models import Member, MemberStatus, Role
from tests.support.pages import csrf_token

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_member(
    *,
    role: Role = Role.customer,
    status: MemberStatus = MemberStatus.active,
    handle: str | None = None,
    email: str | None = None,
    display_name: str | None = None,
    email_verified: bool = True,
    password: str = PASSWORD,
    language: str | None = None,
) -> Member:
    """Insert a member directly (inside an app context); returns it, detached-safe."""
    number = next(_numbers)
    handle = handle or f"{role.value}_{number}"
    with write_transaction() as session:
        member = Member(
            email=email or f"{handle}@example.com",
            handle=handle,
            display_name=display_name or f"{role.value.title()} {number}",
            password_hash=passwords.hash_password(password),
            role=role,
            status=status,
            email_verified=email_verified,
            language=language,
        )
        session.add(member)
    db.session.refresh(member)
    return member


@pytest.fixture
def member_factory(app: Flask) -> Callable[..., Member]:
    def build(**fields: Any) -> Member:
        with app.app_context():
            member = make_member(**fields)
            db.session.expunge(member)
            return member

    return build


@pytest.fixture
def customer(member_factory):
    return member_factory(role=Role.customer, handle="carla", display_name="Carla Customer")


@pytest.fixture
def intruder(member_factory):
    return member_factory(role=Role.customer, handle="ivan", display_name="Ivan Intruder")


@pytest.fixture
def employee(member_factory):
    return member_factory(role=Role.employee, handle="emma", display_name="Emma Employee")


@pytest.fixture
def moderator(member_factory):
    return member_factory(role=Role.moderator, handle="mona", display_name="Mona Moderator")


@pytest.fixture
def admin(member_factory):
    return member_factory(role=Role.admin, handle="adam", display_name="Adam Admin")


def sign_in(client, login: str, password: str = PASSWORD, remember: bool = False):
    """Sign in through the real form, as a person would; returns the response."""
    token = csrf_token(client.get("/signin").get_data(as_text=True))
    data = {"login": login, "password": password, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    return client.post("/signin", data=data)


@pytest.fixture
def as_member(app: Flask):
    """`as_member(member)` -> a fresh test client signed in as that member."""

    def open_browser(member: Member, remember: bool = False):
        browser = app.test_client()
        response = sign_in(browser, member.email, remember=remember)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return browser

    return open_browser


def post_form(client, path: str, data: dict[str, Any] | None = None, *, token_from: str = "/"):
    """POST with a CSRF token read from a page, as the browser would."""
    token = csrf_token(client.get(token_from, follow_redirects=True).get_data(as_text=True))
    return client.post(path, data={**(data or {}), "csrf_token": token})


@pytest.fixture
def outbox(app: Flask):
    """Every message the app sends during the test: dicts with to, subject, body."""
    from network.mail import message_sent

    messages: list[dict[str, str]] = []

    def record(sender, **message):
        messages.append(message)

    message_sent.connect(record, app)
    yield messages
    message_sent.disconnect(record, app)


def link_in(message: dict[str, str]) -> str:
    """The path of the first link to this server in a message (http://localhost/...)."""
    import re

    found = re.search(r"https?://[^/\s]+(/\S+)", message["body"])
    assert found, f"no link in {message['body']!r}"
    return found.group(1)
