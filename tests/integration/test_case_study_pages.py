"""Case-study pages (issue 10): who sees what, the review with its preview, staff's forms."""

from __future__ import annotations

import contextlib
import json
import re

import pytest
from sqlalchemy import update

from network import pagination
from network.case_studies.blueprint import PAGE
from network.database import write_transaction
from network.extensions import db
from network.models import CaseStudy, CaseStudyConsent, CaseStudyStatus, NameScope, Profile
from tests.support import case_studies as stories
from tests.support.pages import csrf_token, executable_inline_script, unlabelled_controls
from tests.support.people import post_form

ANONYMOUS = {"name": "anonymous", "company": "hidden", "audience": "public"}


def page(browser, path: str, status: int = 200) -> str:
    response = browser.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def hidden_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or re.search(
        rf'type="hidden" name="{name}" value="([^"]*)"', html
    )
    assert found, f"no hidden {name}"
    return found.group(1)


def consent_data(html: str, **scopes) -> dict:
    return {
        "csrf_token": csrf_token(html),
        "revision": hidden_value(html, "revision"),
        "name": "full",
        "company": "name",
        "industry": "",
        "logo": "0",
        "quote": "1",
        "figures": "1",
        "audience": "public",
        "expires_on": "",
        **scopes,
    }


def status_of(app, case_study_id: int) -> CaseStudyStatus:
    with app.app_context():
        return db.session.get(CaseStudy, case_study_id).status


# The story's page -----------------------------------------------------------------------------


def test_a_public_story_shows_what_was_granted_with_share_tags(
    app, client, customer, employee, as_member
):
    case_study = stories.published_case_study(app, employee, customer)
    html = page(client, f"/case-studies/{case_study}")
    assert stories.STORY["title"] in html
    assert "Published with the consent of" in html and "Carla Customer" in html
    assert stories.COMPANY in html
    assert "We have not missed a morning since." in html
    assert "Downtime" in html and "-66 %" in html
    assert "<strong>live answers</strong>" in html
    assert f'data-case-study-id="{case_study}"' in html
    assert 'property="og:title"' in html and 'name="twitter:title"' in html
    assert 'name="robots"' not in html
    assert "js/case_studies.js" in html and "vendor/socket.io.min.js" in html
    assert executable_inline_script(html) == []
    # Readers see the story, not its workings.
    assert "Behind the story" not in html
    assert "Behind the story" not in page(
        as_member(stories_member(app)), f"/case-studies/{case_study}"
    )


def stories_member(app):
    from network.models import Role
    from tests.support.people import make_member

    with app.app_context():
        member = make_member(role=Role.customer, handle="mira", display_name="Mira Member")
        db.session.expunge(member)
        return member


def test_anonymous_scope_leaves_no_trace_of_the_customer(
    app, client, customer, employee, intruder, as_member
):
    case_study = stories.published_case_study(app, employee, customer, **ANONYMOUS)
    for browser in (client, as_member(intruder)):
        for path in (f"/case-studies/{case_study}", "/case-studies"):
            html = page(browser, path)
            assert stories.STORY["title"] in html
            lowered = html.lower()
            assert "carla" not in lowered, path
            assert "Customer Carla" not in html and "@carla" not in lowered
            assert stories.COMPANY not in html
    html = page(client, f"/case-studies/{case_study}")
    assert "A customer" in html
    og = "\n".join(line for line in html.splitlines() if "og:" in line or "twitter:" in line)
    assert og and "carla" not in og.lower()


def test_members_only_story_is_404_to_visitors_and_noindex_for_members(
    app, client, customer, employee, intruder, as_member
):
    case_study = stories.published_case_study(app, employee, customer, audience="members")
    page(client, f"/case-studies/{case_study}", 404)
    assert stories.STORY["title"] not in page(client, "/case-studies")
    html = page(as_member(intruder), f"/case-studies/{case_study}")
    assert '<meta name="robots" content="noindex">' in html
    assert "og:title" not in html
    assert stories.STORY["title"] in page(as_member(intruder), "/case-studies")


