"""Joining: sign-up, email verification and the password rules (SEC-01, SEC-02)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from network.accounts import passwords
from network.exceptions import Invalid
from network.extensions import db
from network.models import Member, MemberStatus, Role
from tests.support.pages import csrf_token, unlabelled_controls
from tests.support.people import link_in

# The list the app itself ships (network/data; its source and licence are in the README there).
COMMON_PASSWORDS = Path(__file__).resolve().parents[2] / "network/data/common-passwords.txt"


def sign_up(client, **fields):
    token = csrf_token(client.get("/signup").get_data(as_text=True))
    data = {
        "email": "nina@example.com",
        "handle": "nina",
        "display_name": "Nina Novak",
        "password": "a long and quiet river",
        **fields,
        "csrf_token": token,
    }
    return client.post("/signup", data=data)


def stored(app, handle="nina") -> Member | None:
    with app.app_context():
        return db.session.scalar(select(Member).where(Member.handle == handle))


def test_a_visitor_joins_is_signed_in_and_confirms_the_address(app, client, outbox):
    form = client.get("/signup").get_data(as_text=True)
    assert unlabelled_controls(form) == []

    response = sign_up(client)
    assert response.status_code == 302
    member = stored(app)
    assert member.role == Role.customer and member.status == MemberStatus.active
    assert member.email_verified is False
    assert member.password_hash.startswith("$argon2id$")
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Nina Novak" in page and "Please confirm your email address" in page

    [message] = outbox
    assert message["to"] == "nina@example.com"
    assert client.get(link_in(message)).status_code == 302
    assert stored(app).email_verified is True
    # The link works once
    again = client.get(link_in(message), follow_redirects=True)
    assert "no longer valid" in again.get_data(as_text=True)


def test_the_verification_link_goes_to_the_log_without_smtp(app, client, caplog):
    import logging

    mail_logger = logging.getLogger("network.mail")
    mail_logger.addHandler(caplog.handler)
    try:
        sign_up(client)
    finally:
        mail_logger.removeHandler(caplog.handler)
    assert any("/verify/" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": "short"}, "at least 8"),
        ({"password": "x" * 129}, "at most 128"),
        ({"password": "password1"}, "most common"),
        ({"password": "Qwertyuiop"}, "most common"),  # compared without case
        ({"email": "not-an-address"}, "valid email"),
        ({"handle": "no spaces"}, "Latin letters"),
        ({"handle": "ab"}, "Latin letters"),
        ({"handle": "admin"}, "reserved"),
        ({"display_name": "Evil\u202eName"}, "invisible or control"),
        ({"display_name": "   "}, "This field is required"),
    ],
)
def test_bad_fields_are_refused_with_the_text_kept(app, client, fields, message):
    response = sign_up(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert stored(app) is None
    kept = {**{"email": "nina@example.com", "handle": "nina"}, **fields}
    if "email" not in fields:
        assert f'value="{kept["email"]}"' in page
    assert not re.search(r'type="password" value="[^"]', page)  # passwords are never echoed


def test_taken_addresses_and_handles_are_refused(app, client, customer):
    taken_email = sign_up(client, email=customer.email.upper())
    assert taken_email.status_code == 422
    assert "already exists" in taken_email.get_data(as_text=True)
    taken_handle = sign_up(client, handle=customer.handle.upper())
    assert taken_handle.status_code == 422
    assert "taken" in taken_handle.get_data(as_text=True)


def test_a_password_counts_exactly_as_typed(app, client):
    spaced = "  padded with spaces  "
    assert sign_up(client, password=spaced).status_code == 302
    client.post(
        "/signout",
        data={"csrf_token": csrf_token(client.get("/", follow_redirects=True).get_data(True))},
    )
    from tests.support.people import sign_in

    assert sign_in(client, "nina", password=spaced.strip()).status_code == 422
    assert sign_in(client, "nina", password=spaced).status_code == 302


def test_every_common_password_is_refused(app):
    with app.app_context():
        for line in COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines():
            with pytest.raises(Invalid):
                passwords.check_policy(line)
        passwords.check_policy("a" * 128)  # the longest allowed
        passwords.check_policy("пароль на русском языке")  # any script


def test_hashes_are_argon2id_with_the_configured_cost(app):
    with app.app_context():
        hashed = passwords.hash_password("a long and quiet river")
        assert hashed.startswith("$argon2id$v=19$m=8,t=1,p=1$")
        assert passwords.verify_password(hashed, "a long and quiet river")
        assert not passwords.verify_password(hashed, "a long and quiet river ")
        app.config["ARGON2_TIME_COST"] = 2
        assert passwords.needs_rehash(hashed)


def test_a_signed_in_member_is_sent_home_from_the_sign_up_page(as_member, customer):
    browser = as_member(customer)
    assert browser.get("/signup").status_code == 302


def test_the_address_is_stored_and_mailed_in_its_normal_form(app, client, outbox):
    assert sign_up(client, email="  Nina@EXAMPLE.com ").status_code == 302
    assert stored(app).email == "nina@example.com"
    assert outbox[0]["to"] == "nina@example.com"
    client.get(link_in(outbox[0]))
    assert stored(app).email_verified
