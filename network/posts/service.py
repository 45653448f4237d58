"""The one write path for posts: create, edit, delete, hide, restore, announce."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from network import idempotency, sanitize, signals, text_rules
from network.database import write_transaction
from network.exceptions import Conflict, Forbidden, Invalid, NotFound
from network.extensions import db
from network.logs import get_logger
from network.models import ContentState, Member, Post, Visibility, utcnow
from network.permissions import Permission, can
from network.posts import access
from network.uploads import uses

log = get_logger("posts")
MAX_TITLE = 200
MAX_BODY = 20_000


def _clean_fields(title: str | None, body: str | None, visibility: Any) -> dict[str, Any]:
    title = text_rules.title(title, "title", _l("Title")) or None
    body = text_rules.body(body, "body", _l("Text"))
    if title is not None and len(title) > MAX_TITLE:
        raise Invalid(_l("Use at most %(max)d characters.", max=MAX_TITLE), field="title")
    if not body.strip():
        raise Invalid(_l("Write something first."), field="body")
    if len(body) > MAX_BODY:
        raise Invalid(_l("Use at most %(max)d characters.", max=MAX_BODY), field="body")
    try:
        visibility = Visibility(visibility)
    except ValueError:
        raise Invalid(_l("Choose who can see it."), field="visibility") from None
    return {
        "title": title,
        "body": body,
        "body_html": sanitize.render_markdown(body),
        "visibility": visibility,
    }


def _pin_until(author: Member, pinned_until: date | None) -> datetime | None:
    if pinned_until is None:
        return None
    if not access.can_announce(author):
        raise Forbidden(_l("Only staff can make announcements."))
    end = datetime.combine(pinned_until, time.max, tzinfo=UTC)
    if end <= utcnow():
        raise Invalid(_l("Choose a date in the future."), field="pinned_until")
    return end


def create_post(
    author: Member,
    *,
    title: str | None,
    body: str,
    visibility: str = "public",
    pinned_until: date | None = None,
    key: str | None = None,
) -> Post:
    """Publish a post; staff may pin it as an announcement until a date.

    A retried request with the same key returns the first post. Raises
    Forbidden without the write permission, Invalid for bad fields or a key
    reused with another payload.
    """
    if not can(author, Permission.write):
        raise Forbidden(_l("You cannot post here."))
    key = idempotency.check_key(key)
    fields = _clean_fields(title, body, visibility)
    pin = _pin_until(author, pinned_until)
    payload = {
        "title": fields["title"],
        "body": fields["body"],
        "visibility": fields["visibility"].value,
        "pinned_until": str(pinned_until),
    }

    def build(session: Session) -> int:
        post = Post(
            author_id=author.id, **fields, is_announcement=pin is not None, pinned_until=pin
        )
        session.add(post)
        session.flush()
        uses.record_post(session, post)  # its pictures take its visibility
        return post.id

    post_id, created = idempotency.create_once(author.id, key, "post", payload, build)
    post = load_post(post_id)
    if created:  # a replay answers the first post and tells nobody again
        log.info("post created post=%s author=%s", post.id, author.id)
        signals.send(signals.post_created, post=post)
    return post


def load_post(post_id: int) -> Post:
    """The post with its author loaded (what serializers and templates need)."""
    post = db.session.scalar(
        select(Post).options(joinedload(Post.author)).where(Post.id == post_id)
    )
    if post is None:
        raise NotFound(_l("There is nothing here, or it is not visible to you."))
    return post


def post_for_viewer(viewer: Any, post_id: int) -> Post:
    """The post if this viewer may see it; NotFound otherwise (SEC-11)."""
    post = db.session.scalar(
        select(Post).options(joinedload(Post.author)).where(Post.id == post_id)
    )
    if post is None or not access.can_view_post(viewer, post):
        raise NotFound(_l("There is nothing here, or it is not visible to you."))
    return post


def edit_post(
    editor: Member,
    post_id: int,
    *,
    version: int,
    title: str | None,
    body: str,
    visibility: str,
) -> Post:
    """Save a new text for the author's own post, if nobody saved since `version`.

    Raises NotFound (not visible), Forbidden (not the author), Invalid (bad
    fields), Conflict with the current post when the version is stale.
    """
    fields = _clean_fields(title, body, visibility)
    with write_transaction() as session:
        post = session.execute(
            select(Post).where(Post.id == post_id).with_for_update()
        ).scalar_one_or_none()
        _check_visible(editor, post)
        access.require_edit(editor, post)
        if post.version != version:
            raise Conflict(
                _l("Someone changed this while you were working on it."), current=post_id
            )
        for name, value in fields.items():
            setattr(post, name, value)
        post.version += 1
        post.edited_at = utcnow()
        uses.record_post(session, post)
    narrowed = fields["visibility"] == Visibility.members
    signals.send(signals.post_changed, post_id=post_id, narrowed=narrowed)
    return load_post(post_id)


def _check_visible(viewer: Any, post: Post | None) -> None:
    if post is None or not access.can_view_post(viewer, post):
        raise NotFound(_l("There is nothing here, or it is not visible to you."))


def delete_post(actor: Member, post_id: int) -> None:
    """Delete a post (its author or a moderator); its words are removed for good.

    Raises NotFound or Forbidden.
    """
    with write_transaction() as session:
        post = session.execute(
            select(Post).where(Post.id == post_id).with_for_update()
        ).scalar_one_or_none()
        _check_visible(actor, post)
        if not access.can_delete(actor, post):
            raise Forbidden(_l("You cannot delete this."))
        post.state = ContentState.deleted
        post.title, post.body, post.body_html = None, "", ""
        post.is_announcement, post.pinned_until = False, None
        post.version += 1
    log.info("post deleted post=%s by=%s", post_id, actor.id)
    signals.send(signals.post_changed, post_id=post_id, narrowed=True)


def set_post_hidden(moderator: Member, post_id: int, hidden: bool) -> Post:
    """Hide a post from everyone but its author and moderators, or restore it.

    Raises NotFound, Forbidden (not a moderator), Conflict (already so).
    """
    with write_transaction() as session:
        post = session.execute(
            select(Post).where(Post.id == post_id).with_for_update()
        ).scalar_one_or_none()
        _check_visible(moderator, post)
        if not access.can_moderate(moderator):
            raise Forbidden(_l("Only moderators can do this."))
        wanted = ContentState.hidden if hidden else ContentState.visible
        if post.state == wanted or post.state == ContentState.held:
            raise Conflict(_l("The post is already in that state."), current=post_id)
        post.state = wanted
        post.version += 1
    log.info("post %s post=%s by=%s", "hidden" if hidden else "restored", post_id, moderator.id)
    signals.send(signals.post_changed, post_id=post_id, narrowed=hidden)
    return load_post(post_id)
