"""Admin pages: members, approvals, invitations, settings, audit log (issue 4)."""

from __future__ import annotations

import re

from sqlalchemy import select

from network.extensions import db
from network.models import AuditEvent, Member, MemberStatus, Role
from tests.support.community import configure
from tests.support.pages import unlabelled_controls
from tests.support.people import post_form


def test_admins_search_and_filter_members(
    app, admin, customer, employee, member_factory, as_member
):
    member_factory(handle="zoe_writer", display_name="Zoe Writer", email="zoe@shop.example")
    browser = as_member(admin)
    page = browser.get("/admin/members?q=zoe").get_data(as_text=True)
    assert "Zoe Writer" in page and "Carla Customer" not in page
    assert "Zoe Writer" in browser.get("/admin/members?q=shop.example").get_data(as_text=True)
    staff = browser.get("/admin/members?role=employee").get_data(as_text=True)
    assert "Emma Employee" in staff and "Carla Customer" not in staff
    assert unlabelled_controls(page) == []
    weird = browser.get("/admin/members?q=%25_%5C&role=pirate&status=x")
    assert weird.status_code == 200


def test_member_list_pages_by_cursor(app, admin, member_factory, as_member):
    for index in range(60):
        member_factory(handle=f"m{index:03d}")
    browser = as_member(admin)
    first = browser.get("/admin/members").get_data(as_text=True)
    more = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = browser.get(more).get_data(as_text=True)
    handles = set(re.findall(r"@(m\d{3})", first)) | set(re.findall(r"@(m\d{3})", second))
    assert len(handles) == 60
    assert browser.get("/admin/members?cursor=nonsense").status_code == 400


def test_role_and_status_changes_are_audited(app, admin, customer, as_member):
    browser = as_member(admin)
    assert (
        post_form(
            browser,
            f"/admin/members/{customer.id}/role",
            {"role": "moderator"},
            token_from="/admin/members",
        ).status_code
        == 302
    )
    assert (
        post_form(
            browser,
            f"/admin/members/{customer.id}/status",
            {"status": "suspended"},
            token_from="/admin/members",
        ).status_code
        == 302
    )
    with app.app_context():
        stored = db.session.get(Member, customer.id)
        assert stored.role == Role.moderator and stored.status == MemberStatus.suspended
        actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions == ["role_changed", "status_changed"]
    log = browser.get("/admin/audit").get_data(as_text=True)
    assert "role changed" in log and "@carla" in log and "@adam" in log


def test_a_bad_role_is_refused(admin, customer, as_member):
    response = post_form(
        as_member(admin),
        f"/admin/members/{customer.id}/role",
        {"role": "emperor"},
        token_from="/admin/members",
    )
    assert response.status_code == 422


def test_the_last_admin_cannot_demote_or_suspend_themselves(app, admin, as_member):
    browser = as_member(admin)
    response = post_form(
        browser,
        f"/admin/members/{admin.id}/role",
        {"role": "customer"},
        token_from="/admin/members",
    )
    assert response.status_code == 302
    page = browser.get("/admin/members").get_data(as_text=True)
    assert "last active admin" in page
    with app.app_context():
        assert db.session.get(Member, admin.id).role == Role.admin


def test_non_admins_are_refused_everywhere(customer, employee, moderator, as_member):
    for person in (customer, employee, moderator):
        browser = as_member(person)
        for path in ("/admin/members", "/admin/settings", "/admin/audit", "/admin/invitations"):
            assert browser.get(path).status_code == 403
        assert (
            post_form(browser, f"/admin/members/{customer.id}/role", {"role": "admin"}).status_code
            == 403
        )


