"""Invitations by mail: admins and staff send a link to an address (issue 20, item 2)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from network.extensions import db
from network.models import AuditEvent, Invitation, OutboxMessage
from tests.support.community import configure
from tests.support.people import post_form


def queued(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def invite(browser, page: str, email: str, **fields: str):
    data = {"role": "customer", "days": "7", "max_uses": "1", "email": email, **fields}
    return post_form(browser, page, data, token_from=page)


def test_an_admin_mails_an_invitation_that_lets_the_reader_join(app, admin, as_member, client):
    response = invite(as_member(admin), "/admin/invitations", "Nina@Example.com", role="employee")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The invitation was sent to nina@example.com." in page
    (mail,) = queued(app)
    assert (mail.recipient, mail.kind, mail.member_id) == ("nina@example.com", "invitation", None)
    assert "Adam Admin invites you" in mail.subject
    link = re.search(r"http://localhost(/signup\?invite=\S+)", mail.text).group(1)
    assert link.replace("&amp;", "&") in page.replace("&amp;", "&")  # the same link, shown once
    assert "List-Unsubscribe" not in mail.headers  # not optional: nothing to unsubscribe from
    # the link works: the reader joins as an employee
    from tests.integration.test_joining import join, member

    join(client, link[len("/signup") :], email="nina@example.com")
    assert member(app).role.value == "employee"
    with app.app_context():
        audit = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "invitation_created")
        )
        assert str(audit.detail["mailed"]) == "True"
        assert "nina" not in str(audit.detail)  # the address is not kept in the log


def test_staff_mail_invitations_from_their_page(app, employee, as_member):
    configure(app, employees_may_invite=True)
    response = invite(as_member(employee), "/invitations", "friend@example.org")
    assert response.status_code == 200
    assert [(m.recipient, m.kind) for m in queued(app)] == [("friend@example.org", "invitation")]


def test_without_an_address_no_mail_is_sent(app, admin, as_member):
    response = invite(as_member(admin), "/admin/invitations", "")
    assert response.status_code == 200
    assert queued(app) == []
    assert "was sent to" not in response.get_data(as_text=True)


def test_a_bad_address_is_refused_and_nothing_is_made(app, admin, as_member):
    response = invite(as_member(admin), "/admin/invitations", "not an address")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a valid email address." in page and 'value="not an address"' in page
    assert queued(app) == []
    with app.app_context():
        assert db.session.scalars(select(Invitation)).all() == []


def test_the_form_needs_its_csrf_token(app, admin, as_member):
    browser = as_member(admin)
    response = browser.post(
        "/admin/invitations",
        data={"role": "customer", "days": "7", "max_uses": "1", "email": "x@example.com"},
    )
    assert response.status_code in (400, 422)
    assert queued(app) == []


def test_the_mail_speaks_russian_page_and_all(app, admin, as_member):
    browser = as_member(admin)
    page = browser.get("/admin/invitations", headers={"Accept-Language": "ru"})
    assert "Отправить по почте на адрес (необязательно)" in page.get_data(as_text=True)


class TestTheRateLimit:
    @pytest.fixture
    def app_settings(self):
        return {"RATELIMIT_INVITE_MAIL": "2 per hour"}

    def test_mailing_invitations_is_limited_per_sender(self, app, admin, as_member):
        browser = as_member(admin)
        for number in range(2):
            assert (
                invite(browser, "/admin/invitations", f"p{number}@example.com").status_code == 200
            )
        refused = invite(browser, "/admin/invitations", "p3@example.com")
        assert refused.status_code == 429 and refused.headers.get("Retry-After")
        assert len(queued(app)) == 2
        # a link without mail is still made
        assert invite(browser, "/admin/invitations", "").status_code == 200
