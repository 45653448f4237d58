"""Joining: registration modes, invitations, personal links, staff by company domain (issue 4)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from network.extensions import db
from network.models import Invitation, Member, MemberStatus, Role, utcnow
from tests.support.community import configure, invitation
from tests.support.pages import csrf_token
from tests.support.people import link_in


def join(client, query: str = "", **fields):
    page = client.get(f"/signup{query}").get_data(as_text=True)
    data = {
        "email": "nina@example.com",
        "handle": "nina",
        "display_name": "Nina Novak",
        "password": "a long and quiet river",
        "csrf_token": csrf_token(page),
    }
    for name in ("invite", "ref"):
        marker = f'id="{name}" name="{name}" type="hidden" value="'
        if marker in page:
            data[name] = page.split(marker)[1].split('"')[0]
    return client.post("/signup", data={**data, **fields})


def member(app, handle="nina") -> Member | None:
    with app.app_context():
        return db.session.scalar(select(Member).where(Member.handle == handle))


def test_open_mode_lets_anyone_in_as_a_customer(app, client):
    assert join(client).status_code == 302
    joined = member(app)
    assert joined.role == Role.customer and joined.status == MemberStatus.active


def test_invite_mode_needs_an_invitation(app, client, admin):
    configure(app, registration="invite")
    page = client.get("/signup").get_data(as_text=True)
    assert "needs an invitation" in page
    refused = join(client)
    assert refused.status_code == 403
    assert member(app) is None
    raw = invitation(app, admin)
    assert join(client, f"?invite={raw}").status_code == 302
    assert member(app).status == MemberStatus.active


def test_an_invitation_gives_its_role_and_counts_its_uses(app, admin):
    raw = invitation(app, admin, role=Role.employee, max_uses=2)
    for index in range(3):
        response = join(
            app.test_client(),
            f"?invite={raw}",
            email=f"e{index}@example.com",
            handle=f"emp_{index}",
        )
        assert response.status_code == (302 if index < 2 else 422)
    assert member(app, "emp_0").role == Role.employee
    assert member(app, "emp_2") is None
    with app.app_context():
        used = db.session.scalar(select(Invitation))
        assert used.uses == 2
        assert member(app, "emp_1").invitation_id == used.id
        assert member(app, "emp_1").invited_by_id == admin.id


def test_an_expired_or_revoked_invitation_is_refused(app, client, admin):
    configure(app, registration="invite")
    expired = invitation(app, admin)
    with app.app_context():
        db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    page = client.get(f"/signup?invite={expired}").get_data(as_text=True)
    assert "no longer valid" in page
    assert join(client, f"?invite={expired}").status_code == 422
    assert member(app) is None


def test_approval_mode_makes_newcomers_wait(app, client, admin, as_member):
    configure(app, registration="approval")
    assert join(client).status_code == 302
    waiting = member(app)
    assert waiting.status == MemberStatus.pending
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "waiting for approval" in page
    assert client.get("/posts/new").status_code == 403  # signed in, allowed nothing
    from tests.support.people import post_form

    assert (
        post_form(
            as_member(admin),
            f"/admin/approvals/{waiting.id}/approve",
            token_from="/admin/approvals",
        ).status_code
        == 302
    )
    assert member(app).status == MemberStatus.active


def test_an_invitation_skips_approval(app, client, admin):
    configure(app, registration="approval")
    raw = invitation(app, admin)
    join(client, f"?invite={raw}")
    assert member(app).status == MemberStatus.active


def test_a_personal_link_records_who_brought_a_friend(app, client, customer, as_member):
    page = as_member(customer).get("/invite").get_data(as_text=True)
    assert "/signup?ref=carla" in page
    join(client, "?ref=carla")
    assert member(app).invited_by_id == customer.id
    assert "Nina Novak" in as_member(customer).get("/invite").get_data(as_text=True)


def test_personal_links_are_off_outside_open_mode(app, customer, as_member):
    configure(app, registration="invite")
    page = as_member(customer).get("/invite").get_data(as_text=True)
    assert "/signup?ref=" not in page and "switched off" in page


def test_a_verified_company_address_makes_an_employee(app, client, outbox):
    configure(app, staff_domains="acme.example, acme.example.ru")
    join(client, email="nina@acme.example")
    assert member(app).role == Role.customer  # not before the address is proved
    client.get(link_in(outbox[0]))
    assert member(app).role == Role.employee
    assert client.get("/settings").status_code == 200  # this browser stays signed in


def test_an_unverified_company_address_does_not(app, client, outbox):
    configure(app, staff_domains="acme.example")
    join(client, email="nina@acme.example")
    assert member(app).role == Role.customer
    join(app.test_client(), email="other@elsewhere.example", handle="other")
    assert member(app, "other").role == Role.customer


def test_the_operator_domain_list_comes_from_configuration(app, client, outbox):
    app.config["STAFF_DOMAINS"] = "corp.example"
    join(client, email="nina@corp.example")
    client.get(link_in(outbox[0]))
    assert member(app).role == Role.employee


def test_an_admin_can_undo_a_domain_promotion(app, client, admin, outbox, as_member):
    configure(app, staff_domains="acme.example")
    join(client, email="nina@acme.example")
    client.get(link_in(outbox[0]))
    from tests.support.people import post_form

    nina = member(app)
    post_form(
        as_member(admin),
        f"/admin/members/{nina.id}/role",
        {"role": "customer"},
        token_from="/admin/members",
    )
    assert member(app).role == Role.customer
