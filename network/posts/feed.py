"""Lists of posts: the home feed, public posts and a member's posts, by keyset pages.

A page costs a fixed number of queries whatever it holds: the posts with
their authors, the pinned announcements (first page), and the latest two
comments of every post on the page in one windowed query. They are read as
listing records, not ORM objects (network/posts/listing.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, func, literal, select, true, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select, Subquery

from network import pagination
from network.extensions import db
from network.models import Comment, ContentState, Follow, Member, Post, Visibility, utcnow
from network.posts import access, listing
from network.posts.listing import CommentItem, PostItem

PAGE_SIZE = 20
LATEST_COMMENTS = 2
# Made once: a fresh alias re-derives every post column on first use (0.3 ms a feed).
_CANDIDATE = aliased(Post, name="candidate")


@dataclass
class FeedPage:
    items: list[PostItem]
    next_cursor: str | None
    pinned: list[PostItem] = field(default_factory=list)
    latest_comments: dict[int, list[CommentItem]] = field(default_factory=dict)


def _newest_first(*criteria: Any, cursor: str | None, size: int) -> pagination.Page[PostItem]:
    position = pagination.decode(cursor)
    rows = listing.posts(
        listing.select_posts()
        .where(*criteria, pagination.older_than(Post.created_at, Post.id, position))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(size + 1)
    )
    return pagination.page_of(rows, size, key=lambda post: (post.created_at, post.id))


def latest_comments(
    post_ids: list[int], per_post: int = LATEST_COMMENTS
) -> dict[int, list[CommentItem]]:
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
    rows = listing.comments(
        listing.select_comments()
        .join(ranked, ranked.c.id == Comment.id)
        .where(ranked.c.rank <= per_post)
        .order_by(Comment.post_id, Comment.seq)
    )
    grouped: dict[int, list[CommentItem]] = defaultdict(list)
    for comment in rows:
        grouped[comment.post_id].append(comment)
    return dict(grouped)


def pinned_announcements(viewer: Any, limit: int = 5) -> list[PostItem]:
    """Announcements still pinned, newest first.

    Read through the pinned_until index and sorted here: ordering by created_at
    in SQL made SQLite walk the whole created_at index (80 ms at 100k posts,
    benchmarks/results), while only a handful of posts are ever pinned.
    """
    rows = listing.posts(
        listing.select_posts()
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
    position = pagination.decode(cursor)
    newest = _newest_of_authors(
        _home_authors(viewer), access.visible_posts(viewer), position, size + 1
    )
    rows = listing.posts(
        listing.select_posts()
        .where(Post.id.in_(newest))
        .order_by(Post.created_at.desc(), Post.id.desc())
    )
    page = pagination.page_of(rows, size, key=lambda post: (post.created_at, post.id))
    pinned = pinned_announcements(viewer) if cursor is None else []
    pinned_ids = {post.id for post in pinned}
    items = [post for post in page.items if post.id not in pinned_ids]
    return FeedPage(
        items=items,
        next_cursor=page.next_cursor,
        pinned=pinned,
        latest_comments=latest_comments([post.id for post in [*pinned, *items]]),
    )


def _home_authors(viewer: Member) -> Subquery:
    """The member and everyone they follow, as one column `author_id`."""
    return union_all(
        select(Follow.followee_id.label("author_id")).where(Follow.follower_id == viewer.id),
        select(literal(viewer.id, Integer).label("author_id")),
    ).subquery("home_author")


def _newest_of_authors(
    authors: Subquery, shown: Any, position: pagination.Position | None, limit: int
) -> Select:
    """Ids of the newest `limit` posts of these authors past the cursor.

    Each author's newest posts are one short range scan of the
    (author_id, created_at, id, state) index, stopped after `limit` rows, and only
    those few are sorted: the cost follows the number of authors, not the size
    of the post table. "author_id IN (...) ORDER BY created_at" made SQLite
    read and sort every post of every followed author (26 ms at 1M posts,
    benchmarks/results); PostgreSQL walked the created_at index until enough
    followed authors' posts came by, which for a member who follows a few
    quiet people is the whole table. PostgreSQL says "per author" with
    LATERAL; SQLite has no LATERAL but runs a correlated IN list once per
    author.
    """
    latest = (
        select(Post.id, Post.created_at)
        .where(
            Post.author_id == authors.c.author_id,
            shown,
            pagination.older_than(Post.created_at, Post.id, position),
        )
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        per_author = latest.lateral("per_author")
        return (
            select(per_author.c.id)
            .select_from(authors)
            .join(per_author, true())
            .order_by(per_author.c.created_at.desc(), per_author.c.id.desc())
            .limit(limit)
        )
    candidate = _CANDIDATE
    return (
        select(candidate.id)
        .select_from(authors)
        .join(candidate, candidate.id.in_(latest.with_only_columns(Post.id).correlate(authors)))
        .order_by(candidate.created_at.desc(), candidate.id.desc())
        .limit(limit)
        .correlate(None)
    )


def public_posts(cursor: str | None = None, size: int = PAGE_SIZE) -> FeedPage:
    """Public, visible posts for everyone, newest first (the open web's view)."""
    page = _newest_first(
        Post.visibility == Visibility.public,
        Post.state == ContentState.visible,
        cursor=cursor,
        size=size,
    )
    return FeedPage(
        items=page.items,
        next_cursor=page.next_cursor,
        latest_comments=latest_comments([post.id for post in page.items]),
    )


def member_posts(
    viewer: Any, author: Member, cursor: str | None = None, size: int = PAGE_SIZE
) -> FeedPage:
    """One member's posts as this viewer may see them (their profile page)."""
    page = _newest_first(
        Post.author_id == author.id, access.visible_posts(viewer), cursor=cursor, size=size
    )
    return FeedPage(
        items=page.items,
        next_cursor=page.next_cursor,
        latest_comments=latest_comments([post.id for post in page.items]),
    )
