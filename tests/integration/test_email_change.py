"""Changing the email address: re-verified before it counts."""

from __future__ import annotations

from network.extensions import db
from network.models import Member
from tests.support.people import PASSWORD, link_in, post_form


def change_email(browser, new_email, password=PASSWORD):
    return post_form(
        browser,
        "/settings/email",
        {"new_email": new_email, "current_password": password},
        token_from="/settings",
    )


def test_the_address_changes_only_when_the_new_one_is_confirmed(app, customer, as_member, outbox):
    browser = as_member(customer)
    assert change_email(browser, "carla.new@example.com").status_code == 302
    with app.app_context():
        assert db.session.get(Member, customer.id).email == customer.email
    [message] = outbox
    assert message["to"] == "carla.new@example.com"

    browser.get(link_in(message))
    with app.app_context():
        member = db.session.get(Member, customer.id)
        assert member.email == "carla.new@example.com"
        assert member.email_verified


def test_it_needs_the_current_password(customer, as_member, outbox):
    response = change_email(as_member(customer), "carla.new@example.com", "wrong password")
    assert response.status_code == 422
    assert "The current password is wrong." in response.get_data(as_text=True)
    assert outbox == []


def test_a_taken_address_is_refused(customer, intruder, as_member, outbox):
    response = change_email(as_member(customer), intruder.email)
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert outbox == []


def test_an_address_taken_meanwhile_is_refused_at_confirmation(
    app, customer, as_member, member_factory, outbox
):
    browser = as_member(customer)
    change_email(browser, "wanted@example.com")
    member_factory(email="wanted@example.com", handle="quick")
    response = browser.get(link_in(outbox[0]), follow_redirects=True)
    assert "already exists" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Member, customer.id).email == customer.email
