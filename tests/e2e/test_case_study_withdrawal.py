"""In Chromium: case studies leave open pages live on withdrawal; the review consents."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from network import create_app
from network.extensions import db
from network.models import Member
from tests.support import case_studies as stories
from tests.support.browser import create_member, signed_in
from tests.support.servers import SERVER_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NOTICE = "This case study was withdrawn by its customer."


def beside(server):
    """The app on the server's database, and its people by handle, for the real services."""
    instance = Path(server.env["NETWORK_INSTANCE_PATH"])
    app = create_app(
        {
            "SECRET_KEY": SERVER_SECRET,
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'network.sqlite'}",
        }
    )
    with app.app_context():
        people = {m.handle: m for m in db.session.scalars(db.select(Member))}
        for person in people.values():
            db.session.expunge(person)
    return app, people


def published_on(server, **scopes) -> int:
    """Write, ask, consent and publish through the real services."""
    app, people = beside(server)
    return stories.published_case_study(app, people["emma"], people["carla"], **scopes)


def watching(page, case_study_id: int) -> None:
    """Wait until the server confirmed the page listens for this case study."""
    page.wait_for_function(
        "(id) => !!(window.networkCaseStudies && window.networkCaseStudies.watching[id])",
        arg=case_study_id,
        timeout=5000,
    )


def withdraw(new_page, server, case_study_id: int) -> None:
    carla = signed_in(new_page, server, "carla")
    carla.goto(f"{server.url}/case-studies/{case_study_id}")
    carla.get_by_role("link", name="Withdraw my consent").click()
    carla.get_by_role("button", name="Withdraw my consent").click()
    expect(carla.get_by_role("heading", name="My case studies")).to_be_visible()


@pytest.fixture
def cast(gunicorn_server, tmp_path):
    server = gunicorn_server()
    create_member(server, tmp_path, "emma", "Emma Employee", role="employee")
    create_member(server, tmp_path, "carla", "Carla Customer")
    create_member(server, tmp_path, "boris", "Boris Reader")
    return server


def test_a_member_sees_a_members_only_story_leave_when_its_customer_withdraws(cast, new_page):
    server = cast
    case_study = published_on(server, audience="members")
    boris = signed_in(new_page, server, "boris")
    boris.goto(f"{server.url}/case-studies/{case_study}")
    expect(boris.get_by_role("heading", name=stories.STORY["title"])).to_be_visible()
    watching(boris, case_study)

    withdraw(new_page, server, case_study)

    expect(boris.get_by_text(NOTICE)).to_be_visible(timeout=2000)
    expect(boris.locator("article[data-case-study-id]")).to_have_count(0)
    expect(boris.get_by_text(stories.STORY["challenge"])).to_have_count(0)
    assert boris.request.get(f"{server.url}/case-studies/{case_study}").status == 404


def test_visitors_lose_a_public_story_on_its_page_and_in_the_index(cast, new_page):
    server = cast
    case_study = published_on(server, name="anonymous", company="hidden", audience="public")
    reader = new_page(locale="en-US")
    reader.goto(f"{server.url}/case-studies/{case_study}")
    watching(reader, case_study)
    browsing = new_page(locale="en-US")
    browsing.goto(f"{server.url}/case-studies")
    card = browsing.locator(f'.case-study-card[data-case-study-id="{case_study}"]')
    expect(card).to_be_visible()
    watching(browsing, case_study)

    withdraw(new_page, server, case_study)

    expect(reader.get_by_text(NOTICE)).to_be_visible(timeout=2000)
    expect(card).to_have_count(0, timeout=2000)


def test_the_customer_previews_scopes_and_consents_in_the_browser(cast, new_page):
    server = cast
    app, people = beside(server)
    stories.opt_in(app, people["carla"])
    case_study = stories.make_case_study(app, people["emma"], people["carla"])
    stories.ask(app, people["emma"], case_study)
    carla = signed_in(new_page, server, "carla")
    carla.goto(f"{server.url}/case-studies/{case_study}/review")
    preview = carla.locator(".case-study-preview")
    expect(preview).to_contain_text("A customer")
    carla.get_by_label("My first name and the initial of my last name").check()
    carla.get_by_role("group", name="Show my quote").get_by_label("Yes").check()
    carla.get_by_role("button", name="Update preview").click()
    expect(preview).to_contain_text("Carla C.")
    expect(preview).to_contain_text(stories.STORY["quote"])
    assert "csrf_token" not in carla.url
    carla.get_by_role("button", name="Grant consent").click()
    expect(carla.get_by_role("heading", name="My case studies")).to_be_visible()
    expect(carla.locator(".case-study-mine")).to_contain_text("Approved")
    expect(carla.locator(".case-study-scopes").first).to_contain_text("first name and initial")