def test_drafts_are_seen_only_by_staff_and_after_the_request_by_the_customer(
    app, client, customer, employee, intruder, admin, moderator, as_member
):
    stories.opt_in(app, customer)
    case_study = stories.make_case_study(app, employee, customer)
    path = f"/case-studies/{case_study}"
    for browser in (client, as_member(intruder), as_member(customer), as_member(moderator)):
        page(browser, path, 404)
    staff_html = page(as_member(employee), path)
    assert "Behind the story" in staff_html and "Not published" in staff_html
    assert "Ask the customer for consent" in staff_html
    assert "noindex" in staff_html
    assert "Behind the story" in page(as_member(admin), path)
    stories.ask(app, employee, case_study)
    mine = page(as_member(customer), path)
    assert "Review and answer" in mine and "Withdraw my consent" in mine
    assert "Ask the customer for consent" not in mine
    page(as_member(intruder), path, 404)


def test_unknown_case_studies_are_404(client, customer, as_member):
    for path in ("/case-studies/999999", "/case-studies/0", "/case-studies/999999/consent-log"):
        page(client, path, 404)
        page(as_member(customer), path, 404)


def test_the_index_pages_back_and_has_a_friendly_empty_state(
    app, client, customer, employee, as_member
):
    assert "No customer stories are published yet." in page(client, "/case-studies")
    case_study = stories.published_case_study(app, employee, customer)
    html = page(client, "/case-studies")
    assert f'data-case-study-id="{case_study}"' in html
    assert stories.STORY["challenge"][:40] in html
    with app.app_context():
        published_at = db.session.get(CaseStudy, case_study).published_at
    past_it = pagination.encode(published_at, case_study)
    assert "No customer stories" in page(client, f"/case-studies?cursor={past_it}")
    page(client, "/case-studies?cursor=nonsense", 400)


def test_a_withheld_story_at_the_page_boundary_hides_no_older_story(
    app, client, customer, employee
):
    """The "older" link follows the rows, not what is left of them once the guard withheld one."""
    stories.opt_in(app, customer)
    ids = [stories.published_case_study(app, employee, customer) for _ in range(PAGE + 1)]
    withheld = stories.make_case_study(
        app, employee, customer, solution=f"{customer.display_name} fixed it."
    )
    stories.ask(app, employee, withheld)
    stories.grant(app, customer, withheld)
    stories.publish(app, employee, withheld)
    # Changed behind the service's back: the consent now hides the name the text gives.
    with app.app_context(), write_transaction() as session:
        session.execute(
            update(CaseStudyConsent)
            .where(CaseStudyConsent.case_study_id == withheld)
            .values(name_scope=NameScope.anonymous)
        )
    seen: list[int] = []
    path = "/case-studies"
    while path:
        html = page(client, path)
        seen += [int(found) for found in re.findall(r'data-case-study-id="(\d+)"', html)]
        older = re.search(r'<a href="([^"]+)" rel="next">', html)
        path = older.group(1).replace("&amp;", "&") if older else None
    assert withheld not in seen
    assert sorted(set(seen)) == sorted(ids)


def test_the_card_macro_renders_a_story(app, customer, employee):
    from flask import render_template_string

    from network.case_studies import access

    stories.published_case_study(app, employee, customer, **ANONYMOUS)
    with app.test_request_context("/"):
        [story] = access.public_stories(5)
        html = render_template_string(
            '{% from "case_studies/_card.html" import card %}{{ card(story) }}', story=story
        )
    assert f'data-case-study-id="{story.id}"' in html
    assert f'href="/case-studies/{story.id}"' in html
    assert "A customer" in html and "carla" not in html.lower()


# The customer's review -----------------------------------------------------------------------


def asked(app, employee, customer, **changes) -> int:
    stories.opt_in(app, customer)
    case_study = stories.make_case_study(app, employee, customer, **changes)
    stories.ask(app, employee, case_study)
    return case_study


def test_only_the_customer_reviews(app, client, customer, employee, intruder, admin, as_member):
    case_study = asked(app, employee, customer)
    path = f"/case-studies/{case_study}/review"
    assert client.get(path).status_code == 302
    for browser in (as_member(intruder), as_member(employee), as_member(admin)):
        page(browser, path, 404)
    html = page(as_member(customer), path)
    assert unlabelled_controls(html) == [] and executable_inline_script(html) == []
    assert "<legend>Your name</legend>" in html and "<legend>Who may read it</legend>" in html
    assert "This is the first revision you are asked about." in html
    # The preview starts with the most private choices.
    preview = html.split('id="preview-title"')[1]
    assert "A customer" in preview and "Carla" not in preview
    assert "We have not missed a morning" not in preview


