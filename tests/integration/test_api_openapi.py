"""The OpenAPI document names every API route, every status and closes every request body."""

from __future__ import annotations

import re

import pytest

from network.api import spec

HTTP_METHODS = {"get", "post", "patch", "put", "delete"}
STATE_CHANGES = {
    "/users/{handle}/follow",
    *(
        f"/case-studies/{{case_study_id}}/{step}"
        for step in ("request-consent", "consent", "request-changes", "publish", "withdraw")
    ),
}


@pytest.fixture
def document(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    return answer.json


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def test_the_document_is_valid_openapi_3_1(document):
    schemathesis = pytest.importorskip("schemathesis")
    assert document["openapi"].startswith("3.1")
    schemathesis.openapi.from_dict(document).validate()


def test_it_describes_exactly_the_routes_the_app_serves(app, document):
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            served |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, method, _operation in _operations(document)}
    assert documented == served


def test_every_operation_names_its_refusals(document):
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        assert {"401", "429"} <= set(responses), (path, method)
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= set(responses), (path, method)
        if "{" in path:
            assert "404" in responses, (path, method)
        # Following and a case study's steps change a state; every other POST creates.
        if method == "post" and path not in STATE_CHANGES:
            assert "201" in responses and "Location" in responses["201"]["headers"]


def test_every_request_body_is_closed_to_unknown_fields(document):
    request_schemas = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for _path, _method, operation in _operations(document)
        if "requestBody" in operation
    }
    assert request_schemas == {
        "NewPost",
        "PostChanges",
        "NewComment",
        "CommentChanges",
        "MeChanges",
        "MailPreferenceChanges",
        "NewCaseStudy",
        "CaseStudyChanges",
        "ConsentRequest",
        "Consent",
        "ChangeRequest",
    }
    for name in request_schemas:
        assert document["components"]["schemas"][name]["additionalProperties"] is False, name


def test_anonymous_access_is_declared_exactly_on_the_public_reads(document):
    public = {
        (path, method)
        for path, method, operation in _operations(document)
        if {} in operation.get("security", document["security"])
    }
    assert public == {
        ("/public", "get"),
        ("/posts/{post_id}", "get"),
        ("/posts/{post_id}/comments", "get"),
        ("/posts/{post_id}/events", "get"),
        ("/comments/{comment_id}", "get"),
        ("/users/{handle}", "get"),
        ("/case-studies", "get"),
        ("/case-studies/{case_study_id}", "get"),
        ("/openapi.json", "get"),
    }
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_languages_offered_are_the_communitys(app, document):
    language = document["components"]["schemas"]["MeChanges"]["properties"]["language"]
    assert language["enum"] == list(app.config["LANGUAGES"])


def test_the_text_patterns_mean_what_the_services_check():
    some_text = re.compile(spec.SOME_TEXT)
    plain_text = re.compile(spec.PLAIN_TEXT)
    assert some_text.search("  a ") and some_text.search("x\n\ny")
    assert not some_text.search("") and not some_text.search(" \n\t")
    assert not some_text.search("a\x00") and not plain_text.search("\x00")
    assert plain_text.search("") and plain_text.search("anything else")
    # linear on long input: no backtracking blow-up on a NUL at the end
    assert not some_text.search(" " * 20_000 + "a" * 20_000 + "\x00")
