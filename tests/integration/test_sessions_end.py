"""SEC-07: sessions that really end, copied cookies and remember-me cookies included."""

from __future__ import annotations

import re

from network.extensions import db
from network.models import Member, MemberSession
from tests.support.pages import csrf_token
from tests.support.people import PASSWORD, post_form, sign_in


def copy_of(app, browser, *names):
    """A second browser holding copies of the named cookies (what a thief would take)."""
    thief = app.test_client()
    for name in names:
        cookie = browser.get_cookie(name)
        assert cookie is not None, f"no {name} cookie to copy"
        thief.set_cookie(name, cookie.value)
    return thief


def signed_in(browser) -> bool:
    return browser.get("/settings").status_code == 200


def test_a_copied_session_cookie_dies_at_sign_out(app, client, customer):
    sign_in(client, customer.email)
    thief = copy_of(app, client, "session")
    assert signed_in(thief)

    post_form(client, "/signout")
    assert not signed_in(client)
    assert not signed_in(thief)


def test_a_remember_me_cookie_dies_at_sign_out(app, client, customer):
    sign_in(client, customer.email, remember=True)
    thief = copy_of(app, client, "remember_token")  # no session cookie: restored from remember-me
    assert signed_in(thief)

    post_form(client, "/signout")
    assert not signed_in(thief)


def test_a_password_change_ends_every_other_session(app, customer, as_member):
    laptop, phone = as_member(customer), as_member(customer, remember=True)
    phone_remember = copy_of(app, phone, "remember_token")
    response = post_form(
        laptop,
        "/settings/password",
        {"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        token_from="/settings",
    )
    assert response.status_code == 302
    assert signed_in(laptop)  # the browser that changed it stays in
    assert not signed_in(phone)
    assert not signed_in(phone_remember)
    assert sign_in(app.test_client(), customer.email, "a brand new passphrase").status_code == 302


def test_a_wrong_current_password_changes_nothing(app, customer, as_member):
    laptop, phone = as_member(customer), as_member(customer)
    response = post_form(
        laptop,
        "/settings/password",
        {"current_password": "not the password", "new_password": "a brand new passphrase"},
        token_from="/settings",
    )
    assert response.status_code == 422
    assert "The current password is wrong." in response.get_data(as_text=True)
    assert signed_in(phone)


def test_suspension_deactivation_and_role_change_end_sessions(app, customer, admin, as_member):
    from network.accounts import members
    from network.models import MemberStatus, Role

    for change in (
        lambda actor: members.set_role(actor, customer.id, Role.employee),
        lambda actor: members.set_status(actor, customer.id, MemberStatus.suspended),
    ):
        browser = as_member(customer)
        with app.app_context():
            change(db.session.get(Member, admin.id))
        assert not signed_in(browser)
        with app.app_context():
            members.set_status(db.session.get(Member, admin.id), customer.id, MemberStatus.active)
    browser = as_member(customer)
    with app.app_context():
        members.set_status(db.session.get(Member, admin.id), customer.id, MemberStatus.deactivated)
    assert not signed_in(browser)


def test_the_sessions_page_lists_devices_and_ends_one(app, customer, as_member):
    laptop = as_member(customer)
    phone = app.test_client()
    token = csrf_token(phone.get("/signin").get_data(as_text=True))
    phone.post(
        "/signin",
        data={"login": customer.email, "password": PASSWORD, "csrf_token": token},
        headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1"},
    )
    page = laptop.get("/settings/sessions").get_data(as_text=True)
    assert "this device" in page
    assert "Safari on iPhone" in page
    with app.app_context():
        rows = db.session.query(MemberSession).filter_by(member_id=customer.id).all()
        phone_row = next(row for row in rows if "iPhone" in (row.user_agent or ""))
    assert re.search(rf"/settings/sessions/{phone_row.id}/end", page)

    assert post_form(laptop, f"/settings/sessions/{phone_row.id}/end").status_code == 302
    assert not signed_in(phone)
    assert signed_in(laptop)


def test_an_intruder_cannot_end_someone_elses_session(app, customer, intruder, as_member):
    victim = as_member(customer)
    with app.app_context():
        row = db.session.query(MemberSession).filter_by(member_id=customer.id).one()
    attacker = as_member(intruder)
    assert post_form(attacker, f"/settings/sessions/{row.id}/end").status_code == 404
    assert signed_in(victim)


def test_ending_other_sessions_keeps_this_one(customer, as_member):
    here, there, elsewhere = as_member(customer), as_member(customer), as_member(customer)
    response = post_form(here, "/settings/sessions/end-others")
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(there) and not signed_in(elsewhere)


def test_sign_out_everywhere_ends_this_session_too(app, customer, as_member):
    here, there = as_member(customer), as_member(customer)
    with app.app_context():
        before = db.session.get(Member, customer.id).session_version
    assert post_form(here, "/settings/sessions/end-all").status_code == 302
    assert not signed_in(here) and not signed_in(there)
    with app.app_context():
        assert db.session.get(Member, customer.id).session_version == before + 1
