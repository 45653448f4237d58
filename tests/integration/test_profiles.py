"""Profiles: the page, who may see it, editing your own (and only your own), SEC-11/20/22."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from network.database import write_transaction
from network.extensions import db
from network.models import Member, MemberStatus, Profile, ProfileVisibility, Role
from tests.support.pages import csrf_token, executable_inline_script, parse, unlabelled_controls

GOOD = {
    "display_name": "Carla Customer",
    "title": "Head of Espresso",
    "company": "Bean & Co",
    "bio": "I **love** coffee.\n\n- grinders\n- scales",
    "links": "https://example.com/carla\nhttp://blog.example.org",
    "phone": "+1 555 010 2030",
    "visibility": "public",
    "card_fields": ["name", "title"],
}


def edit_page(browser) -> str:
    response = browser.get("/settings/profile")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def version_on(page: str) -> str:
    found = re.search(r'name="version" type="hidden" value="(\d+)"', page) or re.search(
        r'id="version" name="version" type="hidden" value="(\d+)"', page
    )
    assert found, "the form carries no version"
    return found.group(1)


def save(browser, changes: dict | None = None, *, version: str | None = None):
    page = edit_page(browser)
    data = {**GOOD, **(changes or {})}
    data["csrf_token"] = csrf_token(page)
    data["version"] = version if version is not None else version_on(page)
    return browser.post("/settings/profile", data=data)


def stored_profile(app, member) -> Profile | None:
    with app.app_context():
        return db.session.get(Profile, member.id)


def set_visibility(app, member, visibility: ProfileVisibility) -> None:
    with app.app_context(), write_transaction() as session:
        session.add(Profile(member_id=member.id, visibility=visibility))


# The page ------------------------------------------------------------------------------------


def test_a_visitor_sees_a_public_profile(client, customer, as_member):
    assert save(as_member(customer)).status_code == 302
    response = client.get("/u/carla")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1" in page and "Carla Customer" in page
    assert "Head of Espresso · Bean &amp; Co" in page
    assert "<strong>love</strong>" in page
    assert 'href="https://example.com/carla" rel="nofollow ugc noopener"' in page
    assert "Joined " in page
    assert "/static/img/avatar-default.svg" in page
    assert "+1 555" not in page  # the phone is for the business card only
    assert "No posts yet." in page
    assert executable_inline_script(page) == []


def test_a_profile_never_saved_shows_the_defaults(client, customer):
    page = client.get("/u/carla").get_data(as_text=True)
    assert "Carla Customer" in page and "Nothing here yet." in page


def test_handles_are_found_whatever_their_case(client, customer):
    assert client.get("/u/CARLA").status_code == 200


@pytest.mark.parametrize(
    ("role", "badge"),
    [(Role.customer, False), (Role.employee, True), (Role.moderator, False), (Role.admin, True)],
)
def test_the_staff_badge_marks_employees_and_admins(client, member_factory, role, badge):
    member = member_factory(role=role)
    page = client.get(f"/u/{member.handle}").get_data(as_text=True)
    assert ('class="badge badge-staff"' in page) is badge


@pytest.mark.both_databases
def test_a_members_only_profile_is_404_to_visitors_and_shown_to_members(
    app, client, customer, employee, as_member
):
    set_visibility(app, customer, ProfileVisibility.members)
    for path in ("/u/carla", "/u/carla/card.vcf", "/u/carla/followers", "/u/carla/following"):
        assert client.get(path).status_code == 404, path
        assert as_member(employee).get(path).status_code == 200, path


def test_inactive_and_unknown_members_have_no_page(client, member_factory, as_member, employee):
    gone = member_factory(status=MemberStatus.suspended, handle="sam")
    waiting = member_factory(status=MemberStatus.pending, handle="pat")
    for handle in ("sam", "pat", "nobody", "../etc", "a" * 200):
        assert client.get(f"/u/{handle}").status_code == 404
        assert as_member(employee).get(f"/u/{handle}").status_code == 404
    # a waiting member still sees their own page
    assert as_member(waiting).get("/u/pat").status_code == 200
    assert gone.handle == "sam"


def test_the_own_page_offers_editing_and_others_offer_following(customer, employee, as_member):
    own = as_member(customer).get("/u/carla").get_data(as_text=True)
    assert 'href="/settings/profile"' in own and 'action="/u/carla/follow"' not in own
    other = as_member(employee).get("/u/carla").get_data(as_text=True)
    assert 'action="/u/carla/follow"' in other and 'href="/settings/profile"' not in other


def test_the_layout_links_the_directory_and_the_members_own_page(customer, as_member):
    page = as_member(customer).get("/", follow_redirects=True).get_data(as_text=True)
    assert 'href="/members"' in page
    assert 'href="/u/carla" class="member-name"' in page


# Editing -------------------------------------------------------------------------------------


def test_the_edit_form_is_labelled_and_carries_a_version(customer, as_member):
    page = edit_page(as_member(customer))
    assert unlabelled_controls(page) == []
    assert executable_inline_script(page) == []
    assert version_on(page) == "0"
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.both_databases
def test_a_member_saves_their_profile_and_sees_it(app, customer, as_member):
    browser = as_member(customer)
    response = save(browser, {"display_name": "  Carla   C. "})
    assert response.status_code == 302
    assert response.headers["Location"] == "/u/carla"
    profile = stored_profile(app, customer)
    assert profile.title == "Head of Espresso" and profile.company == "Bean & Co"
    assert profile.links == ["https://example.com/carla", "http://blog.example.org"]
    assert profile.card_fields == ["name", "title"] and profile.version == 1
    assert "<li>grinders</li>" in profile.bio_html
    with app.app_context():
        assert db.session.get(Member, customer.id).display_name == "Carla C."
    assert version_on(edit_page(browser)) == "1"
    assert save(browser, {"title": "Barista"}).status_code == 302
    assert stored_profile(app, customer).version == 2


def test_the_bio_is_rendered_and_then_sanitized(app, client, customer, as_member):
    hostile = (
        "<script>alert(1)</script>\n\n"
        "[click](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n"
        '<a href="https://evil.example" onclick="alert(4)">x</a> **safe**'
    )
    assert save(as_member(customer), {"bio": hostile}).status_code == 302
    stored = stored_profile(app, customer)
    assert stored.bio == hostile  # kept as typed, for editing
    page = client.get("/u/carla").get_data(as_text=True)
    bio = page.split('class="profile-bio">', 1)[1].split("</div>", 1)[0]
    # what was markup arrives as text: no tag, no handler, no javascript: link
    assert "<script" not in bio and "<img" not in bio and 'href="javascript' not in bio
    assert "&lt;script&gt;" in bio
    assert parse(bio).inline_handlers == []
    assert "<strong>safe</strong>" in bio
    assert executable_inline_script(page) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"display_name": ""}, "display_name", "This field is required"),
        ({"title": "t" * 101}, "title", "at most 100"),
        ({"company": "c" * 101}, "company", "at most 100"),
        ({"bio": "b" * 4001}, "bio", "at most 4000"),
        ({"links": "https://example.com/" + "l" * 481}, "links", "at most 500"),
        ({"links": "\n".join(f"https://example.com/{n}" for n in range(6))}, "links", "at most 5"),
        ({"links": "javascript:alert(1)"}, "links", "not a web address"),
        ({"links": "data:text/html,<script>alert(1)</script>"}, "links", "not a web address"),
        ({"links": "ftp://files.example.com"}, "links", "not a web address"),
        ({"links": "https://bank.example@evil.example"}, "links", "not a web address"),
        ({"phone": "1" * 41}, "phone", "at most 40"),
        ({"phone": "call me maybe"}, "phone", "digits"),
        ({"title": "boss\u202eevil"}, "title", "invisible"),
        ({"visibility": "everyone"}, "visibility", "Not a valid choice"),
        ({"card_fields": ["name", "password_hash"]}, "card_fields", "not a valid choice"),
    ],
)
def test_refused_fields_are_422_with_the_text_kept(
    app, customer, as_member, changes, field, message
):
    response = save(as_member(customer), {"bio": "My kept words", **changes})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message.lower() in page.lower()
    assert f'id="{field}' in page
    if field != "bio":
        assert "My kept words" in page
    assert stored_profile(app, customer) is None


@pytest.mark.both_databases
def test_a_stale_save_is_409_with_the_saved_values_and_the_text_kept(app, customer, as_member):
    laptop, phone = as_member(customer), as_member(customer)
    laptop_page = edit_page(laptop)
    assert save(phone, {"title": "Saved from the phone"}).status_code == 302
    data = {**GOOD, "bio": "Typed on the laptop", "title": "Laptop title"}
    data.update(csrf_token=csrf_token(laptop_page), version=version_on(laptop_page))
    response = laptop.post("/settings/profile", data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone saved this profile while you were editing it" in page
    assert 'value="Saved from the phone"' in page  # what is saved now
    assert "Typed on the laptop" in page  # what they typed, kept to copy back
    assert version_on(page) == "1"
    assert stored_profile(app, customer).title == "Saved from the phone"


def test_a_garbled_version_is_treated_as_stale(app, customer, as_member):
    assert save(as_member(customer), version="not-a-number").status_code == 409


def test_an_expired_form_is_shown_again_with_the_text_kept(app, customer, as_member):
    browser = as_member(customer)
    response = browser.post(
        "/settings/profile", data={**GOOD, "version": "0", "bio": "Long careful words"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Long careful words" in page and "nothing was saved" in page
    assert stored_profile(app, customer) is None


def test_an_intruder_can_only_ever_edit_themselves(app, customer, intruder, as_member):
    """SEC-11: no route names another member for editing; extra fields are ignored (SEC-12)."""
    edit_rules = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("profile_settings.")
    ]
    assert all("<" not in rule for rule in edit_rules), edit_rules
    response = save(
        as_member(intruder),
        {
            "display_name": "Hacked",
            "member_id": str(customer.id),
            "handle": "carla",
            "role": "admin",
            "title": "Owned",
        },
    )
    assert response.status_code == 302
    assert stored_profile(app, customer) is None
    with app.app_context():
        carla = db.session.get(Member, customer.id)
        ivan = db.session.get(Member, intruder.id)
        assert carla.display_name == "Carla Customer"
        assert ivan.display_name == "Hacked" and ivan.role == Role.customer
    assert stored_profile(app, intruder).title == "Owned"


def test_visitors_are_sent_to_sign_in_and_cannot_post(client):
    assert client.get("/settings/profile").status_code == 302
    token = csrf_token(client.get("/signin").get_data(as_text=True))
    response = client.post("/settings/profile", data={**GOOD, "csrf_token": token})
    assert response.status_code == 401


def test_going_members_only_hides_the_profile_from_visitors(client, customer, as_member):
    browser = as_member(customer)
    assert save(browser, {"visibility": "members"}).status_code == 302
    assert client.get("/u/carla").status_code == 404
    assert "Only signed-in members can see your profile." in browser.get("/u/carla").get_data(
        as_text=True
    )


def test_profiles_belong_to_their_member_and_go_with_them(app, customer, as_member):
    assert save(as_member(customer)).status_code == 302
    with app.app_context(), write_transaction() as session:
        session.delete(session.get(Member, customer.id))
    with app.app_context():
        assert db.session.scalars(select(Profile)).all() == []
