"""Comments: plain text with links and mentions, seq and n, edits, deletes (issue 5, item 2)."""

from __future__ import annotations

import re
import uuid

from network.extensions import db
from network.models import Comment, ConversationEvent, Post
from tests.support.content import make_comment, make_post
from tests.support.pages import csrf_token
from tests.support.people import post_form


def comment_on(browser, post_id: int, body: str, key: str | None = None):
    page = browser.get(f"/posts/{post_id}").get_data(as_text=True)
    found = re.search(r'name="key" type="hidden" value="([^"]+)"', page)
    key = key or (found.group(1) if found else "key-" + uuid.uuid4().hex)
    return browser.post(
        f"/posts/{post_id}/comments",
        data={"body": body, "key": key, "csrf_token": csrf_token(page)},
    )


def events(app, post_id):
    with app.app_context():
        return [
            (e.n, e.kind.value, e.comment_id)
            for e in db.session.query(ConversationEvent)
            .filter_by(post_id=post_id)
            .order_by(ConversationEvent.n)
        ]


def test_a_member_comments_and_the_comment_is_numbered(app, customer, employee, as_member):
    post = make_post(app, customer)
    response = comment_on(as_member(employee), post.id, "Thanks, @carla! See https://example.com")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#c1")
    page = as_member(customer).get(f"/posts/{post.id}").get_data(as_text=True)
    assert '<a href="/u/carla" rel="nofollow ugc noopener">@carla</a>' in page
    assert 'href="https://example.com"' in page
    assert "staff" in page  # the employee's badge
    assert 'data-last-n="1"' in page
    with app.app_context():
        comment = db.session.query(Comment).one()
        assert (comment.seq, comment.n) == (1, 1)
        assert db.session.get(Post, post.id).comment_count == 1


def test_unknown_mentions_stay_text(app, customer, as_member):
    post = make_post(app, customer)
    comment_on(as_member(customer), post.id, "hello @nobody_here")
    with app.app_context():
        assert "<a" not in db.session.query(Comment).one().body_html


def test_comments_have_a_length_limit_and_keep_the_text(app, customer, as_member):
    post = make_post(app, customer)
    response = comment_on(as_member(customer), post.id, "y" * 5001)
    assert response.status_code == 422
    assert "at most 5000" in response.get_data(as_text=True)
    assert comment_on(as_member(customer), post.id, "   ").status_code == 422


def test_visitors_and_invisible_posts(app, client, customer, intruder, as_member):
    members_post = make_post(app, customer, visibility="members")
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    anonymous = client.post(
        f"/posts/{members_post.id}/comments", data={"body": "hi", "csrf_token": token}
    )
    assert anonymous.status_code == 401
    assert comment_on(as_member(intruder), members_post.id, "fine").status_code == 302
    assert (
        post_form(as_member(intruder), "/posts/999999/comments", {"body": "x"}).status_code == 404
    )


def test_edit_delete_hide_restore_each_take_the_next_event_number(
    app, customer, moderator, as_member
):
    post = make_post(app, customer)
    first = make_comment(app, customer, post, "one")
    make_comment(app, customer, post, "two")
    author, mod = as_member(customer), as_member(moderator)
    assert (
        post_form(
            author,
            f"/comments/{first.id}/edit",
            {"body": "one, edited", "version": "1"},
            token_from=f"/comments/{first.id}/edit",
        ).status_code
        == 302
    )
    assert (
        post_form(mod, f"/comments/{first.id}/hide", token_from=f"/posts/{post.id}").status_code
        == 302
    )
    assert (
        post_form(mod, f"/comments/{first.id}/restore", token_from=f"/posts/{post.id}").status_code
        == 302
    )
    assert post_form(author, f"/comments/{first.id}/delete").status_code == 302
    assert [kind for _n, kind, _c in events(app, post.id)] == [
        "comment",
        "comment",
        "comment_updated",
        "comment_hidden",
        "comment_restored",
        "comment_deleted",
    ]
    assert [n for n, _k, _c in events(app, post.id)] == [1, 2, 3, 4, 5, 6]
    page = author.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Comment deleted." in page and "one, edited" not in page
    with app.app_context():
        assert db.session.get(Post, post.id).comment_count == 1
        assert db.session.get(Comment, first.id).body == ""


def test_a_stale_comment_edit_is_a_conflict(app, customer, as_member):
    post = make_post(app, customer)
    comment = make_comment(app, customer, post, "v1")
    browser = as_member(customer)
    post_form(
        browser,
        f"/comments/{comment.id}/edit",
        {"body": "v2", "version": "1"},
        token_from=f"/comments/{comment.id}/edit",
    )
    stale = post_form(
        browser,
        f"/comments/{comment.id}/edit",
        {"body": "v2b", "version": "1"},
        token_from=f"/comments/{comment.id}/edit",
    )
    assert stale.status_code == 409
    assert "v2b" in stale.get_data(as_text=True)


def test_intruders_cannot_touch_others_comments(app, customer, intruder, as_member):
    post = make_post(app, customer)
    comment = make_comment(app, customer, post, "mine")
    browser = as_member(intruder)
    assert browser.get(f"/comments/{comment.id}/edit").status_code == 403
    assert post_form(browser, f"/comments/{comment.id}/delete").status_code == 403
    assert post_form(browser, f"/comments/{comment.id}/hide").status_code == 403
    hidden_post = make_post(app, customer, visibility="members")
    secret = make_comment(app, customer, hidden_post, "members talk")
    from tests.support.pages import csrf_token as token_of

    anonymous = app.test_client()
    assert anonymous.get(f"/comments/{secret.id}/edit").status_code == 302  # sign in first
    token = token_of(anonymous.get("/", follow_redirects=True).get_data(as_text=True))
    assert (
        anonymous.post(f"/comments/{secret.id}/delete", data={"csrf_token": token}).status_code
        == 401
    )


def test_comments_on_a_hidden_post_are_closed(app, customer, moderator, as_member):
    post = make_post(app, customer)
    from tests.support.people import post_form as send

    send(as_member(moderator), f"/posts/{post.id}/hide")
    assert comment_on(as_member(moderator), post.id, "late").status_code == 409
