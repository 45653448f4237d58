"""Lists of posts: GET /feed (the token owner's home feed) and GET /public (anyone)."""

from __future__ import annotations

from flask import Response, jsonify

from network import serializers
from network.api import spec
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


# The description ---------------------------------------------------------------------------------

POST_PAGE = spec.answer(
    {"items": {"type": "array", "items": spec.ref("Post")}, "next_cursor": spec.NEXT_CURSOR}
)
FEED_PAGE = spec.answer(
    {
        "items": {"type": "array", "items": spec.ref("Post")},
        "pinned": {
            "type": "array",
            "items": spec.ref("Post"),
            "description": "Current announcements, on the first page only.",
        },
        "next_cursor": spec.NEXT_CURSOR,
    }
)

SCHEMAS: dict[str, spec.Schema] = {"PostPage": POST_PAGE, "FeedPage": FEED_PAGE}

FEED_LIMIT = spec.query(
    "limit", "Posts per page (default 20).", {"type": "integer", "minimum": 1, "maximum": 200}
)

PATHS: dict[str, spec.PathItem] = {
    "/feed": {
        "get": spec.op(
            "getFeed",
            "Your home feed: your posts and those of people you follow, newest first",
            tag="posts",
            ok=spec.ok(200, "A page.", "FeedPage"),
            errors=(400,),
            parameters=[spec.CURSOR, FEED_LIMIT],
        ),
    },
    "/public": {
        "get": spec.op(
            "getPublic",
            "Public posts, newest first",
            tag="posts",
            ok=spec.ok(200, "A page.", "PostPage"),
            errors=(400,),
            public=True,
            parameters=[spec.CURSOR, FEED_LIMIT],
        ),
    },
}
