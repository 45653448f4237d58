"""The JSON API's case studies: each operation, each refusal, and the scopes in every answer.

Issue 10 (API, item 9). SEC-11: what you may not see is 404, what you may see
but not do is 403. SEC-51: an answer carries the story only within the scopes
the customer granted to the exact revision shown.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from network.case_studies import access
from network.extensions import db
from network.models import CaseStudy, Role
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.case_studies import (
    COMPANY,
    OPEN_SCOPES,
    STORY,
    ask,
    current_hash,
    make_case_study,
    opt_in,
    published_case_study,
    withdraw,
)

pytestmark = pytest.mark.both_databases

BASE = "/api/v1/case-studies"
NEW = {"customer": "carla", **STORY}
ANONYMOUS_PUBLIC = {
    "name": "anonymous",
    "company": "hidden",
    "logo": False,
    "quote": True,
    "figures": True,
    "audience": "public",
}
WORKINGS = {"customer", "revision", "current_revision", "consent"}


def consent_body(revision, /, **scopes):
    return {"revision": revision, **OPEN_SCOPES, **scopes}


def count_case_studies(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CaseStudy))


@pytest.fixture
def colleague(member_factory):
    """Another employee, not on the case study."""
    return member_factory(role=Role.employee, handle="otto", display_name="Otto Other")


# Writing ----------------------------------------------------------------------------------------


def test_staff_create_a_draft_about_an_opted_in_customer(app, api, customer, employee):
    opt_in(app, customer)
    emma = api(employee)

    created = emma.post(BASE, json=NEW)

    assert created.status_code == 201
    answer = created.json
    assert created.headers["Location"] == f"{BASE}/{answer['id']}"
    assert answer["status"] == "draft"
    assert answer["customer"] == "carla"
    assert answer["published_revision"] is None and answer["story"] is None
    assert answer["consent"] is None
    revision = answer["current_revision"]
    assert answer["revision"] == revision["hash"] and len(revision["hash"]) == 64
    assert revision["number"] == 1 and revision["state"] == "draft"
    assert revision["title"] == STORY["title"] and revision["figures"] == STORY["figures"]
    assert revision["quote"] == STORY["quote"] and revision["logo"] is None
    assert answer["url"] == f"/case-studies/{answer['id']}"
    assert emma.get(created.headers["Location"]).json == answer


def test_a_customer_who_did_not_opt_in_is_refused_by_name(app, api, customer, employee):
    refused = api(employee).post(BASE, json=NEW)

    assert refused.status_code == 422
    assert refused.json["error"]["field"] == "customer"
    assert "@carla" in refused.json["error"]["message"]
    assert count_case_studies(app) == 0


def test_only_staff_write_case_studies(app, api, customer, intruder, moderator, admin):
    opt_in(app, customer)

    assert api(customer).post(BASE, json=NEW).status_code == 403
    assert api(intruder).post(BASE, json=NEW).status_code == 403
    assert api(moderator).post(BASE, json=NEW).status_code == 403
    assert api().post(BASE, json=NEW).status_code == 401
    assert api(admin).post(BASE, json=NEW).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "status": "published"}, "status"),
        ({**NEW, "title": "  "}, "title"),
        ({**NEW, "challenge": 7}, "challenge"),
        ({**NEW, "figures": [{"label": "Downtime"}]}, "figures"),
        ({**NEW, "figures": [{"label": "A", "value": "1", "colour": "red"}]}, "figures"),
        ({**NEW, "figures": [{"label": "A", "value": 66}]}, "figures"),
        ({**NEW, "figures": ["66%"]}, "figures"),
        ({**NEW, "figures": [{"label": "A", "value": "1"}] * 13}, "figures"),
        ({**NEW, "logo": "not-an-upload.png"}, "logo"),
        ({key: value for key, value in NEW.items() if key != "results"}, "results"),
    ],
)
def test_a_bad_draft_is_422_naming_the_field(app, api, customer, employee, body, field):
    opt_in(app, customer)

    refused = api(employee).post(BASE, json=body)

    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["field"] == field
    assert count_case_studies(app) == 0


def test_a_retried_create_with_one_idempotency_key_makes_one_case_study(
    app, api, customer, employee
):
    opt_in(app, customer)
    emma = api(employee)
    headers = {"Idempotency-Key": "case-study-0001"}

    first = emma.post(BASE, json=NEW, headers=headers)
    again = emma.post(BASE, json=NEW, headers=headers)
    other = emma.post(BASE, json={**NEW, "title": "Another story"}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert again.headers["Location"] == first.headers["Location"]
    assert other.status_code == 422 and other.json["error"]["field"] == "key"
    assert count_case_studies(app) == 1


def test_an_edit_changes_only_the_fields_sent_as_a_new_revision(app, api, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    first = current_hash(app, case_study_id)

    edited = api(employee).patch(
        f"{BASE}/{case_study_id}", json={"title": "Bread at dawn", "base_revision": first}
    )

    assert edited.status_code == 200
    revision = edited.json["current_revision"]
    assert revision["number"] == 2 and revision["hash"] != first
    assert revision["title"] == "Bread at dawn"
    assert revision["challenge"] == STORY["challenge"] and revision["figures"] == STORY["figures"]
    cleared = api(employee).patch(f"{BASE}/{case_study_id}", json={"quote": None, "figures": []})
    assert cleared.json["current_revision"]["quote"] == ""
    assert cleared.json["current_revision"]["figures"] == []


def test_a_stale_base_revision_is_409_with_the_case_study_as_it_is(app, api, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    first = current_hash(app, case_study_id)
    emma = api(employee)
    emma.patch(f"{BASE}/{case_study_id}", json={"title": "Saved in the other tab"})

    stale = emma.patch(f"{BASE}/{case_study_id}", json={"title": "Mine", "base_revision": first})

    assert stale.status_code == 409
    current = stale.json["error"]["current"]
    assert current["id"] == case_study_id
    assert current["current_revision"]["title"] == "Saved in the other tab"


def test_who_may_edit(app, api, customer, employee, intruder):
    opt_in(app, customer)
    draft_id = make_case_study(app, employee, customer)
    live_id = published_case_study(app, employee, customer)
    change = {"title": "Changed"}

    assert api(intruder).patch(f"{BASE}/{draft_id}", json=change).status_code == 404
    # visible (published), but not theirs to change
    assert api(intruder).patch(f"{BASE}/{live_id}", json=change).status_code == 403
    assert api(customer).patch(f"{BASE}/{live_id}", json=change).status_code == 403
    assert api(employee).patch(f"{BASE}/999999", json=change).status_code == 404


# Consent ----------------------------------------------------------------------------------------


def test_the_whole_way_from_draft_to_published_through_the_api(app, api, customer, employee):
    opt_in(app, customer)
    emma, carla = api(employee), api(customer)
    case_study_id = emma.post(BASE, json=NEW).json["id"]
    path = f"{BASE}/{case_study_id}"
    assert carla.get(path).status_code == 404  # not sent yet

    asked = emma.post(f"{path}/request-consent")
    assert asked.status_code == 200 and asked.json["status"] == "awaiting_consent"
    revision = asked.json["revision"]
    assert carla.get(path).json["current_revision"]["state"] == "awaiting_consent"

    granted = carla.post(f"{path}/consent", json=consent_body(revision))
    assert granted.status_code == 200 and granted.json["status"] == "approved"
    assert granted.json["consent"]["revision"] == revision
    assert granted.json["consent"]["name"] == "full"

    published = emma.post(f"{path}/publish")
    assert published.status_code == 200 and published.json["status"] == "published"
    assert published.json["published_revision"] == revision

    seen = api().get(path)
    assert seen.status_code == 200
    assert set(seen.json) == {"id", "status", "published_revision", "story", "url"}
    story = seen.json["story"]
    assert story["customer"] == {"name": "Carla Customer", "handle": "carla"}
    assert story["company"] == COMPANY and story["revision"] == revision
    assert story["figures"] == STORY["figures"] and story["quote"] == STORY["quote"]
    assert "<strong>live answers</strong>" in story["solution_html"]


def test_request_consent_takes_an_optional_revision(app, api, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    emma = api(employee)
    stale = emma.post(f"{BASE}/{case_study_id}/request-consent", json={"revision": "a" * 64})
    assert stale.status_code == 409 and stale.json["error"]["field"] == "revision"

    asked = emma.post(
        f"{BASE}/{case_study_id}/request-consent",
        json={"revision": current_hash(app, case_study_id)},
    )

    assert asked.json["status"] == "awaiting_consent"
    assert api(customer).post(f"{BASE}/{case_study_id}/request-consent").status_code == 403


def test_publishing_without_consent_is_409(app, api, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    ask(app, employee, case_study_id)

    refused = api(employee).post(f"{BASE}/{case_study_id}/publish")

    assert refused.status_code == 409
    assert refused.json["error"]["current"]["status"] == "awaiting_consent"
    assert api(customer).post(f"{BASE}/{case_study_id}/publish").status_code == 403


def test_only_the_named_customer_consents(app, api, customer, employee, intruder, admin):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    revision = ask(app, employee, case_study_id)
    body = consent_body(revision)
    path = f"{BASE}/{case_study_id}/consent"

    assert api(intruder).post(path, json=body).status_code == 404
    assert api(employee).post(path, json=body).status_code == 404
    assert api(admin).post(path, json=body).status_code == 404
    assert api().post(path, json=body).status_code == 401
    # who cannot see it learns nothing from the scopes they send, either
    bad = consent_body(revision, logo=True, company="hidden", expires_on="2020-01-01")
    assert api(intruder).post(path, json=bad).status_code == 404
    assert api(customer).post(path, json=body).json["status"] == "approved"


def test_consent_to_a_revision_that_is_no_longer_current_is_409(app, api, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    shown = ask(app, employee, case_study_id)
    api(employee).patch(f"{BASE}/{case_study_id}", json={"results": "Even better."})

    stale = api(customer).post(f"{BASE}/{case_study_id}/consent", json=consent_body(shown))

    assert stale.status_code == 409
    assert stale.json["error"]["field"] == "revision"
    current = stale.json["error"]["current"]
    assert current["current_revision"]["results"] == "Even better."
    assert current["current_revision"]["hash"] != shown


def test_the_name_leak_guard_says_where_the_name_is(app, api, customer, employee):
    opt_in(app, customer)
    case_study_id = make_case_study(
        app, employee, customer, challenge="Carla's ovens failed every morning at five."
    )
    revision = ask(app, employee, case_study_id)

    refused = api(customer).post(
        f"{BASE}/{case_study_id}/consent", json=consent_body(revision, **ANONYMOUS_PUBLIC)
    )

    assert refused.status_code == 422
    assert refused.json["error"]["field"] == "name"
    message = refused.json["error"]["message"]
    assert "Challenge" in message and "Carla" in message
    assert api(customer).get(f"{BASE}/{case_study_id}").json["status"] == "awaiting_consent"


@pytest.mark.parametrize(
    ("scopes", "field"),
    [
        ({"name": "everyone"}, "name"),
        ({"audience": "world"}, "audience"),
        ({"logo": "yes"}, "logo"),
        ({"company": "industry", "industry": None}, "industry"),
        ({"expires_on": "2020-01-01"}, "expires_on"),
        ({"expires_on": "tomorrow"}, "expires_on"),
        ({"revision": "not a hash"}, "revision"),
    ],
)
def test_bad_scopes_are_422_naming_the_field(app, api, customer, employee, scopes, field):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    revision = ask(app, employee, case_study_id)

    refused = api(customer).post(
        f"{BASE}/{case_study_id}/consent", json=consent_body(revision, **scopes)
    )

    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["field"] == field


def test_the_customer_asks_for_changes(app, api, customer, employee, intruder):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    ask(app, employee, case_study_id)
    path = f"{BASE}/{case_study_id}/request-changes"

    assert api(customer).post(path, json={"comment": "  "}).status_code == 422
    assert api(intruder).post(path, json={"comment": "No"}).status_code == 404
    assert api(employee).post(path, json={"comment": "No"}).status_code == 404
    asked = api(customer).post(path, json={"comment": "Leave out the espresso machines."})

    assert asked.status_code == 200 and asked.json["status"] == "changes_requested"
    log = api(customer).get(f"{BASE}/{case_study_id}/consent-log").json["items"]
    assert log[-1]["action"] == "changes_requested"
    assert log[-1]["details"] == {"comment": "Leave out the espresso machines."}


def test_an_edit_after_consent_keeps_the_approved_text_published(
    app, api, customer, employee, intruder
):
    case_study_id = published_case_study(app, employee, customer)
    approved = current_hash(app, case_study_id)
    path = f"{BASE}/{case_study_id}"

    edited = api(employee).patch(path, json={"title": "A new title awaiting Carla"})
    api(employee).post(f"{path}/request-consent")

    for reader in (api(intruder), api()):
        seen = reader.get(path).json
        assert seen["story"]["title"] == STORY["title"]
        assert seen["published_revision"] == approved
        assert "A new title" not in json.dumps(seen)
    for insider in (api(employee), api(customer)):
        seen = insider.get(path).json
        assert seen["status"] == "published" and seen["published_revision"] == approved
        assert seen["story"]["title"] == STORY["title"]
        assert seen["current_revision"]["title"] == "A new title awaiting Carla"
        assert seen["current_revision"]["hash"] == edited.json["revision"] != approved


# Reading: scopes, audiences, withdrawal -----------------------------------------------------


def test_anonymous_scope_leaves_no_trace_of_the_customer(app, api, customer, employee, intruder):
    case_study_id = published_case_study(app, employee, customer, **ANONYMOUS_PUBLIC)

    for reader in (api(), api(intruder)):
        one = reader.get(f"{BASE}/{case_study_id}")
        listed = reader.get(BASE)
        assert one.status_code == 200 and listed.json["items"][0]["id"] == case_study_id
        for answer in (one, listed):
            text = answer.get_data(as_text=True)
            for trace in ("Carla", "carla", "Customer 1", COMPANY):
                assert trace not in text, trace
        assert one.json["story"]["customer"] == {"name": "A customer", "handle": None}
        assert one.json["story"]["company"] is None
    assert api(customer).get(f"{BASE}/{case_study_id}").json["customer"] == "carla"


def test_members_only_stories_are_invisible_to_anonymous_callers(
    app, api, customer, employee, intruder
):
    case_study_id = published_case_study(app, employee, customer, audience="members")

    assert api().get(f"{BASE}/{case_study_id}").status_code == 404
    assert api().get(BASE).json["items"] == []
    assert api(intruder).get(f"{BASE}/{case_study_id}").json["story"]["audience"] == "members"
    assert [item["id"] for item in api(intruder).get(BASE).json["items"]] == [case_study_id]


def test_a_withdrawn_story_is_gone_for_everyone_but_the_customer_and_staff(
    app, api, customer, employee, intruder
):
    case_study_id = published_case_study(app, employee, customer)
    path = f"{BASE}/{case_study_id}"
    assert api(employee).post(f"{path}/withdraw").status_code == 404
    # only the customer answers for it: to anyone else it is not there to withdraw
    assert api(intruder).post(f"{path}/withdraw").status_code == 404

    withdrawn = api(customer).post(f"{path}/withdraw")

    assert withdrawn.status_code == 200
    assert withdrawn.json["status"] == "withdrawn" and withdrawn.json["story"] is None
    assert withdrawn.json["published_revision"] is None
    assert withdrawn.json["consent"]["ended_at"] is not None
    for outsider in (api(), api(intruder)):
        assert outsider.get(path).status_code == 404
        assert outsider.get(BASE).json["items"] == []
        assert outsider.post(f"{path}/withdraw").status_code in (401, 404)
    for insider in (api(customer), api(employee)):
        seen = insider.get(path)
        assert seen.status_code == 200 and seen.json["status"] == "withdrawn"
    assert api(customer).post(f"{path}/withdraw").json["status"] == "withdrawn"  # harmless twice


def test_an_expired_consent_is_enforced_when_read(
    app, api, customer, employee, intruder, monkeypatch
):
    today = access.today()
    tomorrow = (today + timedelta(days=1)).isoformat()
    case_study_id = published_case_study(app, employee, customer, expires_on=tomorrow)
    path = f"{BASE}/{case_study_id}"
    assert api().get(path).json["story"]["title"] == STORY["title"]

    monkeypatch.setattr(access, "today", lambda: today + timedelta(days=2))

    assert api().get(path).status_code == 404
    assert api(intruder).get(BASE).json["items"] == []
    seen = api(employee).get(path).json
    assert seen["status"] == "expired" and seen["story"] is None
    assert seen["consent"]["expires_on"] == tomorrow


def test_unpublished_work_is_404_to_everyone_outside(app, api, customer, employee, intruder):
    opt_in(app, customer)
    case_study_id = make_case_study(app, employee, customer)
    path = f"{BASE}/{case_study_id}"

    for outsider in (api(), api(intruder), api(customer)):
        assert outsider.get(path).status_code == 404
    assert api(intruder).get(f"{path}/consent-log").status_code == 404
    assert api(intruder).post(f"{path}/request-changes", json={"comment": "x"}).status_code == 404
    assert api().get(f"{BASE}/999999").status_code == 404
    assert api(employee).get(f"{BASE}/99999999999").status_code == 404


def test_the_list_is_newest_first_in_pages(app, api, customer, employee, intruder):
    ids = [published_case_study(app, employee, customer) for _ in range(3)]
    ivan = api(intruder)

    first = ivan.get(f"{BASE}?limit=2").json
    rest = ivan.get(f"{BASE}?limit=2&cursor={first['next_cursor']}").json

    assert [item["id"] for item in first["items"]] == ids[:0:-1]
    assert [item["id"] for item in rest["items"]] == [ids[0]] and rest["next_cursor"] is None
    assert not WORKINGS & set(first["items"][0])
    assert set(api(employee).get(BASE).json["items"][0]) >= WORKINGS
    assert ivan.get(f"{BASE}?cursor=made-up").status_code == 400
    assert ivan.get(f"{BASE}?limit=0").status_code == 400


def test_a_page_costs_a_fixed_number_of_queries(
    app, api, customer, employee, intruder, count_queries
):
    published_case_study(app, employee, customer)
    readers = (api(intruder), api(employee), api())
    for reader in readers:
        reader.get(BASE)
    with count_queries() as few:
        for reader in readers:
            reader.get(BASE)
    for _ in range(4):
        published_case_study(app, employee, customer)
    with count_queries() as many:
        for reader in readers:
            assert len(reader.get(BASE).json["items"]) == 5
    assert many.count == few.count


# The consent log --------------------------------------------------------------------------------


def test_who_reads_the_consent_log(app, api, customer, employee, colleague, admin, intruder):
    case_study_id = published_case_study(app, employee, customer)
    path = f"{BASE}/{case_study_id}/consent-log"

    for reader in (customer, admin, employee):
        assert api(reader).get(path).status_code == 200, reader.handle
    for outsider in (colleague, intruder):
        assert api(outsider).get(path).status_code == 404, outsider.handle
    assert api().get(path).status_code == 401


def test_the_consent_log_records_every_step(app, api, customer, employee):
    case_study_id = published_case_study(app, employee, customer, audience="members")
    revision = current_hash(app, case_study_id)
    withdraw(app, customer, case_study_id)

    log = api(customer).get(f"{BASE}/{case_study_id}/consent-log").json

    assert log["case_study"] == case_study_id
    entries = log["items"]
    assert [entry["action"] for entry in entries] == [
        "requested",
        "granted",
        "published",
        "withdrawn",
    ]
    assert [entry["actor"] for entry in entries] == [
        "Emma Employee",
        "Carla Customer",
        "Emma Employee",
        "Carla Customer",
    ]
    granted = entries[1]
    assert granted["revision"] == revision and granted["revision_number"] == 1
    assert granted["details"]["scopes"]["audience"] == "members"
    assert all(entry["at"].endswith("Z") for entry in entries)


# PATCH /me --------------------------------------------------------------------------------------


def test_a_customer_opts_in_by_patch_me(app, api, customer):
    carla = api(customer)
    assert carla.get("/api/v1/me").json["open_to_case_studies"] is False

    changed = carla.patch("/api/v1/me", json={"open_to_case_studies": True, "title": "Owner"})

    assert changed.status_code == 200
    assert changed.json["open_to_case_studies"] is True and changed.json["title"] == "Owner"
    assert carla.get("/api/v1/me").json["open_to_case_studies"] is True
    assert (
        carla.patch("/api/v1/me", json={"open_to_case_studies": False}).json["open_to_case_studies"]
        is False
    )


def test_staff_cannot_opt_in_and_do_not_see_the_flag(app, api, employee):
    emma = api(employee)

    refused = emma.patch("/api/v1/me", json={"open_to_case_studies": True})

    assert refused.status_code == 422
    assert refused.json["error"]["field"] == "open_to_case_studies"
    assert "open_to_case_studies" not in emma.get("/api/v1/me").json
    assert emma.patch("/api/v1/me", json={"open_to_case_studies": "yes"}).status_code == 422


def test_an_opt_in_by_patch_me_lets_staff_write_about_the_customer(app, api, customer, employee):
    api(customer).patch("/api/v1/me", json={"open_to_case_studies": True})

    assert api(employee).post(BASE, json=NEW).status_code == 201


# The document -----------------------------------------------------------------------------------


def test_the_openapi_document_describes_every_case_study_operation(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    expected = {
        "/case-studies": {"get": {"200", "400"}, "post": {"201", "403", "422"}},
        "/case-studies/{case_study_id}": {
            "get": {"200", "404"},
            "patch": {"200", "403", "404", "409", "422"},
        },
        "/case-studies/{case_study_id}/request-consent": {"post": {"200", "403", "404", "409"}},
        "/case-studies/{case_study_id}/consent": {"post": {"200", "404", "409", "422"}},
        "/case-studies/{case_study_id}/request-changes": {"post": {"200", "404", "409", "422"}},
        "/case-studies/{case_study_id}/publish": {"post": {"200", "403", "404", "409"}},
        "/case-studies/{case_study_id}/withdraw": {"post": {"200", "404"}},
        "/case-studies/{case_study_id}/consent-log": {"get": {"200", "404"}},
    }
    for path, operations in expected.items():
        for method, statuses in operations.items():
            responses = set(paths[path][method]["responses"])
            assert statuses | {"401", "429"} <= responses, (path, method)
