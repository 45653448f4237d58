"""The JSON API's comments and conversation events (issue 7; SEC-11, REL-02, REL-03, REL-04)."""

from __future__ import annotations

import pytest

from network.extensions import db
from network.models import Member, Visibility
from tests.support.api_client import api_fixture  # noqa: F401 (the `api` fixture)
from tests.support.content import make_comment, make_post

# Run on SQLite and again on PostgreSQL (NUL bytes, 32-bit ids and locks differ there).
pytestmark = pytest.mark.both_databases

COMMENT_FIELDS = {
    "id",
    "post_id",
    "seq",
    "n",
    "version",
    "state",
    "author",
    "html",
    "body",
    "created_at",
    "edited_at",
}


def test_a_comment_answers_201_with_the_comment_serializer_and_its_location(
    app, api, customer, employee
):
    post = make_post(app, customer)

    created = api(employee).post(f"/api/v1/posts/{post.id}/comments", json={"body": "Welcome!"})

    assert created.status_code == 201
    comment = created.json
    assert set(comment) == COMMENT_FIELDS
    assert comment["author"] == {
        "handle": "emma",
        "display_name": "Emma Employee",
        "role": "employee",
        "avatar_url": comment["author"]["avatar_url"],
    }
    assert (comment["post_id"], comment["seq"], comment["n"]) == (post.id, 1, 1)
    assert created.headers["Location"] == f"/api/v1/comments/{comment['id']}"
    assert api().get(created.headers["Location"]).json == comment


def test_comments_come_in_seq_order_after_a_seq_with_a_bounded_limit(app, api, customer):
    post = make_post(app, customer)
    for number in range(1, 6):
        make_comment(app, customer, post, f"comment {number}")
    anonymous = api()

    first = anonymous.get(f"/api/v1/posts/{post.id}/comments?limit=2").json
    rest = anonymous.get(f"/api/v1/posts/{post.id}/comments?after={first['next_after']}").json

    assert [c["seq"] for c in first["items"]] == [1, 2]
    assert first["next_after"] == 2
    assert [c["body"] for c in rest["items"]] == [f"comment {n}" for n in (3, 4, 5)]
    assert rest["next_after"] is None


def test_a_members_only_conversation_is_404_to_anonymous_callers(app, api, customer, intruder):
    post = make_post(app, customer, visibility=Visibility.members.value)
    make_comment(app, customer, post, "members talk")

    for path in ("comments", "events"):
        assert api().get(f"/api/v1/posts/{post.id}/{path}").status_code == 404
        assert api(intruder).get(f"/api/v1/posts/{post.id}/{path}").status_code == 200
    assert api().post(f"/api/v1/posts/{post.id}/comments", json={"body": "hi"}).status_code == 401


def test_events_replay_every_change_in_order_and_removed_comments_carry_no_words(
    app, api, customer, intruder, moderator
):
    post = make_post(app, customer)
    ivan = api(intruder)
    first = ivan.post(f"/api/v1/posts/{post.id}/comments", json={"body": "one"}).json
    second = ivan.post(f"/api/v1/posts/{post.id}/comments", json={"body": "secret two"}).json
    ivan.patch(f"/api/v1/comments/{first['id']}", json={"version": 1, "body": "one, edited"})
    ivan.delete(f"/api/v1/comments/{second['id']}")
    from network.posts import comments

    with app.app_context():
        comments.set_comment_hidden(db.session.get(Member, moderator.id), first["id"], True)

    everything = api().get(f"/api/v1/posts/{post.id}/events").json
    later = api().get(f"/api/v1/posts/{post.id}/events?after=2").json

    kinds = [(e["n"], e["kind"], e["comment"]["id"]) for e in everything["items"]]
    assert kinds == [
        (1, "comment", first["id"]),
        (2, "comment", second["id"]),
        (3, "comment_updated", first["id"]),
        (4, "comment_deleted", second["id"]),
        (5, "comment_hidden", first["id"]),
    ]
    assert everything["last_n"] == 5 and everything["next_after"] is None
    assert [e["n"] for e in later["items"]] == [3, 4, 5]
    text = str(everything)
    assert "secret two" not in text and "one, edited" not in text
    assert all(e["comment"]["body"] == "" == e["comment"]["html"] for e in everything["items"])


def test_events_are_paged_by_limit(app, api, customer):
    post = make_post(app, customer)
    for number in range(3):
        make_comment(app, customer, post, f"c{number}")

    page = api().get(f"/api/v1/posts/{post.id}/events?after=0&limit=2").json

    assert [e["n"] for e in page["items"]] == [1, 2]
    assert page["next_after"] == 2 and page["last_n"] == 3


