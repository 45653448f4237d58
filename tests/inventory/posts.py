"""The rows of the route inventory (SEC-10) for posts, comments and the feed.

The inventory's people have no posts; ids here do not exist, so members get
404 where the post would be looked up, and visitors are sent to sign in.
"""

from tests.inventory.people import by_person, members_only, same

ROWS: dict[str, tuple[str, dict[str, int]]] = {
    "GET /feed": ("/feed", members_only(302, 200)),
    "GET /posts/new": ("/posts/new", members_only(302, 200)),
    "POST /posts": ("/posts", members_only(401, 422)),
    "GET /posts/<int:post_id>": ("/posts/999999", same(404)),
    "GET /posts/<int:post_id>/edit": ("/posts/999999/edit", members_only(302, 404)),
    "POST /posts/<int:post_id>/edit": ("/posts/999999/edit", members_only(401, 404)),
    "GET /posts/<int:post_id>/delete": ("/posts/999999/delete", members_only(302, 404)),
    "POST /posts/<int:post_id>/delete": ("/posts/999999/delete", members_only(401, 404)),
    "POST /posts/<int:post_id>/hide": ("/posts/999999/hide", members_only(401, 404)),
    "POST /posts/<int:post_id>/restore": ("/posts/999999/restore", members_only(401, 404)),
    "POST /posts/<int:post_id>/comments": ("/posts/999999/comments", members_only(401, 404)),
    "GET /comments/<int:comment_id>/edit": ("/comments/999999/edit", members_only(302, 404)),
    "POST /comments/<int:comment_id>/edit": ("/comments/999999/edit", members_only(401, 404)),
    "GET /comments/<int:comment_id>/delete": ("/comments/999999/delete", members_only(302, 404)),
    "POST /comments/<int:comment_id>/delete": ("/comments/999999/delete", members_only(401, 404)),
    "POST /comments/<int:comment_id>/hide": ("/comments/999999/hide", members_only(401, 404)),
    "POST /comments/<int:comment_id>/restore": ("/comments/999999/restore", members_only(401, 404)),
}

# Rows with a real post owned by the customer, for who-may-do-what (see test_post_access.py).
OWNED_POST_ACTIONS = {
    "GET /posts/{id}/edit": by_person(
        anonymous=302, customer=200, employee=403, moderator=403, admin=403
    ),
    "GET /posts/{id}/delete": by_person(
        anonymous=302, customer=200, employee=403, moderator=200, admin=200
    ),
}
