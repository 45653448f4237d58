"""The JSON API's posts: create, read, edit, delete, who may do what (issue 7; SEC-11, SEC-12)."""

from __future__ import annotations

import pytest

from network.models import Visibility
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.content import make_post

# Run on SQLite and again on PostgreSQL (NUL bytes, 32-bit ids and locks differ there).
pytestmark = pytest.mark.both_databases

NEW = {"title": "Hello", "body": "First **post**", "visibility": "public"}


def test_a_member_publishes_a_post_and_gets_201_with_its_location(api, customer):
    carla = api(customer)

    created = carla.post("/api/v1/posts", json=NEW)

    assert created.status_code == 201
    post = created.json
    assert created.headers["Location"] == f"/api/v1/posts/{post['id']}"
    assert post["author"]["handle"] == "carla"
    assert post["html"].strip() == "<p>First <strong>post</strong></p>"
    assert post["version"] == 1 and post["state"] == "visible"
    assert carla.get(created.headers["Location"]).json == post


def test_anyone_reads_a_public_post_but_only_members_read_a_members_only_one(
    app, api, customer, intruder
):
    public = make_post(app, customer, "for everyone")
    private = make_post(app, customer, "for members", visibility=Visibility.members.value)
    anonymous = api()

    assert anonymous.get(f"/api/v1/posts/{public.id}").status_code == 200
    assert anonymous.get(f"/api/v1/posts/{private.id}").status_code == 404
    # members-only is for every signed-in member, not only the author
    assert api(intruder).get(f"/api/v1/posts/{private.id}").json["body"] == "for members"


def test_editing_changes_only_the_fields_sent_and_bumps_the_version(app, api, customer):
    post = make_post(app, customer, "old body", title="Old title")
    carla = api(customer)

    edited = carla.patch(f"/api/v1/posts/{post.id}", json={"version": 1, "body": "new body"})

    assert edited.status_code == 200
    assert edited.json["body"] == "new body"
    assert edited.json["title"] == "Old title"
    assert edited.json["version"] == 2
    assert edited.json["edited_at"].endswith("Z")
    cleared = carla.patch(f"/api/v1/posts/{post.id}", json={"version": 2, "title": None})
    assert cleared.json["title"] is None and cleared.json["body"] == "new body"


def test_a_stale_version_is_409_with_the_current_post(app, api, customer):
    post = make_post(app, customer, "v1")
    carla = api(customer)
    carla.patch(f"/api/v1/posts/{post.id}", json={"version": 1, "body": "v2 from the other tab"})

    stale = carla.patch(f"/api/v1/posts/{post.id}", json={"version": 1, "body": "v2 from here"})

    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "conflict"
    current = stale.json["error"]["current"]
    assert current["body"] == "v2 from the other tab" and current["version"] == 2


def test_another_members_post_is_403_to_edit_and_delete(app, api, customer, intruder):
    post = make_post(app, customer, "mine")
    ivan = api(intruder)

    assert (
        ivan.patch(f"/api/v1/posts/{post.id}", json={"version": 1, "body": "x"}).status_code == 403
    )
    assert ivan.delete(f"/api/v1/posts/{post.id}").status_code == 403
    assert api().get(f"/api/v1/posts/{post.id}").json["body"] == "mine"


def test_deleting_answers_204_and_the_post_is_gone_for_everyone(app, api, customer, moderator):
    post = make_post(app, customer, "short-lived")
    carla = api(customer)

    deleted = carla.delete(f"/api/v1/posts/{post.id}")

    assert deleted.status_code == 204 and deleted.data == b""
    assert carla.get(f"/api/v1/posts/{post.id}").status_code == 404
    assert api(moderator).get(f"/api/v1/posts/{post.id}").status_code == 404
    assert carla.delete(f"/api/v1/posts/{post.id}").status_code == 404


def test_a_moderator_may_delete_any_post(app, api, customer, moderator):
    post = make_post(app, customer, "rule-breaking")
    assert api(moderator).delete(f"/api/v1/posts/{post.id}").status_code == 204


def test_a_hidden_post_is_404_to_others_and_403_to_edit_for_its_author(
    app, api, customer, moderator
):
    from network.extensions import db
    from network.models import Member
    from network.posts import service

    post = make_post(app, customer, "hide me")
    with app.app_context():
        service.set_post_hidden(db.session.get(Member, moderator.id), post.id, True)

    assert api().get(f"/api/v1/posts/{post.id}").status_code == 404
    carla = api(customer)
    assert carla.get(f"/api/v1/posts/{post.id}").json["state"] == "hidden"
    assert (
        carla.patch(f"/api/v1/posts/{post.id}", json={"version": 2, "body": "x"}).status_code == 403
    )


