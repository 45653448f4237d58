"""The rows of the route inventory (SEC-10) for the JSON API (/api/v1).

The inventory's people are browsers signed in by cookie, without a token:
the API ignores the cookie, so everyone is anonymous here.  Public reads
answer alike for everyone (carla's profile is public; post and comment
999999 do not exist), and everything else is 401 before the body is read
(with a token, a form-encoded body like the inventory's would be 400: the
API takes JSON only).  The inventory sends POST for every method that is
not GET: a PATCH- or DELETE-only path answers that POST with 405, and the
follow path answers it as POST /follow.  test_api_auth.py sends the real
methods and proves 401 for each.
"""

from tests.inventory.people import same

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /api/v1/openapi.json": ("/api/v1/openapi.json", same(200)),
    "GET /api/v1/me": ("/api/v1/me", same(401)),
    "PATCH /api/v1/me": ("/api/v1/me", same(405)),
    "GET /api/v1/me/mail-preferences": ("/api/v1/me/mail-preferences", same(401)),
    "PATCH /api/v1/me/mail-preferences": ("/api/v1/me/mail-preferences", same(405)),
    "GET /api/v1/users/<handle>": ("/api/v1/users/carla", same(200)),
    "POST /api/v1/users/<handle>/follow": ("/api/v1/users/carla/follow", same(401)),
    "DELETE /api/v1/users/<handle>/follow": ("/api/v1/users/carla/follow", same(401)),
    "GET /api/v1/feed": ("/api/v1/feed", same(401)),
    "GET /api/v1/public": ("/api/v1/public", same(200)),
    "POST /api/v1/posts": ("/api/v1/posts", same(401)),
    "GET /api/v1/posts/<int:post_id>": ("/api/v1/posts/999999", same(404)),
    "PATCH /api/v1/posts/<int:post_id>": ("/api/v1/posts/999999", same(405)),
    "DELETE /api/v1/posts/<int:post_id>": ("/api/v1/posts/999999", same(405)),
    "GET /api/v1/posts/<int:post_id>/comments": ("/api/v1/posts/999999/comments", same(404)),
    "POST /api/v1/posts/<int:post_id>/comments": ("/api/v1/posts/999999/comments", same(401)),
    "GET /api/v1/posts/<int:post_id>/events": ("/api/v1/posts/999999/events", same(404)),
    "GET /api/v1/comments/<int:comment_id>": ("/api/v1/comments/999999", same(404)),
    "PATCH /api/v1/comments/<int:comment_id>": ("/api/v1/comments/999999", same(405)),
    "DELETE /api/v1/comments/<int:comment_id>": ("/api/v1/comments/999999", same(405)),
    # case studies: the list is public (and empty here); 999999 does not exist
    "GET /api/v1/case-studies": ("/api/v1/case-studies", same(200)),
    "POST /api/v1/case-studies": ("/api/v1/case-studies", same(401)),
    "GET /api/v1/case-studies/<int:case_study_id>": ("/api/v1/case-studies/999999", same(404)),
    "PATCH /api/v1/case-studies/<int:case_study_id>": ("/api/v1/case-studies/999999", same(405)),
    **{
        f"{method} /api/v1/case-studies/<int:case_study_id>/{action}": (
            f"/api/v1/case-studies/999999/{action}",
            same(401),
        )
        for method, action in (
            ("POST", "request-consent"),
            ("POST", "consent"),
            ("POST", "request-changes"),
            ("POST", "publish"),
            ("POST", "withdraw"),
            ("GET", "consent-log"),
        )
    },
}
