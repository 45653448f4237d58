"""Lists of posts: the home feed, public posts and a member's posts, by keyset pages.

A page costs a fixed number of queries whatever it holds: the posts with
their authors, the pinned announcements (first page), and the latest two
comments of every post on the page in one windowed query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from network import pagination
from network.extensions import db
from network.models import Comment, ContentState, Follow, Member, Post, Visibility, utcnow
from network.posts import access

PAGE_SIZE = 20
LATEST_COMMENTS = 2


@dataclass
class FeedPage:
    items: list[Post]
    next_cursor: str | None
    pinned: list[Post] = field(default_factory=list)
    latest_comments: dict[int, list[Comment]] = field(default_factory=dict)


def _newest_first(query: Any, cursor: str | None, size: int) -> pagination.Page[Post]:
    position = pagination.decode(cursor)
    rows = list(
        db.session.scalars(
            query.options(joinedload(Post.author))
            .where(pagination.older_than(Post.created_at, Post.id, position))
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(size + 1)
        )
    )
    return pagination.page_of(rows, size, key=lambda post: (post.created_at, post.id))


def latest_comments(
    post_ids: list[int], per_post: int = LATEST_COMMENTS
) -> dict[int, list[Comment]]:
    """The newest visible comments of each post, oldest first, in one query."""
    if not post_ids:
        return {}
    ranked = (
        select(
            Comment.id,
            func.row_number()
            .over(partition_by=Comment.post_id, order_by=Comment.seq.desc())
            .label("rank"),
        )
        .where(Comment.post_id.in_(post_ids), Comment.state == ContentState.visible)
        .subquery()
    )
    rows = db.session.scalars(
        select(Comment)
        .join(ranked, ranked.c.id == Comment.id)
        .options(joinedload(Comment.author))
        .where(ranked.c.rank <= per_post)
        .order_by(Comment.post_id, Comment.seq)
    )
    grouped: dict[int, list[Comment]] = defaultdict(list)
    for comment in rows:
        grouped[comment.post_id].append(comment)
    return dict(grouped)


def pinned_announcements(viewer: Any, limit: int = 5) -> list[Post]:
    """Announcements still pinned, newest first.

    Read through the pinned_until index and sorted here: ordering by created_at
    in SQL made SQLite walk the whole created_at index (80 ms at 100k posts,
    benchmarks/results), while only a handful of posts are ever pinned.
    """
    rows = db.session.scalars(
        select(Post)
        .options(joinedload(Post.author))
        .where(
            Post.is_announcement.is_(True),
            Post.pinned_until > utcnow(),
            access.visible_posts(viewer),
        )
        .order_by(Post.pinned_until.desc())
        .limit(50)
    )
    return sorted(rows, key=lambda post: (post.created_at, post.id), reverse=True)[:limit]


def home_feed(viewer: Member, cursor: str | None = None, size: int = PAGE_SIZE) -> FeedPage:
    """The member's own posts and those of people they follow, newest first; pins on page one."""
    followed = select(Follow.followee_id).where(Follow.follower_id == viewer.id)
    query = select(Post).where(
        or_(Post.author_id == viewer.id, Post.author_id.in_(followed)),
        access.visible_posts(viewer),
    )
    page = _newest_first(query, cursor, size)
    pinned = pinned_announcements(viewer) if cursor is None else []
    pinned_ids = {post.id for post in pinned}
    items = [post for post in page.items if post.id not in pinned_ids]
    return FeedPage(
        items=items,
        next_cursor=page.next_cursor,
        pinned=pinned,
        latest_comments=latest_comments([post.id for post in [*pinned, *items]]),
    )


def public_posts(cursor: str | None = None, size: int = PAGE_SIZE) -> FeedPage:
    """Public, visible posts for everyone, newest first (the open web's view)."""
    query = select(Post).where(
        Post.visibility == Visibility.public, Post.state == ContentState.visible
    )
    page = _newest_first(query, cursor, size)
    return FeedPage(
        items=page.items,
        next_cursor=page.next_cursor,
        latest_comments=latest_comments([post.id for post in page.items]),
    )


def member_posts(
    viewer: Any, author: Member, cursor: str | None = None, size: int = PAGE_SIZE
) -> FeedPage:
    """One member's posts as this viewer may see them (their profile page)."""
    query = select(Post).where(Post.author_id == author.id, access.visible_posts(viewer))
    page = _newest_first(query, cursor, size)
    return FeedPage(
        items=page.items,
        next_cursor=page.next_cursor,
        latest_comments=latest_comments([post.id for post in page.items]),
    )
