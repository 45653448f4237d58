"""API tokens end on a date the member chooses (issue 16, item 2: one liveness rule).

An expired token is refused by the API, at a socket's connect and at its next
event, exactly like a revoked one; the settings page says when each one ends.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from network.accounts import tokens
from network.database import write_transaction
from network.exceptions import Invalid
from network.extensions import db, socketio
from network.models import ApiToken, Member, utcnow
from tests.support.content import make_post
from tests.support.people import post_form


def fresh(member):
    return db.session.get(Member, member.id)


def expire(app, token_id: int) -> None:
    with app.app_context(), write_transaction() as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )


def test_the_settings_form_offers_lifetimes_and_ninety_days_first(customer, as_member):
    browser = as_member(customer)
    page = browser.get("/settings/tokens").get_data(as_text=True)
    assert re.search(r'<option selected value="90">|<option value="90" selected>', page)
    made = post_form(
        browser,
        "/settings/tokens",
        {"name": "crm", "lifetime": "30"},
        token_from="/settings/tokens",
    )
    assert made.status_code == 200
    with browser.application.app_context():
        token = db.session.query(ApiToken).filter_by(name="crm").one()
        days = (token.expires_at - token.created_at).total_seconds() / 86400
        assert 29.99 < days < 30.01
    assert "works until" in browser.get("/settings/tokens").get_data(as_text=True)


def test_a_token_may_work_until_revoked(app, customer, as_member):
    browser = as_member(customer)
    post_form(
        browser,
        "/settings/tokens",
        {"name": "forever", "lifetime": "never"},
        token_from="/settings/tokens",
    )
    with app.app_context():
        assert db.session.query(ApiToken).filter_by(name="forever").one().expires_at is None
    assert "works until revoked" in browser.get("/settings/tokens").get_data(as_text=True)


@pytest.mark.parametrize("lifetime", ["3", "-1", "forever", "9" * 40])
def test_an_odd_lifetime_is_refused_and_the_form_kept(customer, as_member, lifetime):
    browser = as_member(customer)
    refused = post_form(
        browser,
        "/settings/tokens",
        {"name": "odd one", "lifetime": lifetime},
        token_from="/settings/tokens",
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Choose how long the token works." in body and 'value="odd one"' in body
    with browser.application.app_context():
        assert db.session.query(ApiToken).filter_by(name="odd one").count() == 0


def test_the_service_knows_only_its_lifetimes():
    assert tokens.token_lifetime("7") == timedelta(days=7)
    assert tokens.token_lifetime(None) is None
    with pytest.raises(Invalid):
        tokens.token_lifetime(8)


def test_an_expired_token_is_refused_by_the_api(app, client, customer):
    with app.app_context():
        token, raw = tokens.create_api_token(fresh(customer), "bot", timedelta(days=7))
        token_id = token.id
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    expire(app, token_id)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_an_expired_token_ends_its_socket_at_the_next_event(app, customer):
    with app.app_context():
        token, raw = tokens.create_api_token(fresh(customer), "bot", timedelta(days=7))
        token_id = token.id
    post = make_post(app, customer)
    bot = socketio.test_client(app, auth={"token": raw})
    assert bot.is_connected()
    expire(app, token_id)
    ack = bot.emit("comment", {"post_id": post.id, "body": "still here?"}, callback=True)
    assert ack["error"]["code"] == "unauthorized"
    assert not bot.is_connected()
    assert not socketio.test_client(app, auth={"token": raw}).is_connected()


def test_expired_tokens_do_not_count_against_the_limit(app, customer, monkeypatch):
    monkeypatch.setattr(tokens, "MAX_TOKENS_PER_MEMBER", 1)
    with app.app_context():
        old, _raw = tokens.create_api_token(fresh(customer), "old", timedelta(days=7))
        old_id = old.id
        with pytest.raises(Invalid):
            tokens.create_api_token(fresh(customer), "second")
    expire(app, old_id)
    with app.app_context():
        assert tokens.create_api_token(fresh(customer), "second")[0].id != old_id


def test_the_command_line_sets_a_lifetime(app, runner, customer):
    made = runner.invoke(args=["create-token", customer.email, "--name", "cron", "--days", "365"])
    assert made.exit_code == 0, made.output
    with app.app_context():
        token = db.session.query(ApiToken).filter_by(name="cron").one()
        assert 364 < (token.expires_at - token.created_at).days <= 365
    refused = runner.invoke(args=["create-token", customer.email, "--days", "12"])
    assert refused.exit_code != 0
