"""The one write path for comments, and the numbered log of a conversation.

Every change takes the next per-post event number n under the post's row
lock (FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE serializes SQLite), so the
numbers have no gaps and no duplicates however many writers race.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from network import idempotency, sanitize, signals, text_rules
from network.database import write_transaction
from network.exceptions import Conflict, Forbidden, Invalid, NotFound
from network.extensions import db
from network.models import (
    Comment,
    ContentState,
    ConversationEvent,
    EventKind,
    Member,
    MemberStatus,
    Post,
    utcnow,
)
from network.posts import access, listing
from network.posts.listing import CommentItem

MAX_COMMENT = 5_000
MAX_PAGE = 200
NOT_VISIBLE = _l("There is nothing here, or it is not visible to you.")


def _clean_body(body: str | None) -> str:
    body = text_rules.body(body, "body", _l("Comment")).strip()
    if not body:
        raise Invalid(_l("Write something first."), field="body")
    if len(body) > MAX_COMMENT:
        raise Invalid(_l("Use at most %(max)d characters.", max=MAX_COMMENT), field="body")
    return body


def render_comment(body: str) -> str:
    """Plain text with links, and @mentions of existing members linked to their profiles."""
    handles = sanitize.mentioned_handles(body)
    known: set[str] = set()
    if handles:
        known = set(
            db.session.scalars(
                select(Member.handle).where(
                    Member.handle.in_(handles), Member.status == MemberStatus.active
                )
            )
        )
    return sanitize.render_plain(body, lambda handle: f"/u/{handle}" if handle in known else None)


def _locked_post(session: Session, post_id: int) -> Post | None:
    return session.execute(
        select(Post).where(Post.id == post_id).with_for_update()
    ).scalar_one_or_none()


def _next_event(session: Session, post: Post, kind: EventKind, comment: Comment) -> None:
    post.last_n += 1
    comment.n = post.last_n
    session.add(ConversationEvent(post_id=post.id, n=post.last_n, kind=kind, comment_id=comment.id))


def add_comment(author: Member, post_id: int, body: str, *, key: str | None = None) -> Comment:
    """Add a comment to a post the author can see; returns it with its seq and n.

    A retried request with the same key returns the first comment. Raises
    NotFound (post not visible), Forbidden (may not comment), Conflict (the
    post is not open for comments), Invalid (bad body or reused key).
    """
    key = idempotency.check_key(key)
    body = _clean_body(body)
    html = render_comment(body)
    payload = {"post_id": post_id, "body": body}

    def build(session: Session) -> int:
        post = _locked_post(session, post_id)
        if post is None or not access.can_view_post(author, post):
            raise NotFound(NOT_VISIBLE)
        if not access.can_comment(author, post):
            if post.state != ContentState.visible:
                raise Conflict(_l("This post is closed for comments."))
            raise Forbidden(_l("You cannot comment here."))
        post.last_seq += 1
        post.comment_count += 1
        comment = Comment(
            post_id=post.id, author_id=author.id, seq=post.last_seq, n=0, body=body, body_html=html
        )
        session.add(comment)
        session.flush()
        _next_event(session, post, EventKind.comment, comment)
        return comment.id

    comment_id, created = idempotency.create_once(author.id, key, "comment", payload, build)
    comment = load_comment(comment_id)
    if created:  # a replay answers the first comment and tells nobody again
        signals.send(signals.comment_created, comment=comment)
    return comment


def load_comment(comment_id: int) -> Comment:
    comment = db.session.scalar(
        select(Comment).options(joinedload(Comment.author)).where(Comment.id == comment_id)
    )
    if comment is None:
        raise NotFound(NOT_VISIBLE)
    return comment


def comment_for_viewer(viewer: Any, comment_id: int) -> tuple[Comment, Post]:
    """The comment and its post when the viewer may see the post; NotFound otherwise."""
    found = db.session.execute(
        select(Comment, Post)
        .join(Post, Post.id == Comment.post_id)
        .options(joinedload(Comment.author), joinedload(Post.author))
        .where(Comment.id == comment_id)
    ).first()
    if found is None or not access.can_view_post(viewer, found[1]):
        raise NotFound(NOT_VISIBLE)
    if found[0].state == ContentState.deleted:
        raise NotFound(NOT_VISIBLE)
    return found[0], found[1]


def _change(actor: Member, comment_id: int, change: Any) -> Comment:
    with write_transaction() as session:
        comment = session.get(Comment, comment_id)
        if comment is None:
            raise NotFound(NOT_VISIBLE)
        post = _locked_post(session, comment.post_id)
        session.refresh(comment)  # read again under the lock
        if not access.can_view_post(actor, post) or comment.state == ContentState.deleted:
            raise NotFound(NOT_VISIBLE)
        kind = change(session, post, comment)
        _next_event(session, post, kind, comment)
    changed = load_comment(comment_id)
    signals.send(signals.comment_changed, kind=kind, comment=changed)
    return changed


def edit_comment(editor: Member, comment_id: int, *, version: int, body: str) -> Comment:
    """Save a new text for the editor's own comment if nobody changed it since `version`.

    Raises NotFound, Forbidden (not the author), Invalid, Conflict (stale
    version; `current` is the comment id).
    """
    body = _clean_body(body)
    html = render_comment(body)

    def apply(session: Session, post: Post, comment: Comment) -> EventKind:
        access.require_edit(editor, comment)
        if comment.version != version:
            raise Conflict(
                _l("Someone changed this while you were working on it."), current=comment.id
            )
        comment.body, comment.body_html = body, html
        comment.version += 1
        comment.edited_at = utcnow()
        return EventKind.comment_updated

    return _change(editor, comment_id, apply)


def delete_comment(actor: Member, comment_id: int) -> Comment:
    """Delete a comment (its author or a moderator); its place stays, its words go.

    Raises NotFound or Forbidden.
    """

    def apply(session: Session, post: Post, comment: Comment) -> EventKind:
        if not access.can_delete(actor, comment):
            raise Forbidden(_l("You cannot delete this."))
        if comment.state == ContentState.visible:
            post.comment_count -= 1
        comment.state = ContentState.deleted
        comment.body, comment.body_html = "", ""
        comment.version += 1
        return EventKind.comment_deleted

    return _change(actor, comment_id, apply)


def set_comment_hidden(moderator: Member, comment_id: int, hidden: bool) -> Comment:
    """Hide a comment from the conversation, or restore it (moderators).

    Raises NotFound, Forbidden, Conflict (already in that state).
    """

    def apply(session: Session, post: Post, comment: Comment) -> EventKind:
        if not access.can_moderate(moderator):
            raise Forbidden(_l("Only moderators can do this."))
        wanted = ContentState.hidden if hidden else ContentState.visible
        if comment.state == wanted:
            raise Conflict(_l("The comment is already in that state."), current=comment.id)
        comment.state = wanted
        comment.version += 1
        post.comment_count += -1 if hidden else 1
        return EventKind.comment_hidden if hidden else EventKind.comment_restored

    return _change(moderator, comment_id, apply)


def comments_after(post: Post, after_seq: int = 0, limit: int = MAX_PAGE) -> list[CommentItem]:
    """A post's comments in seq order after `after_seq` (tombstones included), authors loaded."""
    limit = max(1, min(limit, MAX_PAGE))
    return listing.comments(
        listing.select_comments()
        .where(Comment.post_id == post.id, Comment.seq > after_seq)
        .order_by(Comment.seq)
        .limit(limit)
    )


def events_after(post: Post, after_n: int, limit: int = MAX_PAGE) -> list[ConversationEvent]:
    """The conversation's changes after `after_n`, in n order, with comments and authors loaded."""
    limit = max(1, min(limit, MAX_PAGE))
    return list(
        db.session.scalars(
            select(ConversationEvent)
            .options(joinedload(ConversationEvent.comment).joinedload(Comment.author))
            .where(ConversationEvent.post_id == post.id, ConversationEvent.n > after_n)
            .order_by(ConversationEvent.n)
            .limit(limit)
        )
    )
