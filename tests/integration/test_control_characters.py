"""Control characters (issue 16, item 3): no member can break the Atom feed, the sitemap or a page.

Every text field refuses C0/C1 controls (bodies keep tab and newline), titles and
names also refuse bidi overrides and zero-width characters, and the XML writers
drop whatever a row stored before these rules still holds.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import update

from network.database import write_transaction
from network.extensions import db
from network.models import (
    ApiToken,
    CaseStudy,
    CaseStudyRevision,
    Comment,
    CommunitySetting,
    Invitation,
    Member,
    Post,
    Profile,
)
from tests.support import case_studies as stories
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.content import make_comment, make_post
from tests.support.corpus import DATA, lines
from tests.support.pages import csrf_token
from tests.support.people import post_form

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CONTROLS = ["\x01", "\x08", "\x85"]  # SOH, backspace, and NEL from the C1 block
HIDING = ["\u202e", "\u200b"]  # right-to-left override, zero-width space
# The corpus's sections of text people really write; all of it must stay allowed.
LEGITIMATE_SECTIONS = {
    "Two-Byte Characters",
    "Japanese Emoticons",
    "Emoji",
    "Regional Indicator Symbols",
    "Right-To-Left Strings",
    "Zalgo Text",
    "Unicode Upsidedown",
    "Unicode font",
}
# The one line there that hides a zero-width no-break space inside a table flip.
HIDDEN_IN_LEGITIMATE = {"(ﾉಥ益ಥ）ﾉ\ufeff ┻━┻"}


def code(character: str) -> str:
    return f"U+{ord(character):04X}"


def refused_with_text_kept(response, typed: str, character: str) -> None:
    assert response.status_code == 422, response.status_code
    page = response.get_data(as_text=True)
    assert "invisible or control character" in page and code(character) in page
    assert typed in page  # the form is shown again with what they typed


def refused_by_api(response, field: str, character: str) -> None:
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    error = response.json["error"]
    assert error["field"] == field and code(character) in error["message"], error


def parse_feed(client) -> ET.Element:
    response = client.get("/posts.atom")
    assert response.status_code == 200
    return ET.fromstring(response.data)


def parse_sitemap(client) -> ET.Element:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return ET.fromstring(response.data)


def count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


def sections(name: str) -> dict[str, list[str]]:
    """The corpus's lines under each section heading (a comment line followed by "#")."""
    found: dict[str, list[str]] = {}
    current = ""
    raw = (DATA / name).read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(raw):
        if line.startswith("#"):
            if number + 1 < len(raw) and raw[number + 1].strip() == "#" and line.strip() != "#":
                current = line.lstrip("#").strip()
            continue
        if line:
            found.setdefault(current, []).append(line)
    return found


# Posts and comments ----------------------------------------------------------------------------


@pytest.mark.parametrize("character", CONTROLS + HIDING, ids=code)
def test_a_post_title_that_could_break_the_feed_is_refused_in_the_form_and_the_api(
    app, api, customer, as_member, character
):
    browser = as_member(customer)
    title = f"Refund{character}policy"
    typed = {"title": title, "body": "The words I typed stay.", "visibility": "public"}
    response = post_form(browser, "/posts", typed, token_from="/posts/new")
    refused_with_text_kept(response, title, character)
    assert "The words I typed stay." in response.get_data(as_text=True)
    refused_by_api(api(customer).post("/api/v1/posts", json=typed), "title", character)
    assert count(app, Post) == 0


@pytest.mark.parametrize("character", CONTROLS, ids=code)
def test_post_and_comment_bodies_refuse_controls(app, api, customer, as_member, character):
    browser = as_member(customer)
    body = f"Line one{character}and more"
    response = post_form(
        browser, "/posts", {"body": body, "visibility": "public"}, token_from="/posts/new"
    )
    refused_with_text_kept(response, body, character)
    carla = api(customer)
    refused_by_api(
        carla.post("/api/v1/posts", json={"body": body, "visibility": "public"}), "body", character
    )
    target = make_post(app, customer, title="Open thread")
    response = post_form(
        browser, f"/posts/{target.id}/comments", {"body": body, "key": "comment-key-1"}
    )
    refused_with_text_kept(response, body, character)
    refused_by_api(
        carla.post(f"/api/v1/posts/{target.id}/comments", json={"body": body}), "body", character
    )
    assert count(app, Post) == 1 and count(app, Comment) == 0


