"""Who may see and do what with a post or comment: the one place for these rules (SEC-11).

Not visible to you means 404 (as if absent); visible but not yours to change
means 403.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from network.exceptions import Forbidden
from network.models import Comment, ContentState, Member, Post, Visibility
from network.permissions import Permission, can

ONLY_AUTHOR = _l("Only the author can edit this.")


def _member(viewer: Any) -> Member | None:
    return viewer if viewer is not None and getattr(viewer, "is_authenticated", False) else None


def can_view_post(viewer: Any, post: Post) -> bool:
    member = _member(viewer)
    if post.state == ContentState.deleted:
        return False
    if post.state in (ContentState.held, ContentState.hidden):
        own = member is not None and member.id == post.author_id
        if not (own or can(member, Permission.moderate)):
            return False
    if post.visibility == Visibility.members:
        return can(member, Permission.read_members_only)
    return True


def visible_posts(viewer: Any) -> ColumnElement[bool]:
    """The same rule as can_view_post, as SQL for lists."""
    member = _member(viewer)
    shown = Post.state == ContentState.visible
    if can(member, Permission.moderate):
        shown = Post.state.in_((ContentState.visible, ContentState.held, ContentState.hidden))
    elif member is not None:
        shown = or_(
            shown,
            and_(
                Post.author_id == member.id,
                Post.state.in_((ContentState.held, ContentState.hidden)),
            ),
        )
    audience = (
        true()
        if can(member, Permission.read_members_only)
        else Post.visibility == Visibility.public
    )
    return and_(shown, audience)


def can_comment(viewer: Any, post: Post) -> bool:
    return (
        can(_member(viewer), Permission.write)
        and can_view_post(viewer, post)
        and post.state == ContentState.visible
    )


def can_edit(viewer: Any, item: Post | Comment) -> bool:
    member = _member(viewer)
    return (
        can(member, Permission.write)
        and member.id == item.author_id
        and item.state in (ContentState.visible, ContentState.held)
    )


def require_edit(viewer: Any, item: Post | Comment) -> None:
    """Raise Forbidden unless the viewer may edit this post or comment."""
    if not can_edit(viewer, item):
        raise Forbidden(ONLY_AUTHOR)


def can_delete(viewer: Any, item: Post | Comment) -> bool:
    member = _member(viewer)
    if item.state == ContentState.deleted or member is None:
        return False
    return (can(member, Permission.write) and member.id == item.author_id) or can(
        member, Permission.moderate
    )


def can_moderate(viewer: Any) -> bool:
    return can(_member(viewer), Permission.moderate)


def can_announce(viewer: Any) -> bool:
    return can(_member(viewer), Permission.staff)
