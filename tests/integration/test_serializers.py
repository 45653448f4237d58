"""One serializer per entity, RFC 3339 UTC times with Z (issue 5, item 5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from network import serializers
from network.extensions import db
from network.models import Member
from tests.support.content import make_comment, make_post

RFC3339_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def test_times_are_rfc3339_utc_with_z():
    moscow = timezone(timedelta(hours=3))
    assert (
        serializers.rfc3339(datetime(2026, 11, 26, 15, 0, tzinfo=moscow)) == "2026-11-26T12:00:00Z"
    )
    assert serializers.rfc3339(None) is None


def test_the_comment_shape_is_the_contract(app, customer, employee):
    from network.posts import comments

    post = make_post(app, customer)
    made = make_comment(app, employee, post, "hello https://example.com")
    with app.test_request_context():
        data = serializers.comment(comments.load_comment(made.id))
    assert set(data) == {
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
    assert set(data["author"]) == {"handle", "display_name", "role", "avatar_url"}
    assert data["author"]["role"] == "employee"
    assert (data["seq"], data["n"], data["version"]) == (1, 1, 1)
    assert RFC3339_Z.match(data["created_at"]) and data["edited_at"] is None
    assert 'rel="nofollow ugc noopener"' in data["html"]


def test_a_removed_comment_keeps_its_place_not_its_words(app, customer):
    from network.posts import comments

    post = make_post(app, customer)
    made = make_comment(app, customer, post, "secret words")
    with app.test_request_context():
        comments.delete_comment(db.session.get(Member, customer.id), made.id)
        data = serializers.comment(comments.load_comment(made.id))
    assert data["state"] == "deleted" and data["html"] == "" and data["body"] == ""
    assert data["seq"] == 1 and data["n"] == 2


def test_the_post_shape(app, customer):
    from network.posts import service

    made = make_post(app, customer, title="T", body="B")
    with app.test_request_context():
        data = serializers.post(service.load_post(made.id))
    assert data["title"] == "T" and data["html"] == "<p>B</p>\n"
    assert data["author"]["handle"] == "carla"
    assert RFC3339_Z.match(data["created_at"])
    assert datetime.fromisoformat(data["created_at"].replace("Z", "+00:00")).tzinfo == UTC
