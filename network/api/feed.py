"""Lists of posts: GET /feed (the token owner's home feed) and GET /public (anyone)."""

from __future__ import annotations

from flask import Response, jsonify

from network import serializers
from network.api.auth import caller, token_required
from network.api.blueprint import blueprint
from network.api.validation import query_int, query_text
from network.posts import feed

DEFAULT_LIMIT = feed.PAGE_SIZE
MAX_LIMIT = 200


def _cursor() -> str | None:
    # Opaque: network.pagination reads it and answers BadCursor (400) for one it did not make.
    return query_text("cursor") or None


def _limit() -> int:
    return query_int("limit", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)


@blueprint.get("/feed")
@token_required
def home() -> Response:
    """Own posts and those of people followed, newest first; announcements on page one."""
    page = feed.home_feed(caller(), _cursor(), _limit())
    return jsonify(
        {
            "items": [serializers.post(post) for post in page.items],
            "pinned": [serializers.post(post) for post in page.pinned],
            "next_cursor": page.next_cursor,
        }
    )


@blueprint.get("/public")
def public() -> Response:
    """Public, visible posts, newest first: the open web's view, no token needed."""
    page = feed.public_posts(_cursor(), _limit())
    return jsonify(
        {"items": [serializers.post(post) for post in page.items], "next_cursor": page.next_cursor}
    )
