"""Posts and comments as lists read them: plain rows with their authors, not ORM objects.

Lists only read. Turning their rows into ORM objects (instance state, the
identity map, joined authors) cost as much as the SQL itself: the home
feed's posts took 2.8 ms as ORM objects and 1.6 ms as rows, 50 comments
0.7 ms and 0.2 ms. These small frozen records carry the same attribute names
the templates, the access rules and the serializers read, so those take
either kind.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.sql import Select

from network.extensions import db
from network.models import Comment, ContentState, Member, Post, Role, Visibility


@dataclass(frozen=True, slots=True)
class Author:
    id: int
    handle: str
    display_name: str
    role: Role
    avatar: str | None

    is_staff = Member.is_staff  # the same rule as a member's


@dataclass(frozen=True, slots=True)
class PostItem:
    id: int
    author_id: int
    title: str | None
    body: str
    body_html: str
    visibility: Visibility
    state: ContentState
    version: int
    created_at: datetime
    edited_at: datetime | None
    is_announcement: bool
    pinned_until: datetime | None
    last_n: int
    comment_count: int
    author: Author


@dataclass(frozen=True, slots=True)
class CommentItem:
    id: int
    post_id: int
    author_id: int
    seq: int
    n: int
    body: str
    body_html: str
    state: ContentState
    version: int
    created_at: datetime
    edited_at: datetime | None
    author: Author


def _columns(record: type, table: type) -> list:
    return [getattr(table, item.name) for item in fields(record) if item.name != "author"]


_AUTHOR = _columns(Author, Member)
_POST = _columns(PostItem, Post)
_COMMENT = _columns(CommentItem, Comment)


def select_posts() -> Select:
    """Posts with their authors: add the filter, order and limit, then read with posts()."""
    return select(*_POST, *_AUTHOR).join(Member, Member.id == Post.author_id)


def select_comments() -> Select:
    """Comments with their authors: add the filter, order and limit, then read with comments()."""
    return select(*_COMMENT, *_AUTHOR).join(Member, Member.id == Comment.author_id)


def posts(statement: Select) -> list[PostItem]:
    split = len(_POST)
    return [
        PostItem(*row[:split], author=Author(*row[split:])) for row in db.session.execute(statement)
    ]


def comments(statement: Select) -> list[CommentItem]:
    split = len(_COMMENT)
    return [
        CommentItem(*row[:split], author=Author(*row[split:]))
        for row in db.session.execute(statement)
    ]
