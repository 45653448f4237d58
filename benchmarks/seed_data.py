"""Bulk data for the feed benchmark: members, follows, posts, comments and the conversation log.

Rows go in with SQLAlchemy Core executemany in batches (psycopg's COPY on
PostgreSQL), past the services on purpose: millions of rows through one
write transaction each would take hours.
What the services would have computed is computed here the same way: each
post's last_seq, last_n and comment_count, each comment's seq and n, and one
conversation_event per comment, so the pages read what real data would give.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, func, select, text

from network.models import Comment, ConversationEvent, Follow, Member, Post, utcnow

BATCH = 10_000
POST_CHUNK = 10_000  # posts generated (with their comments) at a time, to bound memory


@dataclass(frozen=True)
class Shape:
    """How big the community is."""

    members: int = 10_000
    posts: int = 100_000
    comments: int = 500_000
    follows_each: int = 50
    days: int = 365  # posts spread over this many days up to now
    hot_post_comments: int = 50  # the post page measured has exactly this many comments
    employees_every: int = 100  # every n-th member is staff
    public_share: float = 0.8
    random_seed: int = 8


@dataclass(frozen=True)
class Texts:
    """Pre-rendered texts (rendering per row would dominate the seeding time)."""

    password_hash: str
    posts: list[tuple[str | None, str, str]]  # (title, body, body_html)
    comments: list[tuple[str, str]]  # (body, body_html)


@dataclass
class Seeded:
    viewer_id: int
    viewer_email: str
    hot_post_id: int
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def email_of(member_id: int) -> str:
    return f"member{member_id}@bench.example"


def seed(engine: Engine, shape: Shape, texts: Texts, say: Callable[[str], None] = print) -> Seeded:
    """Fill a freshly migrated, empty database; returns who to sign in as and what to open."""
    started = time.monotonic()
    rng = random.Random(shape.random_seed)
    now = utcnow()
    viewer_id = 2  # member 1 is the admin; 2 is an ordinary customer
    hot_post_id = shape.posts - 10  # a public post near the top of the feeds
    with engine.begin() as connection:
        _insert(connection, Member.__table__, _members(shape, texts, now), say, shape.members)
        _insert(
            connection,
            Follow.__table__,
            _follows(shape, rng, now),
            say,
            shape.members * shape.follows_each,
        )
    comments_done = 0
    for first in range(0, shape.posts, POST_CHUNK):
        last = min(first + POST_CHUNK, shape.posts)
        chunk = _Chunk(first, last, comments_done + 1)
        posts, comments, events = _posts_chunk(shape, texts, rng, now, chunk, hot_post_id)
        with engine.begin() as connection:
            write_rows(connection, Post.__table__, posts)
            for batch in _batches(comments):
                write_rows(connection, Comment.__table__, batch)
            for batch in _batches(events):
                write_rows(connection, ConversationEvent.__table__, batch)
        comments_done += len(comments)
        if last % max(shape.posts // 10, POST_CHUNK) and last != shape.posts:
            continue  # progress every tenth
        say(
            f"  posts {last:>9,}/{shape.posts:,}  comments {comments_done:>10,}"
            f"  ({time.monotonic() - started:.0f} s)"
        )
    _pin_announcements(engine, shape, now)
    _finish(engine)
    counts = _counts(engine)
    return Seeded(
        viewer_id=viewer_id,
        viewer_email=email_of(viewer_id),
        hot_post_id=hot_post_id,
        seconds=time.monotonic() - started,
        counts=counts,
    )


def write_rows(connection: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows: SQLAlchemy Core executemany; on PostgreSQL, psycopg's COPY (several times
    faster for millions of rows). Either way the values are the same Python objects."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _insert(
    connection: Any,
    table: Table,
    rows: Iterator[dict[str, Any]],
    say: Callable[[str], None],
    expected: int,
) -> None:
    batch: list[dict[str, Any]] = []
    done = 0
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            write_rows(connection, table, batch)
            done += len(batch)
            batch = []
    if batch:
        write_rows(connection, table, batch)
        done += len(batch)
    say(f"  {table.name:<8} {done:>9,} rows (planned about {expected:,})")


def _members(shape: Shape, texts: Texts, now: datetime) -> Iterator[dict[str, Any]]:
    joined = now - timedelta(days=shape.days + 30)
    for member_id in range(1, shape.members + 1):
        if member_id == 1:
            role = "admin"
        elif member_id % shape.employees_every == 0:
            role = "employee"
        else:
            role = "customer"
        yield {
            "id": member_id,
            "email": email_of(member_id),
            "email_verified": True,
            "handle": f"member{member_id}",
            "display_name": f"Member {member_id}",
            "password_hash": texts.password_hash,
            "role": role,
            "status": "active",
            "language": None,
            "avatar": None,
            "session_version": 1,
            "created_at": joined,
            "last_login_at": None,
            "invited_by_id": None,
            "invitation_id": None,
        }


def _follows(shape: Shape, rng: random.Random, now: datetime) -> Iterator[dict[str, Any]]:
    everyone = range(1, shape.members + 1)
    for follower in everyone:
        chosen = rng.sample(everyone, min(shape.follows_each + 1, shape.members))
        followees = sorted(other for other in chosen if other != follower)[: shape.follows_each]
        for followee in followees:
            yield {
                "follower_id": follower,
                "followee_id": followee,
                "created_at": now - timedelta(days=rng.uniform(0, shape.days)),
            }


@dataclass(frozen=True)
class _Chunk:
    first: int  # posts first+1 .. last
    last: int
    first_comment_id: int


def _posts_chunk(
    shape: Shape, texts: Texts, rng: random.Random, now: datetime, chunk: _Chunk, hot_post_id: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """A chunk of posts (ids in time order) with their comments (ids in post order) and events."""
    span = timedelta(days=shape.days) / shape.posts
    start = now - timedelta(days=shape.days)
    first, size = chunk.first, chunk.last - chunk.first
    wanted = round(shape.comments * size / shape.posts)
    per_post = [0] * size
    for _ in range(wanted):
        per_post[rng.randrange(size)] += 1
    posts: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    comment_id = chunk.first_comment_id
    for offset in range(size):
        post_id = first + offset + 1
        count = shape.hot_post_comments if post_id == hot_post_id else per_post[offset]
        created = start + span * (first + offset + rng.random())
        title, body, body_html = texts.posts[rng.randrange(len(texts.posts))]
        public = post_id == hot_post_id or rng.random() < shape.public_share
        posts.append(
            {
                "id": post_id,
                "author_id": rng.randint(1, shape.members),
                "title": title,
                "body": body,
                "body_html": body_html,
                "visibility": "public" if public else "members",
                "state": "visible",
                "version": 1,
                "created_at": created,
                "edited_at": None,
                "is_announcement": False,
                "pinned_until": None,
                "last_seq": count,
                "last_n": count,
                "comment_count": count,
            }
        )
        window = min(now - created, timedelta(days=2))
        moments = sorted(rng.random() for _ in range(count))
        for seq, share in enumerate(moments, start=1):
            at = created + window * (0.001 + 0.998 * share)
            body, body_html = texts.comments[rng.randrange(len(texts.comments))]
            comments.append(
                {
                    "id": comment_id,
                    "post_id": post_id,
                    "author_id": rng.randint(1, shape.members),
                    "seq": seq,
                    "n": seq,
                    "body": body,
                    "body_html": body_html,
                    "state": "visible",
                    "version": 1,
                    "created_at": at,
                    "edited_at": None,
                }
            )
            events.append(
                {
                    "post_id": post_id,
                    "n": seq,
                    "kind": "comment",
                    "comment_id": comment_id,
                    "created_at": at,
                }
            )
            comment_id += 1
    return posts, comments, events


def _pin_announcements(engine: Engine, shape: Shape, now: datetime) -> None:
    """Two recent posts by staff become announcements pinned for a month (as staff would do)."""
    staff_id = shape.employees_every
    with engine.begin() as connection:
        for post_id in (shape.posts - 3, shape.posts - 40):
            connection.execute(
                Post.__table__.update()
                .where(Post.id == post_id)
                .values(
                    author_id=staff_id,
                    visibility="public",
                    is_announcement=True,
                    pinned_until=now + timedelta(days=30),
                )
            )


def _finish(engine: Engine) -> None:
    """PostgreSQL: move the id sequences past the rows we numbered, set the visibility map and
    gather statistics (autovacuum would, soon after a real load). SQLite: fold the WAL back
    into the file."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            for table in ("member", "post", "comment"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _counts(engine: Engine) -> dict[str, int]:
    tables = [Member, Follow, Post, Comment, ConversationEvent]
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model))
            for model in tables
        }