def test_tabs_and_newlines_in_bodies_are_kept(app, api, customer, as_member):
    browser = as_member(customer)
    typed = "Steps:\r\n\t1. grind\r\n\t2. brew\r\n\r\nDone\t(yes)"
    kept = "Steps:\n\t1. grind\n\t2. brew\n\nDone\t(yes)"
    created = post_form(
        browser, "/posts", {"body": typed, "visibility": "public"}, token_from="/posts/new"
    )
    assert created.status_code == 302
    answer = api(customer).post("/api/v1/posts", json={"body": typed, "visibility": "public"})
    assert answer.status_code == 201 and answer.json["body"] == kept
    post_id = answer.json["id"]
    said = post_form(browser, f"/posts/{post_id}/comments", {"body": typed, "key": "comment-key-2"})
    assert said.status_code == 302
    with app.app_context():
        assert {post.body for post in db.session.query(Post)} == {kept}
        assert db.session.query(Comment).one().body == kept


# Profiles, community settings, case studies -----------------------------------------------------


PROFILE = {
    "display_name": "Carla Customer",
    "title": "Head of Espresso",
    "company": "Bean & Co",
    "bio": "I love coffee.",
    "links": "",
    "phone": "",
    "visibility": "public",
    "card_fields": ["name"],
}


def save_profile(browser, **changes):
    page = browser.get("/settings/profile").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d*)"', page) or re.search(
        r'type="hidden" name="version" value="(\d*)"', page
    )
    data = {**PROFILE, **changes, "csrf_token": csrf_token(page)}
    data["version"] = version.group(1) if version else "0"
    return browser.post("/settings/profile", data=data)


@pytest.mark.parametrize("field", ["display_name", "title", "company"])
@pytest.mark.parametrize("character", CONTROLS + HIDING, ids=code)
def test_profile_names_and_titles_refuse_controls_and_hidden_characters(
    app, api, customer, as_member, field, character
):
    typed = f"Bean{character}Counter"
    refused_with_text_kept(save_profile(as_member(customer), **{field: typed}), typed, character)
    refused_by_api(api(customer).patch("/api/v1/me", json={field: typed}), field, character)
    with app.app_context():
        assert db.session.get(Profile, customer.id) is None
        assert db.session.get(Member, customer.id).display_name == "Carla Customer"


@pytest.mark.parametrize("character", CONTROLS, ids=code)
def test_the_bio_refuses_controls_and_keeps_tabs_and_newlines(
    app, api, customer, as_member, character
):
    typed = f"About{character}me"
    refused_with_text_kept(save_profile(as_member(customer), bio=typed), typed, character)
    refused_by_api(api(customer).patch("/api/v1/me", json={"bio": typed}), "bio", character)
    assert save_profile(as_member(customer), bio="- tea\r\n\t- green").status_code == 302
    with app.app_context():
        assert db.session.get(Profile, customer.id).bio == "- tea\n\t- green"


SETTINGS = {"name": "Acme Users", "tagline": "Ask us", "registration": "open", "terms": ""}


