"""Personal API tokens on /settings/tokens: shown once, stored hashed, revocable (SEC-11)."""

from __future__ import annotations

import hashlib
import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from network.accounts import members
from network.accounts.tokens import member_for_api_token
from network.extensions import db
from network.models import ApiToken, Member, MemberStatus
from tests.support.people import post_form

TOKEN_IN_PAGE = re.compile(r'value="(nw_[A-Za-z0-9_-]+)"')


def create_token(browser, name: str):
    return post_form(browser, "/settings/tokens", {"name": name}, token_from="/settings/tokens")


def raw_token_in(response) -> str:
    found = TOKEN_IN_PAGE.search(response.get_data(as_text=True))
    assert found, "the answer shows no new token"
    return found.group(1)


def stored_token(app: Flask, member: Member) -> ApiToken:
    with app.app_context():
        token = db.session.scalars(select(ApiToken).where(ApiToken.member_id == member.id)).one()
        db.session.expunge(token)
        return token


def holder_of(app: Flask, raw: str | None) -> int | None:
    """The id of the member the token lets in, or None."""
    with app.app_context():
        member = member_for_api_token(raw)
        return None if member is None else member.id


def token_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ApiToken.id)))


def test_a_new_token_is_shown_once_then_only_by_name_and_prefix(app, customer, as_member):
    browser = as_member(customer)

    created = create_token(browser, "Invoice robot")

    assert created.status_code == 200
    raw = raw_token_in(created)
    assert raw.startswith("nw_")
    later = browser.get("/settings/tokens").get_data(as_text=True)
    assert raw not in later
    assert "Invoice robot" in later
    assert raw[:10] in later


def test_the_database_keeps_only_a_sha256_of_the_token(app, customer, as_member):
    raw = raw_token_in(create_token(as_member(customer), "Invoice robot"))

    token = stored_token(app, customer)

    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    for column in ApiToken.__table__.columns:
        assert raw not in str(getattr(token, column.key)), column.key


def test_the_token_lets_its_owner_in_until_revoked(app, customer, as_member):
    browser = as_member(customer)
    raw = raw_token_in(create_token(browser, "Invoice robot"))
    assert holder_of(app, raw) == customer.id
    token = stored_token(app, customer)

    revoked = post_form(
        browser, f"/settings/tokens/{token.id}/revoke", token_from="/settings/tokens"
    )

    assert revoked.status_code == 302
    assert holder_of(app, raw) is None
    assert "Invoice robot" not in browser.get("/settings/tokens").get_data(as_text=True)


def test_a_suspended_members_token_stops_working(app, customer, moderator, as_member):
    raw = raw_token_in(create_token(as_member(customer), "Invoice robot"))

    with app.app_context():
        actor = db.session.get(Member, moderator.id)
        members.set_status(actor, customer.id, MemberStatus.suspended)

    assert holder_of(app, raw) is None


def test_an_intruder_cannot_revoke_someone_elses_token(app, customer, intruder, as_member):
    raw = raw_token_in(create_token(as_member(customer), "Invoice robot"))
    token = stored_token(app, customer)
    ivan = as_member(intruder)

    answer = post_form(ivan, f"/settings/tokens/{token.id}/revoke", token_from="/settings/tokens")

    assert answer.status_code == 404
    assert holder_of(app, raw) == customer.id
    assert stored_token(app, customer).revoked_at is None


LONG_NAME = ("Nightly invoice export to the accounting system " * 5)[:200]


@pytest.mark.parametrize("name", ["", "   ", LONG_NAME], ids=["empty", "blank", "200-chars"])
def test_a_token_needs_a_short_name_and_the_typed_name_is_kept(app, customer, as_member, name):
    answer = create_token(as_member(customer), name)

    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="name-error"' in page
    assert f'value="{name}"' in page
    assert not TOKEN_IN_PAGE.search(page)
    assert token_count(app) == 0


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "nw_",
        "nw_not-a-token-anyone-was-given",
        "xx_" + "a" * 43,
        "Bearer nw_abc",
        "nw_" + "a" * 10_000,
        "b" * 10_000,
    ],
    ids=["none", "empty", "bare-prefix", "unknown", "wrong-prefix", "bearer-word", "long", "huge"],
)
def test_a_made_up_token_lets_nobody_in(app, customer, raw):
    assert holder_of(app, raw) is None


def test_a_real_token_with_its_prefix_changed_lets_nobody_in(app, customer, as_member):
    raw = raw_token_in(create_token(as_member(customer), "Invoice robot"))

    assert holder_of(app, "xx_" + raw[3:]) is None
    assert holder_of(app, raw + "x") is None
    assert holder_of(app, raw) == customer.id