@pytest.mark.parametrize(
    "field, value",
    [
        ("role", "admin"),
        ("author_id", 1),
        ("status", "active"),
        ("published", True),
        ("state", "visible"),
        ("is_announcement", True),
    ],
)
def test_unknown_and_forbidden_fields_are_422(api, customer, field, value):
    carla = api(customer)

    refused = carla.post("/api/v1/posts", json={**NEW, field: value})

    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "unknown_field"
    assert refused.json["error"]["field"] == field
    assert carla.get("/api/v1/public").json["items"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"body": 5, "visibility": "public"},
        {"body": None, "visibility": "public"},
        {"body": ["a"], "visibility": "public"},
        {"body": {"a": 1}, "visibility": "public"},
        {"body": "x" * 20_001, "visibility": "public"},
        {"body": "   ", "visibility": "public"},
        {"body": "a\u0000b", "visibility": "public"},
        {"body": "\ud800", "visibility": "public"},
        {"body": "ok", "visibility": "friends"},
        {"body": "ok", "visibility": True},
        {"body": "ok"},
        {"visibility": "public"},
        {"title": "t" * 201, "body": "ok", "visibility": "public"},
        {"title": 1.5, "body": "ok", "visibility": "public"},
    ],
)
def test_wrong_types_and_values_are_422_never_500(api, customer, body):
    refused = api(customer).post("/api/v1/posts", json=body)
    assert refused.status_code == 422, refused.json
    assert set(refused.json["error"]) >= {"code", "message", "field"}


@pytest.mark.parametrize(
    "data, content_type",
    [
        ("{not json", "application/json"),
        ('{"body": "x", "visibility": "public"', "application/json"),
        ("[1, 2]", "application/json"),
        ('"text"', "application/json"),
        ("NaN", "application/json"),
        (b"\xff\xfe", "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ('{"body": "x", "visibility": "public"}', "text/plain"),
        ("body=x&visibility=public", "application/x-www-form-urlencoded"),
        ("", None),
    ],
)
def test_malformed_json_or_another_content_type_is_400(api, customer, data, content_type):
    refused = api(customer).post("/api/v1/posts", data=data, content_type=content_type)
    assert refused.status_code == 400
    assert refused.json["error"]["code"] in {"malformed_json", "not_json"}


def test_a_body_over_the_size_cap_is_413(app, api, customer):
    cap = app.config["MAX_CONTENT_LENGTH"]
    huge = '{"body": "' + "x" * cap + '", "visibility": "public"}'

    refused = api(customer).post("/api/v1/posts", data=huge, content_type="application/json")

    assert refused.status_code == 413
    assert refused.json["error"]["code"] == "too_large"


def test_an_id_beyond_32_bits_is_404_not_500(api, customer):
    carla = api(customer)
    assert carla.get("/api/v1/posts/99999999999999999999").status_code == 404
    assert carla.delete("/api/v1/posts/4294967296").status_code == 404


class TestIdempotency:
    """REL-02: a retried POST answers the first result; the same key elsewhere is 422."""

    def test_a_retry_with_the_same_key_answers_the_first_post(self, api, customer):
        carla = api(customer)
        headers = {"Idempotency-Key": "retry-0001"}

        first = carla.post("/api/v1/posts", json=NEW, headers=headers)
        again = carla.post("/api/v1/posts", json=NEW, headers=headers)

        assert (again.status_code, again.json) == (first.status_code, first.json)
        assert len(carla.get("/api/v1/public").json["items"]) == 1

    def test_the_same_key_with_another_payload_is_422(self, api, customer):
        carla = api(customer)
        headers = {"Idempotency-Key": "retry-0002"}
        carla.post("/api/v1/posts", json=NEW, headers=headers)

        other = carla.post("/api/v1/posts", json={**NEW, "body": "other"}, headers=headers)

        assert other.status_code == 422
        assert other.json["error"]["field"] == "key"

    def test_keys_belong_to_their_member(self, api, customer, intruder):
        headers = {"Idempotency-Key": "shared-0003"}
        mine = api(customer).post("/api/v1/posts", json=NEW, headers=headers)
        theirs = api(intruder).post("/api/v1/posts", json=NEW, headers=headers)
        assert theirs.status_code == 201 and theirs.json["id"] != mine.json["id"]

    def test_a_malformed_key_is_422(self, api, customer):
        refused = api(customer).post("/api/v1/posts", json=NEW, headers={"Idempotency-Key": "x"})
        assert refused.status_code == 422