def test_bad_after_or_limit_is_400(app, api, customer):
    post = make_post(app, customer)
    anonymous = api()
    for query in ("after=-1", "after=x", "limit=0", "limit=201", "limit=1e3", "after=99999999999"):
        for path in ("comments", "events"):
            answer = anonymous.get(f"/api/v1/posts/{post.id}/{path}?{query}")
            assert answer.status_code == 400, (path, query)
            assert answer.json["error"]["code"] == "bad_query"


def test_editing_a_comment_with_a_stale_version_is_409_with_the_current_comment(app, api, customer):
    post = make_post(app, customer)
    carla = api(customer)
    comment = carla.post(f"/api/v1/posts/{post.id}/comments", json={"body": "draft"}).json
    carla.patch(f"/api/v1/comments/{comment['id']}", json={"version": 1, "body": "saved elsewhere"})

    stale = carla.patch(f"/api/v1/comments/{comment['id']}", json={"version": 1, "body": "mine"})

    assert stale.status_code == 409
    assert stale.json["error"]["current"]["body"] == "saved elsewhere"
    assert stale.json["error"]["current"]["version"] == 2


def test_someone_elses_comment_is_403_to_edit_and_delete(app, api, customer, intruder):
    post = make_post(app, customer)
    comment = make_comment(app, customer, post, "my words")
    ivan = api(intruder)

    edit = ivan.patch(f"/api/v1/comments/{comment.id}", json={"version": 1, "body": "yours now"})

    assert edit.status_code == 403
    assert ivan.delete(f"/api/v1/comments/{comment.id}").status_code == 403
    assert api().get(f"/api/v1/comments/{comment.id}").json["body"] == "my words"


def test_a_deleted_comment_is_gone_and_its_place_stays(app, api, customer):
    post = make_post(app, customer)
    comment = make_comment(app, customer, post, "bye")
    carla = api(customer)

    assert carla.delete(f"/api/v1/comments/{comment.id}").status_code == 204

    assert carla.get(f"/api/v1/comments/{comment.id}").status_code == 404
    assert carla.delete(f"/api/v1/comments/{comment.id}").status_code == 404
    listed = carla.get(f"/api/v1/posts/{post.id}/comments").json["items"]
    assert [(c["seq"], c["state"], c["body"]) for c in listed] == [(1, "deleted", "")]


def test_a_hidden_post_is_closed_for_comments_409_with_the_post(app, api, customer, moderator):
    from network.posts import service

    post = make_post(app, customer)
    with app.app_context():
        service.set_post_hidden(db.session.get(Member, moderator.id), post.id, True)

    closed = api(customer).post(f"/api/v1/posts/{post.id}/comments", json={"body": "hello?"})

    assert closed.status_code == 409
    assert closed.json["error"]["current"]["state"] == "hidden"


def test_comments_on_an_invisible_post_are_404(app, api, customer, intruder, moderator):
    from network.posts import service

    post = make_post(app, customer)
    with app.app_context():
        service.set_post_hidden(db.session.get(Member, moderator.id), post.id, True)

    answer = api(intruder).post(f"/api/v1/posts/{post.id}/comments", json={"body": "hi"})

    assert answer.status_code == 404
    assert api(intruder).get("/api/v1/posts/999999/comments").status_code == 404


def test_a_retried_comment_answers_the_first_one_and_another_body_is_422(app, api, customer):
    post = make_post(app, customer)
    carla = api(customer)
    headers = {"Idempotency-Key": "comment-retry-1"}
    path = f"/api/v1/posts/{post.id}/comments"

    first = carla.post(path, json={"body": "once"}, headers=headers)
    again = carla.post(path, json={"body": "once"}, headers=headers)
    other = carla.post(path, json={"body": "twice"}, headers=headers)

    assert (again.status_code, again.json) == (201, first.json)
    assert other.status_code == 422
    assert len(carla.get(path).json["items"]) == 1


def test_comment_fields_are_checked(app, api, customer):
    post = make_post(app, customer)
    comment = make_comment(app, customer, post)
    carla = api(customer)
    path = f"/api/v1/posts/{post.id}/comments"

    assert carla.post(path, json={"body": "x" * 5_001}).status_code == 422
    assert carla.post(path, json={"body": "hi", "author_id": 2}).status_code == 422
    assert (
        carla.patch(f"/api/v1/comments/{comment.id}", json={"body": "no version"}).status_code
        == 422
    )
    assert (
        carla.patch(
            f"/api/v1/comments/{comment.id}", json={"version": "1", "body": "x"}
        ).status_code
        == 422
    )
