"""REL-02: a retried submit creates one row; the same key with another payload is 422."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from network.exceptions import Invalid
from network.extensions import db
from network.models import Comment, Member, Post
from tests.support.content import make_post
from tests.support.pages import csrf_token


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_double_submitted_post_form_makes_one_post(app, customer, as_member):
    browser = as_member(customer)
    page = browser.get("/posts/new").get_data(as_text=True)
    key = page.split('name="key" type="hidden" value="')[1].split('"')[0]
    data = {"body": "only once", "visibility": "public", "key": key, "csrf_token": csrf_token(page)}
    first, second = browser.post("/posts", data=data), browser.post("/posts", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, Post) == 1


def test_the_same_key_with_another_text_is_refused(app, customer, as_member):
    browser = as_member(customer)
    page = browser.get("/posts/new").get_data(as_text=True)
    key = page.split('name="key" type="hidden" value="')[1].split('"')[0]
    token = csrf_token(page)
    browser.post(
        "/posts", data={"body": "one", "visibility": "public", "key": key, "csrf_token": token}
    )
    other = browser.post(
        "/posts", data={"body": "two", "visibility": "public", "key": key, "csrf_token": token}
    )
    assert other.status_code == 422
    assert "already used for a different request" in other.get_data(as_text=True)
    assert count(app, Post) == 1


def test_keys_belong_to_their_member(app, customer, intruder):
    from network.posts import service

    with app.app_context():
        service.create_post(
            db.session.get(Member, customer.id), title=None, body="a", key="shared-key-1"
        )
        service.create_post(
            db.session.get(Member, intruder.id), title=None, body="a", key="shared-key-1"
        )
    assert count(app, Post) == 2


def test_a_malformed_key_is_refused(app, customer):
    from network.posts import service

    with app.app_context(), pytest.raises(Invalid):
        service.create_post(
            db.session.get(Member, customer.id), title=None, body="a", key="bad key with spaces"
        )


def test_a_double_submitted_comment_makes_one_comment(app, customer, as_member):
    post = make_post(app, customer)
    browser = as_member(customer)
    page = browser.get(f"/posts/{post.id}").get_data(as_text=True)
    key = page.split('name="key" type="hidden" value="')[1].split('"')[0]
    data = {"body": "once", "key": key, "csrf_token": csrf_token(page)}
    for _ in range(3):
        assert browser.post(f"/posts/{post.id}/comments", data=data).status_code == 302
    assert count(app, Comment) == 1


@pytest.mark.both_databases
def test_concurrent_retries_with_one_key_make_one_comment(app, customer):
    from network.posts import comments

    post = make_post(app, customer)
    errors: list[BaseException] = []
    ids: list[int] = []

    def retry() -> None:
        with app.app_context():
            try:
                comment = comments.add_comment(
                    db.session.get(Member, customer.id), post.id, "same", key="retry-key-42"
                )
                ids.append(comment.id)
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=retry) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(ids)) == 1 and len(ids) == 6
    assert count(app, Comment) == 1


def test_a_replay_answers_the_first_and_tells_nobody_again(app, customer):
    from network import signals
    from network.posts import comments, service

    heard: list[str] = []

    def post_created(_sender, **payload) -> None:
        heard.append(f"post {payload['post'].id}")

    def comment_created(_sender, **payload) -> None:
        heard.append(f"comment {payload['comment'].id}")

    signals.post_created.connect(post_created)
    signals.comment_created.connect(comment_created)
    try:
        with app.app_context():
            author = db.session.get(Member, customer.id)
            posts = [
                service.create_post(author, title=None, body="once", key="replayed-post-1").id
                for _ in range(2)
            ]
            answers = [
                comments.add_comment(author, posts[0], "once", key="replayed-comment-1").id
                for _ in range(2)
            ]
    finally:
        signals.post_created.disconnect(post_created)
        signals.comment_created.disconnect(comment_created)
    assert posts[0] == posts[1] and answers[0] == answers[1]
    assert heard == [f"post {posts[0]}", f"comment {answers[0]}"]
