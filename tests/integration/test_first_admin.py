"""SEC-05: no default account; the first admin comes from a one-time link on the console."""

from __future__ import annotations

from sqlalchemy import func, select

from network.assembly.serving import announce_first_admin
from network.extensions import db
from network.models import Member, Role
from tests.support.pages import csrf_token
from tests.support.people import post_form


def setup_path(app) -> str:
    lines = announce_first_admin(app, "http://community.test")
    [url] = [line.strip() for line in lines if "/setup/" in line]
    return url.removeprefix("http://community.test")


def create_admin(client, path, **fields):
    token = csrf_token(client.get(path).get_data(as_text=True))
    data = {
        "email": "owner@example.com",
        "handle": "owner",
        "display_name": "Olga Owner",
        "password": "the owner's long passphrase",
        **fields,
        "csrf_token": token,
    }
    return client.post(path, data=data)


def test_an_empty_community_has_no_accounts_at_all(app):
    with app.app_context():
        assert db.session.scalar(select(func.count(Member.id))) == 0


def test_the_setup_link_creates_the_first_admin_once(app, client):
    path = setup_path(app)
    response = create_admin(client, path)
    assert response.status_code == 302
    assert "Olga Owner" in client.get("/", follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        owner = db.session.scalar(select(Member).where(Member.handle == "owner"))
        assert owner.role == Role.admin and owner.email_verified
    assert app.test_client().get(path).status_code == 404  # used
    assert announce_first_admin(app, None) == []  # nothing printed once an admin exists


def test_a_refused_form_keeps_the_link_alive(app, client):
    path = setup_path(app)
    assert create_admin(client, path, password="short").status_code == 422
    assert create_admin(client, path).status_code == 302


def test_a_forged_or_reused_link_creates_nothing(app, client):
    assert client.get("/setup/forged-token").status_code == 404
    response = post_form(client, "/setup/forged-token", {"email": "x@example.com"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Member.id))) == 0


def test_setup_links_stop_working_once_an_admin_exists(app, client, admin):
    # A link printed before the admin appeared (another process) is dead too.
    with app.app_context():
        from network.accounts.members import issue_setup_token

        raw = issue_setup_token()
    assert client.get(f"/setup/{raw}").status_code == 404


def test_the_printed_link_says_how_to_use_it_without_a_public_url(app):
    lines = announce_first_admin(app, None)
    assert any(line.strip().startswith("/setup/") for line in lines)
    assert any("create-user" in line for line in lines)
