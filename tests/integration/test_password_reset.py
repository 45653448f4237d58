"""SEC-04: password reset links are random, single-use, short-lived, and reveal nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from network.extensions import db
from network.models import Member, OneTimeToken, utcnow
from tests.support.pages import csrf_token
from tests.support.people import post_form, sign_in


def ask_for_reset(client, email):
    return post_form(client, "/reset", {"email": email}, token_from="/reset")


def choose(client, path, password):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={"password": password, "csrf_token": token})


def without_token(html: str) -> str:
    return html.replace(csrf_token(html), "") if "csrf_token" in html else html


def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, customer, outbox):
    known = ask_for_reset(client, customer.email)
    unknown = ask_for_reset(client, "nobody@example.com")
    invalid = ask_for_reset(client, "not an address")
    assert known.status_code == unknown.status_code == invalid.status_code == 200
    assert without_token(known.get_data(as_text=True)) == without_token(
        unknown.get_data(as_text=True)
    )
    assert [message["to"] for message in outbox] == [customer.email]


def test_a_reset_link_sets_a_new_password_once_and_ends_sessions(
    app, client, customer, outbox, as_member
):
    from tests.support.people import link_in

    old_browser = as_member(customer)
    ask_for_reset(client, customer.email)
    path = link_in(outbox[0])
    assert path.startswith("/reset/")

    response = choose(client, path, "my fresh passphrase")
    assert response.status_code == 302
    assert old_browser.get("/settings").status_code == 302
    assert sign_in(app.test_client(), customer.email, "my fresh passphrase").status_code == 302

    again = client.get(path)
    assert again.status_code == 404
    assert "no longer valid" in again.get_data(as_text=True)


def test_a_refused_password_does_not_spend_the_link(client, customer, outbox):
    from tests.support.people import link_in

    ask_for_reset(client, customer.email)
    path = link_in(outbox[0])
    refused = choose(client, path, "short")
    assert refused.status_code == 422
    assert "at least 8" in refused.get_data(as_text=True)
    assert choose(client, path, "a good long passphrase").status_code == 302


def test_an_expired_link_is_refused(app, client, customer, outbox):
    from tests.support.people import link_in

    ask_for_reset(client, customer.email)
    with app.app_context():
        db.session.execute(update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get(link_in(outbox[0])).status_code == 404


def test_reset_links_expire_within_the_hour_and_are_stored_hashed(app, client, customer, outbox):
    from tests.support.people import link_in

    ask_for_reset(client, customer.email)
    raw = link_in(outbox[0]).rsplit("/", 1)[1]
    assert len(raw) >= 40  # 256 random bits
    with app.app_context():
        token = db.session.query(OneTimeToken).one()
        assert raw not in (token.token_hash, token.email)
        assert token.expires_at - token.created_at <= timedelta(hours=1)


def test_a_suspended_member_gets_no_reset_mail(app, client, member_factory, outbox):
    from network.models import MemberStatus

    suspended = member_factory(status=MemberStatus.suspended)
    ask_for_reset(client, suspended.email)
    assert outbox == []
    with app.app_context():
        assert db.session.get(Member, suspended.id).status == MemberStatus.suspended