@pytest.mark.parametrize(
    ("field", "characters"),
    [("name", CONTROLS + HIDING), ("tagline", CONTROLS + HIDING), ("terms", CONTROLS)],
)
def test_community_settings_refuse_controls(app, admin, as_member, field, characters):
    browser = as_member(admin)
    for character in characters:
        typed = f"Acme{character}Users"
        response = post_form(
            browser, "/admin/settings", {**SETTINGS, field: typed}, token_from="/admin/settings"
        )
        refused_with_text_kept(response, typed, character)
    assert count(app, CommunitySetting) == 0
    kept = post_form(
        browser,
        "/admin/settings",
        {**SETTINGS, "terms": "# Rules\r\n\tBe kind."},
        token_from="/admin/settings",
    )
    assert kept.status_code == 302
    with app.app_context():
        assert db.session.get(CommunitySetting, "terms").value["text"] == "# Rules\n\tBe kind."


@pytest.mark.parametrize("character", CONTROLS + HIDING, ids=code)
def test_case_study_titles_and_prose_refuse_controls(
    app, api, customer, employee, as_member, character
):
    stories.opt_in(app, customer)
    staff = as_member(employee)
    form = staff.get("/case-studies/new").get_data(as_text=True)
    fields = {"title": f"Fresh{character}bread"}
    if character in CONTROLS:
        fields["challenge"] = f"Ovens{character}failed"
    for field, typed in fields.items():
        data = {
            "csrf_token": csrf_token(form),
            "customer": "carla",
            **{name: value for name, value in stories.STORY.items() if name != "figures"},
            field: typed,
        }
        response = staff.post("/case-studies/new", data=data)
        refused_with_text_kept(response, typed, character)
        answer = api(employee).post(
            "/api/v1/case-studies", json={"customer": "carla", **stories.STORY, field: typed}
        )
        refused_by_api(answer, field, character)
    assert count(app, CaseStudy) == 0


@pytest.mark.parametrize("character", CONTROLS, ids=code)
def test_token_names_and_invitation_notes_refuse_controls(
    app, customer, admin, as_member, character
):
    typed = f"Invoice{character}robot"
    response = post_form(
        as_member(customer), "/settings/tokens", {"name": typed}, token_from="/settings/tokens"
    )
    refused_with_text_kept(response, typed, character)
    invitation = {"role": "employee", "days": "7", "max_uses": "3", "note": typed}
    response = post_form(
        as_member(admin), "/admin/invitations", invitation, token_from="/admin/invitations"
    )
    refused_with_text_kept(response, typed, character)
    assert count(app, ApiToken) == 0 and count(app, Invitation) == 0


# The corpus through the real form and API, then the real XML parser ----------------------------


@pytest.mark.both_databases
def test_every_naughty_line_as_a_title_leaves_atom_and_sitemap_valid_xml(
    app, client, api, customer, as_member
):
    browser = as_member(customer)
    carla = api(customer)
    token = csrf_token(browser.get("/posts/new").get_data(as_text=True))
    accepted, batch = 0, []
    for index, line in enumerate(lines("naughty-strings.txt")):
        typed = {"title": line, "body": f"Body {index}", "visibility": "public"}
        key = f"title-{index:04d}"
        form = browser.post("/posts", data={**typed, "key": key, "csrf_token": token})
        answer = carla.post("/api/v1/posts", json=typed)
        assert form.status_code in (302, 422), (line, form.status_code)
        assert answer.status_code in (201, 422), (line, answer.status_code)
        assert (form.status_code == 302) == (answer.status_code == 201), line
        if answer.status_code == 201:
            accepted += 1
            if answer.json["title"] is not None:  # white space only: no title
                batch.append(answer.json["title"])
        if index % 20 == 19:
            # The feed holds the latest 50 entries (the last 20 lines made at most
            # 40), so every accepted title passes through the XML writer and parser.
            feed = parse_feed(client)
            shown = {entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")}
            assert set(batch) <= shown
            batch = []
    parse_feed(client)
    urls = [loc.text for loc in parse_sitemap(client).iter(f"{SITEMAP}loc")]
    assert len(urls) > 2 * accepted  # the posts of both ways in, the front page, members
    assert 100 < accepted < len(lines("naughty-strings.txt"))
    with app.app_context():
        for post in db.session.query(Post):
            assert not re.search(
                r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]", post.title or ""
            )


