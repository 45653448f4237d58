"""Who may act is decided before any word on the body (issue 16, item 9; SEC-11).

An intruder who sends a malformed body to another member's object must hear
404 (they cannot see it) or 403 (they can, but it is not theirs), never a 422
that confirms the object and describes its fields. Every write rule of the API
and of the case-study pages is tried; a new one without a row here fails.
"""

from __future__ import annotations

import pytest

from network.models import Role, Visibility
from tests.support import case_studies as stories
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.content import make_comment, make_post
from tests.support.pages import csrf_token

JUNK = {"bogus": True, "revision": 12, "comment": None, "version": "x", "body": 7}
# Each write rule with an object id: what an intruder gets on another member's object.
API_EXPECTED = {
    "PATCH /api/v1/posts/<int:post_id>": {"members_post": 403, "own_draft": 404},
    "DELETE /api/v1/posts/<int:post_id>": {"members_post": 403},
    "POST /api/v1/posts/<int:post_id>/comments": {"hidden_post": 404},
    "PATCH /api/v1/comments/<int:comment_id>": {"comment": 403},
    "DELETE /api/v1/comments/<int:comment_id>": {"comment": 403},
    "PATCH /api/v1/case-studies/<int:case_study_id>": {"draft": 404, "published": 403},
    "POST /api/v1/case-studies/<int:case_study_id>/request-consent": {
        "draft": 404,
        "published": 403,
    },
    "POST /api/v1/case-studies/<int:case_study_id>/publish": {"draft": 404, "published": 403},
    "POST /api/v1/case-studies/<int:case_study_id>/consent": {"asked": 404, "published": 404},
    "POST /api/v1/case-studies/<int:case_study_id>/request-changes": {
        "asked": 404,
        "published": 404,
    },
    "POST /api/v1/case-studies/<int:case_study_id>/withdraw": {"asked": 404, "published": 404},
    # No object in the address: only who asks matters.
    "POST /api/v1/case-studies": {None: 403},
}
PAGE_EXPECTED = {
    "/case-studies/{asked}/consent": 404,
    "/case-studies/{asked}/request-changes": 404,
    "/case-studies/{asked}/withdraw": 404,
}


@pytest.fixture
def world(app, customer, employee, moderator):
    """Another member's things: posts, a comment, case studies in each state."""
    from network.extensions import db
    from network.models import Member
    from network.posts import service

    members_post = make_post(app, customer, title="Members", visibility=Visibility.members).id
    hidden_post = make_post(app, customer, title="Hidden").id
    with app.app_context():
        service.set_post_hidden(db.session.get(Member, moderator.id), hidden_post, True)
    comment = make_comment(app, customer, members_post, "a comment").id
    stories.opt_in(app, customer)
    draft = stories.make_case_study(app, employee, customer)
    asked = stories.make_case_study(app, employee, customer)
    stories.ask(app, employee, asked)
    published = stories.published_case_study(app, employee, customer)
    return {
        "members_post": members_post,
        "own_draft": hidden_post,
        "hidden_post": hidden_post,
        "comment": comment,
        "draft": draft,
        "asked": asked,
        "published": published,
        None: None,
    }


def api_write_rules(app):
    return {
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}
    }


def test_every_api_write_rule_has_a_row_or_acts_on_the_caller_only(app):
    acting_on_self = {
        "POST /api/v1/posts",  # a new post of one's own
        "PATCH /api/v1/me",
        "PATCH /api/v1/me/mail-preferences",  # one's own mail preferences
        "POST /api/v1/users/<handle>/follow",  # one's own follow of a public profile
        "DELETE /api/v1/users/<handle>/follow",
    }
    missing = api_write_rules(app) - set(API_EXPECTED) - acting_on_self
    assert missing == set(), "give each new write rule a row in API_EXPECTED"


@pytest.mark.parametrize("row", sorted(API_EXPECTED))
def test_an_intruder_hears_who_may_act_before_any_word_on_the_body(app, api, intruder, world, row):
    method, rule = row.split(" ", 1)
    caller = api(intruder)
    for thing, expected in API_EXPECTED[row].items():
        path = rule
        for name in ("post_id", "comment_id", "case_study_id"):
            path = path.replace(f"<int:{name}>", str(world[thing]))
        send = getattr(caller, method.lower())
        response = send(path, json=JUNK) if method != "DELETE" else send(path)
        assert response.status_code == expected, (row, thing, response.get_json())


def test_the_case_study_pages_ask_who_before_what(app, intruder, world, as_member):
    browser = as_member(intruder)
    token = csrf_token(browser.get("/posts/new").get_data(as_text=True))
    for path, expected in PAGE_EXPECTED.items():
        response = browser.post(
            path.format(asked=world["asked"]),
            data={"csrf_token": token, "name": "nobody", "comment": "", "revision": "x"},
        )
        assert response.status_code == expected, path


def test_the_customer_still_hears_what_is_wrong_with_the_body(app, api, customer, world):
    carla = api(customer)
    response = carla.post(f"/api/v1/case-studies/{world['asked']}/consent", json=JUNK)
    assert response.status_code == 422
    response = carla.post(f"/api/v1/case-studies/{world['asked']}/request-changes", json={})
    assert response.status_code == 422


def test_staff_still_hear_what_is_wrong_with_the_body(app, api, employee, world):
    emma = api(employee)
    assert emma.patch(f"/api/v1/case-studies/{world['draft']}", json=JUNK).status_code == 422
    assert emma.post("/api/v1/case-studies", json=JUNK).status_code == 422


def test_the_service_checks_who_before_the_comment(app, intruder, world):
    from network.case_studies import consent
    from network.exceptions import NotFound
    from network.extensions import db
    from network.models import Member

    with app.app_context():
        member = db.session.get(Member, intruder.id)
        with pytest.raises(NotFound):
            consent.request_changes(member, world["asked"], None)
        with pytest.raises(NotFound):
            consent.grant_consent(member, world["asked"], None, {})
        assert Role.customer == member.role