def test_the_preview_follows_the_chosen_scopes(app, customer, employee, as_member):
    case_study = asked(app, employee, customer)
    browser = as_member(customer)
    path = f"/case-studies/{case_study}/review"
    query = "name=initial&company=industry&industry=a+regional+bakery&quote=1&figures=0&logo=0"
    html = page(browser, f"{path}?{query}&audience=public")
    preview = html.split('id="preview-title"')[1]
    assert "Carla C." in preview and "a regional bakery" in preview
    assert "We have not missed a morning" in preview
    assert "In figures" not in preview and "-66" not in preview
    assert re.search(r'<input checked[^>]*value="initial"', html)
    # The form's own GET (with its token) lands on a clean address.
    token = csrf_token(html)
    moved = browser.get(f"{path}?{query}&csrf_token={token}&revision=abc")
    assert moved.status_code == 302
    assert "csrf_token" not in moved.headers["Location"]
    assert "name=initial" in moved.headers["Location"]
    # A bad choice is named beside its field; the preview stays private.
    html = page(browser, f"{path}?name=nobody&company=hidden")
    assert "Choose how your name is shown." in html


def test_granting_consent_through_the_form(app, customer, employee, as_member):
    case_study = asked(app, employee, customer)
    browser = as_member(customer)
    html = page(browser, f"/case-studies/{case_study}/review")
    response = browser.post(f"/case-studies/{case_study}/consent", data=consent_data(html))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith("/me/case-studies")
    assert status_of(app, case_study) == CaseStudyStatus.approved
    mine = page(browser, "/me/case-studies")
    assert "Approved" in mine and "full name" in mine and "the public web" in mine
    again = page(browser, f"/case-studies/{case_study}/review")
    assert "Nothing is waiting for your answer" in again