def test_admins_create_list_and_revoke_invitations(app, admin, as_member):
    browser = as_member(admin)
    created = post_form(
        browser,
        "/admin/invitations",
        {"role": "employee", "days": "7", "max_uses": "3", "note": "Support team"},
        token_from="/admin/invitations",
    )
    page = created.get_data(as_text=True)
    link = re.search(r'id="new-link" type="text" class="token-value" value="([^"]+)"', page)
    assert link and "/signup?invite=" in link.group(1)
    listing = browser.get("/admin/invitations").get_data(as_text=True)
    assert "Support team" in listing and "Used 0 of 3" in listing
    assert link.group(1).split("invite=")[1] not in listing  # shown once only
    from network.models import Invitation

    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id))
    post_form(
        browser, f"/admin/invitations/{invitation_id}/revoke", token_from="/admin/invitations"
    )
    assert "revoked" in browser.get("/admin/invitations").get_data(as_text=True)


def test_invitation_fields_are_checked(admin, as_member):
    response = post_form(
        as_member(admin),
        "/admin/invitations",
        {"role": "employee", "days": "400", "max_uses": "0"},
        token_from="/admin/invitations",
    )
    assert response.status_code == 422


def test_employees_invite_customers_only_when_allowed(app, admin, employee, as_member):
    browser = as_member(employee)
    assert browser.get("/invitations").status_code == 403
    configure(app, employees_may_invite=True)
    assert browser.get("/invitations").status_code == 200
    response = post_form(
        browser,
        "/invitations",
        {"role": "admin", "days": "7", "max_uses": "1"},
        token_from="/invitations",
    )
    assert response.status_code == 200
    from network.models import Invitation

    with app.app_context():
        assert db.session.scalar(select(Invitation.role)) == Role.customer  # role is forced


def test_settings_are_saved_validated_and_audited(app, client, admin, as_member):
    browser = as_member(admin)
    data = {
        "name": "Acme Users",
        "tagline": "Ask us anything",
        "registration": "approval",
        "staff_domains": "acme.example",
        "accent": "#aa3300",
        "terms": "# Rules\n\nBe kind.",
        "privacy": "",
    }
    assert (
        post_form(browser, "/admin/settings", data, token_from="/admin/settings").status_code == 302
    )
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Acme Users" in page and 'href="/terms"' in page
    assert "--accent: #aa3300" in client.get("/brand.css").get_data(as_text=True)
    assert "Be kind." in client.get("/terms").get_data(as_text=True)
    assert client.get("/privacy").status_code == 404
    bad = post_form(
        browser,
        "/admin/settings",
        {**data, "accent": "red; }", "staff_domains": "x"},
        token_from="/admin/settings",
    )
    assert bad.status_code == 422
    with app.app_context():
        assert [e.action for e in db.session.scalars(select(AuditEvent))] == ["settings_changed"]


def test_terms_are_sanitized(app, client, admin, as_member):
    post_form(
        as_member(admin),
        "/admin/settings",
        {"registration": "open", "terms": "<script>alert(1)</script>[x](javascript:a)"},
        token_from="/admin/settings",
    )
    page = client.get("/terms").get_data(as_text=True)
    assert "<script>alert(1)" not in page and 'href="javascript' not in page


def test_a_logo_is_uploaded_and_shown(app, client, admin, as_member):
    import io

    from PIL import Image

    from tests.support.pages import csrf_token

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 200)).save(buffer, "PNG")
    browser = as_member(admin)
    token = csrf_token(browser.get("/admin/settings").get_data(as_text=True))
    response = browser.post(
        "/admin/settings/logo",
        data={"csrf_token": token, "logo": (io.BytesIO(buffer.getvalue()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    logo = re.search(r'<img src="(/uploads/[^"]+)" alt="" class="brand-logo"', page)
    assert logo and client.get(logo.group(1)).status_code == 200
    not_image = browser.post(
        "/admin/settings/logo",
        data={"csrf_token": token, "logo": (io.BytesIO(b"<svg onload=alert(1)>"), "x.png")},
        content_type="multipart/form-data",
    )
    assert not_image.status_code == 422
