"""Building posts and comments in tests through the real services."""

from __future__ import annotations

from typing import Any

from flask import Flask

from network.extensions import db
from network.models import Comment, Member, Post


def _actor(member: Member) -> Member:
    return db.session.get(Member, member.id)


def make_post(app: Flask, author: Member, body: str = "Hello, community", **fields: Any) -> Post:
    from network.posts import service

    with app.app_context():
        post = service.create_post(
            _actor(author), title=fields.pop("title", None), body=body, **fields
        )
        db.session.expunge_all()
        return post


def make_comment(
    app: Flask, author: Member, post: Post | int, body: str = "Nice!", **kw
) -> Comment:
    from network.posts import comments

    post_id = post if isinstance(post, int) else post.id
    with app.app_context():
        comment = comments.add_comment(_actor(author), post_id, body, **kw)
        db.session.expunge_all()
        return comment


def follow(app: Flask, follower: Member, followee: Member) -> None:
    from network.database import write_transaction
    from network.models import Follow

    with app.app_context(), write_transaction() as session:
        session.add(Follow(follower_id=follower.id, followee_id=followee.id))