def test_the_leak_guard_says_where_and_keeps_the_choices(app, customer, employee, as_member):
    case_study = asked(app, employee, customer, results="Carla says downtime fell by two thirds.")
    browser = as_member(customer)
    html = page(browser, f"/case-studies/{case_study}/review")
    data = consent_data(html, name="anonymous", company="hidden", audience="members")
    response = browser.post(f"/case-studies/{case_study}/consent", data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    error = body.split('id="name-error"')[1].split("</p>")[0]
    assert "Results" in error and "Carla says downtime" in error
    assert 'value="anonymous" checked' in body or re.search(
        r'<input checked[^>]*value="anonymous"', body
    )
    assert status_of(app, case_study) == CaseStudyStatus.awaiting_consent


def test_a_stale_revision_answer_is_a_conflict(app, customer, employee, as_member):
    case_study = asked(app, employee, customer)
    browser = as_member(customer)
    html = page(browser, f"/case-studies/{case_study}/review")
    stale = consent_data(html)
    # Staff revise and ask again meanwhile.
    from network.case_studies import authoring
    from network.models import Member

    with app.app_context():
        authoring.revise(
            db.session.get(Member, employee.id), case_study, stories.draft(title="A new title")
        )
    stories.ask(app, employee, case_study)
    response = browser.post(f"/case-studies/{case_study}/consent", data=stale)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "changed since you opened it" in body
    assert "A new title" in body
    assert status_of(app, case_study) == CaseStudyStatus.awaiting_consent
    # The page now carries the new revision's hash: consenting to it works.
    response = browser.post(f"/case-studies/{case_study}/consent", data=consent_data(body))
    assert response.status_code == 302


def test_asking_for_changes_and_the_diff_against_the_approved_revision(
    app, customer, employee, as_member
):
    case_study = asked(app, employee, customer)
    browser = as_member(customer)
    html = page(browser, f"/case-studies/{case_study}/review")
    empty = browser.post(
        f"/case-studies/{case_study}/request-changes",
        data={"csrf_token": csrf_token(html), "comment": " ", "revision": ""},
    )
    assert empty.status_code == 422 and "Say what should change." in empty.get_data(as_text=True)
    stories.grant(app, customer, case_study)
    stories.publish(app, employee, case_study)
    from network.case_studies import authoring
    from network.models import Member

    with app.app_context():
        authoring.revise(
            db.session.get(Member, employee.id),
            case_study,
            stories.draft(results="Downtime fell by <b>three</b> quarters within a year."),
        )
    stories.ask(app, employee, case_study)
    html = page(browser, f"/case-studies/{case_study}/review")
    diff = html.split('class="case-study-diff"')[1].split("</dl>")[0]
    assert "<del>two thirds</del>" in diff or "<del>two" in diff
    assert "&lt;b&gt;three&lt;/b&gt;" in diff and "<b>" not in diff
    response = browser.post(
        f"/case-studies/{case_study}/request-changes",
        data={
            "csrf_token": csrf_token(html),
            "comment": "Please keep two thirds.",
            "revision": hidden_value(html, "revision"),
        },
    )
    assert response.status_code == 302
    log = page(browser, f"/case-studies/{case_study}/consent-log")
    assert "Please keep two thirds." in log and "Changes requested" in log
    staff = as_member(employee)
    for path in (f"/case-studies/{case_study}", f"/case-studies/{case_study}/edit"):
        assert "The customer asked for changes" in page(staff, path)
        assert "Please keep two thirds." in page(staff, path)
    # The published revision stays for readers.
    assert "two thirds" in page(browser, f"/case-studies/{case_study}")


def test_odd_input_is_refused_politely(app, customer, employee, as_member):
    case_study = asked(app, employee, customer)
    browser = as_member(customer)
    path = f"/case-studies/{case_study}/review"
    for query, message in (
        ("name=full&company=name&logo=maybe&audience=public", "Choose yes or no."),
        ("name=full&company=hidden&expires_on=soon&audience=public", "Give a date as YYYY-MM-DD."),
        ("name=full&company=hidden&expires_on=2001-01-01&audience=public", "in the future"),
        ("name=full&company=industry&industry=&audience=public", "Describe your industry"),
        ("name=full&company=hidden&logo=1&audience=public", "A logo shows your company"),
    ):
        assert message in page(browser, f"{path}?{query}"), query
    html = page(browser, path)
    for data in (
        {"revision": "nonsense"},
        {"revision": ""},
        {"revision": hidden_value(html, "revision"), "name": "x" * 5000},
        {"revision": hidden_value(html, "revision"), "audience": "everyone"},
    ):
        response = browser.post(
            f"/case-studies/{case_study}/consent", data={**consent_data(html), **data}
        )
        assert response.status_code in (409, 422), data
    assert browser.post(f"/case-studies/{case_study}/consent", data={}).status_code == 422
    staff = as_member(employee)
    form = page(staff, "/case-studies/new")
    for fields in (
        {"customer": "nobody"},
        {"customer": "carla", "title": ""},
        {"customer": "carla", "figures-40-label": "x", "figures-40-value": "1"},
        {"customer": "carla", "logo": "not a file"},
        {"customer": "carla", "key": "bad key!"},
    ):
        response = staff.post("/case-studies/new", data=editor_data(form, **fields))
        assert response.status_code in (302, 422), fields
    for path in ("/case-studies/manage?state=nonsense", "/case-studies?cursor="):
        page(staff, path)


# Withdrawal and the consent log ----------------------------------------------------------------


def test_withdrawing_from_the_page(app, client, customer, employee, intruder, as_member):
    case_study = stories.published_case_study(app, employee, customer)
    browser = as_member(customer)
    story = page(browser, f"/case-studies/{case_study}")
    assert f'href="/case-studies/{case_study}/withdraw"' in story
    for other in (client, as_member(intruder), as_member(employee)):
        assert other.get(f"/case-studies/{case_study}/withdraw").status_code in (302, 404)
    confirm = page(browser, f"/case-studies/{case_study}/withdraw")
    assert "Withdraw your consent?" in confirm
    response = browser.post(
        f"/case-studies/{case_study}/withdraw", data={"csrf_token": csrf_token(confirm)}
    )
    assert response.status_code == 302
    assert status_of(app, case_study) == CaseStudyStatus.withdrawn
    page(client, f"/case-studies/{case_study}", 404)
    page(as_member(intruder), f"/case-studies/{case_study}", 404)
    assert stories.STORY["title"] not in page(client, "/case-studies")
    assert "Withdrawn" in page(browser, f"/case-studies/{case_study}")
    assert "Withdrawn" in page(as_member(employee), f"/case-studies/{case_study}")
    mine = page(browser, "/me/case-studies")
    assert "Withdrawn" in mine and "no longer in force" in mine


def test_the_consent_log_is_for_the_customer_admins_and_the_team(
    app, client, customer, employee, intruder, admin, member_factory, as_member
):
    from network.models import Role

    case_study = stories.published_case_study(app, employee, customer)
    other_employee = member_factory(role=Role.employee)
    for path in (
        f"/case-studies/{case_study}/consent-log",
        f"/case-studies/{case_study}/consent-log.json",
    ):
        for browser in (client, as_member(intruder), as_member(other_employee)):
            page(browser, path, 404)
    html = page(as_member(customer), f"/case-studies/{case_study}/consent-log")
    for words in ("Consent requested", "Consent granted", "Published", "Emma Employee"):
        assert words in html
    assert "Carla Customer" in html
    assert "Consent log" in page(as_member(admin), f"/case-studies/{case_study}/consent-log")
    download = as_member(employee).get(f"/case-studies/{case_study}/consent-log.json")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    log = json.loads(download.get_data(as_text=True))
    assert [line["action"] for line in log["consent_log"]] == ["requested", "granted", "published"]


def test_my_case_studies_explains_the_opt_in_when_empty(customer, employee, as_member):
    html = page(as_member(customer), "/me/case-studies")
    assert "No case study is about you." in html
    assert 'href="/settings/profile"' in html
    assert "No case study is about you." in page(as_member(employee), "/me/case-studies")


# Staff's desk ---------------------------------------------------------------------------------


def editor_data(html: str, **fields) -> dict:
    data = {
        "csrf_token": csrf_token(html),
        "title": stories.STORY["title"],
        "challenge": stories.STORY["challenge"],
        "solution": stories.STORY["solution"],
        "results": stories.STORY["results"],
        "quote": stories.STORY["quote"],
        "figures-0-label": "Downtime",
        "figures-0-value": "-66",
        "figures-0-unit": "%",
    }
    for name in ("key", "base_revision"):
        with contextlib.suppress(AssertionError):
            data[name] = hidden_value(html, name)
    return {**data, **fields}


def test_staff_write_ask_and_publish_through_the_forms(app, client, customer, employee, as_member):
    staff = as_member(employee)
    form = page(staff, "/case-studies/new")
    assert unlabelled_controls(form) == [] and executable_inline_script(form) == []
    refused = staff.post("/case-studies/new", data=editor_data(form, customer="carla"))
    assert refused.status_code == 422
    assert "has not said they are open to case studies" in refused.get_data(as_text=True)
    stories.opt_in(app, customer)
    desk = page(staff, "/case-studies/manage")
    assert "Customers open to case studies" in desk and "@carla" in desk
    response = staff.post("/case-studies/new", data=editor_data(form, customer="@carla"))
    assert response.status_code == 302
    case_study = int(response.headers["Location"].rsplit("/", 1)[1])
    # A retried submit with the same key makes no second case study.
    again = staff.post("/case-studies/new", data=editor_data(form, customer="@carla"))
    assert again.headers["Location"].endswith(f"/case-studies/{case_study}")
    with app.app_context():
        assert db.session.query(CaseStudy).count() == 1
    assert "Draft" in page(staff, "/case-studies/manage?state=draft")
    assert stories.STORY["title"] not in page(staff, "/case-studies/manage?state=published")

    show = page(staff, f"/case-studies/{case_study}")
    publish_early = post_form(
        staff, f"/case-studies/{case_study}/publish", token_from=f"/case-studies/{case_study}"
    )
    assert publish_early.status_code == 302
    assert status_of(app, case_study) == CaseStudyStatus.draft
    response = staff.post(
        f"/case-studies/{case_study}/request-consent",
        data={"csrf_token": csrf_token(show), "revision": hidden_value(show, "revision")},
    )
    assert response.status_code == 302
    assert status_of(app, case_study) == CaseStudyStatus.awaiting_consent
    stories.grant(app, customer, case_study)
    show = page(staff, f"/case-studies/{case_study}")
    assert "Publish" in show
    response = staff.post(
        f"/case-studies/{case_study}/publish",
        data={"csrf_token": csrf_token(show), "revision": hidden_value(show, "revision")},
    )
    assert response.status_code == 302
    assert status_of(app, case_study) == CaseStudyStatus.published
    assert stories.STORY["title"] in page(client, f"/case-studies/{case_study}")


def test_a_stale_edit_is_409_and_keeps_the_text(app, customer, employee, admin, as_member):
    stories.opt_in(app, customer)
    case_study = stories.make_case_study(app, employee, customer)
    staff = as_member(employee)
    form = page(staff, f"/case-studies/{case_study}/edit")
    assert stories.STORY["title"] in form and 'value="Downtime"' in form
    assert unlabelled_controls(form) == []
    other = as_member(admin)
    other_form = page(other, f"/case-studies/{case_study}/edit")
    saved = other.post(
        f"/case-studies/{case_study}/edit", data=editor_data(other_form, title="Admin's title")
    )
    assert saved.status_code == 302
    stale = staff.post(
        f"/case-studies/{case_study}/edit", data=editor_data(form, title="My better title")
    )
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "Admin&#39;s title" in body and 'value="My better title"' in body
    assert "Someone saved a newer revision" in body
    retry = staff.post(
        f"/case-studies/{case_study}/edit", data=editor_data(body, title="My better title")
    )
    assert retry.status_code == 302
    assert "My better title" in page(staff, f"/case-studies/{case_study}")


def test_figures_are_checked_and_customers_stay_out_of_the_desk(
    app, client, customer, employee, as_member
):
    stories.opt_in(app, customer)
    staff = as_member(employee)
    form = page(staff, "/case-studies/new")
    response = staff.post(
        "/case-studies/new",
        data=editor_data(form, customer="carla", **{"figures-1-label": "Only a label"}),
    )
    assert response.status_code == 422
    assert "Each figure needs a label and a value." in response.get_data(as_text=True)
    assert as_member(customer).get("/case-studies/manage").status_code == 403
    assert as_member(customer).get("/case-studies/new").status_code == 403
    assert client.get("/case-studies/manage").status_code == 302


def test_a_logo_upload_becomes_part_of_the_revision(app, customer, employee, as_member):
    import io

    from PIL import Image

    stories.opt_in(app, customer)
    staff = as_member(employee)
    form = page(staff, "/case-studies/new")
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(buffer, "PNG")
    buffer.seek(0)
    data = editor_data(form, customer="carla")
    data["logo"] = (buffer, "logo.png")
    response = staff.post("/case-studies/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    case_study = int(response.headers["Location"].rsplit("/", 1)[1])
    html = page(staff, f"/case-studies/{case_study}")
    assert re.search(r'class="case-study-logo" src="/uploads/[^"]+"', html)


# The opt-in on the profile --------------------------------------------------------------------


def test_the_opt_in_checkbox_saves_for_customers_only(app, customer, employee, as_member):
    browser = as_member(customer)
    html = page(browser, "/settings/profile")
    assert 'name="open_to_case_studies"' in html
    data = {
        "csrf_token": csrf_token(html),
        "display_name": "Carla Customer",
        "visibility": "public",
        "card_fields": "name",
        "version": hidden_value(html, "version"),
        "open_to_case_studies": "y",
    }
    assert browser.post("/settings/profile", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Profile, customer.id).open_to_case_studies is True
    html = page(browser, "/settings/profile")
    assert re.search(r'<input[^>]* checked[^>]*name="open_to_case_studies"', html)

    data = {**data, "csrf_token": csrf_token(html), "version": hidden_value(html, "version")}
    del data["open_to_case_studies"]
    assert browser.post("/settings/profile", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Profile, customer.id).open_to_case_studies is False
    assert 'name="open_to_case_studies"' not in page(as_member(employee), "/settings/profile")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_page_renders_in_both_languages(app, customer, employee, language, as_member):
    case_study = asked(app, employee, customer)
    staff, subject = as_member(employee), as_member(customer)
    for browser in (staff, subject):
        browser.set_cookie("lang", language)
    for path in (
        "/case-studies",
        f"/case-studies/{case_study}",
        "/case-studies/manage",
        "/case-studies/new",
        f"/case-studies/{case_study}/edit",
        f"/case-studies/{case_study}/consent-log",
    ):
        page(staff, path)
    for path in (
        f"/case-studies/{case_study}/review",
        f"/case-studies/{case_study}/withdraw",
        "/me/case-studies",
    ):
        page(subject, path)
