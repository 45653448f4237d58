"""Who may see and do what with a post or comment: the one place for these rules (SEC-11).

Not visible to you means 404 (as if absent); visible but not yours to change
means 403.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from network.exceptions import Forbidden
from network.models import Comment, ContentState, Post
from network.permissions import Permission, can

# The rule for who may read a post lives in the kernel, where notifications (which
# may not import posts) use it too; it is still asked for here.
from network.permissions import can_view_post as can_view_post
from network.permissions import viewing_member as _member
from network.permissions import visible_posts as visible_posts

ONLY_AUTHOR = _l("Only the author can edit this.")


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