def test_legitimate_writing_in_the_corpus_is_accepted_as_a_title(app, customer, as_member):
    browser = as_member(customer)
    token = csrf_token(browser.get("/posts/new").get_data(as_text=True))
    refused, tried = set(), []
    found = sections("naughty-strings.txt")
    assert set(found) >= LEGITIMATE_SECTIONS
    for section in sorted(LEGITIMATE_SECTIONS):
        for line in found[section]:
            shown = " ".join(line.split())
            tried.append(line)
            data = {"title": line, "body": "Hello", "visibility": "public", "csrf_token": token}
            response = browser.post("/posts", data={**data, "key": f"legit-{len(tried):04d}"})
            if len(shown) > 200:
                assert response.status_code == 422 and "at most 200" in response.get_data(
                    as_text=True
                )
            elif response.status_code == 422:
                refused.add(line)
            else:
                assert response.status_code == 302, line
                with app.app_context():
                    assert db.session.query(Post).order_by(Post.id.desc()).first().title == shown
    assert refused == HIDDEN_IN_LEGITIMATE


# Rows stored before the rules -------------------------------------------------------------------


@pytest.mark.both_databases
def test_rows_stored_before_the_rule_still_give_valid_xml_and_no_error_page(
    app, client, api, customer, employee, as_member
):
    post = make_post(app, customer, title="Clean title", body="Clean body")
    make_comment(app, customer, post, "Clean comment")
    case_study = stories.published_case_study(app, employee, customer)
    with app.app_context(), write_transaction() as session:
        # Written straight to the database, as data saved before the rules would be.
        session.execute(
            update(Post)
            .where(Post.id == post.id)
            .values(
                title="Old\x01 title\x08\x85\ufffe",
                body="old\x0bbody\x1b[31m",
                body_html="<p>old\x0bbody\x1b[31m</p>",
            )
        )
        session.execute(update(Comment).values(body="bell\x07", body_html="<p>bell\x07</p>"))
        session.execute(
            update(Member).where(Member.id == customer.id).values(display_name="Carla\x1b[1m")
        )
        session.execute(
            update(CaseStudyRevision).values(
                title="Fresh\x01bread", results="Up\x0c", results_html="<p>Up\x0c</p>"
            )
        )
        session.add(CommunitySetting(key="name", value="Acme\x02"))
        session.add(CommunitySetting(key="tagline", value="Ask\x1f us"))
        session.execute(
            update(Profile)
            .where(Profile.member_id == customer.id)
            .values(title="Boss\x01", company="Bean\x85Co", bio="Hi\x08")
        )
    feed = parse_feed(client)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert "Old title" in titles and "Freshbread" in titles
    assert feed.findtext(f"{ATOM}title") == "Acme"
    assert feed.findtext(f"{ATOM}subtitle") == "Ask us"
    names = {name.text for name in feed.iter(f"{ATOM}name")}
    assert "Carla[1m" in names
    parse_sitemap(client)
    browser = as_member(customer)
    for path in (
        "/",
        f"/posts/{post.id}",
        f"/posts/{post.id}/edit",
        "/u/carla",
        "/u/carla/card.vcf",
        "/members",
        "/feed",
        "/settings/profile",
        "/case-studies",
        f"/case-studies/{case_study}",
    ):
        for viewer in (client, browser):
            response = viewer.get(path)
            assert response.status_code < 500, (path, response.status_code)
    carla = api(customer)
    for path in (f"/api/v1/posts/{post.id}", f"/api/v1/posts/{post.id}/comments", "/api/v1/me"):
        answer = carla.get(path)
        assert answer.status_code == 200, path
    # Saving the old text again is refused politely, naming the character.
    saved = carla.get(f"/api/v1/posts/{post.id}").json
    again = carla.patch(
        f"/api/v1/posts/{post.id}", json={"version": saved["version"], "body": "New"}
    )
    refused_by_api(again, "title", "\x01")
