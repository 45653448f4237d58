"""The one role x permission table, and the checks every route and event uses."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import and_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from network.models import ContentState, Member, MemberStatus, Post, Role, Visibility


class Permission(enum.StrEnum):
    read_members_only = "read_members_only"  # see members-only posts and profiles
    write = "write"  # post, comment, follow, react
    staff = "staff"  # staff badge, announcements, case studies, response console
    moderate = "moderate"  # hide and restore content, suspend members
    administer = "administer"  # roles, community settings, invitations, approvals


MEANING = {
    Permission.read_members_only: "see members-only posts and profiles",
    Permission.write: "post, comment, follow",
    Permission.staff: "staff badge, announcements, case studies, response console",
    Permission.moderate: "hide and restore content, suspend members",
    Permission.administer: "roles, community settings, invitations, approvals",
}

_EVERYONE = {Permission.read_members_only, Permission.write}

TABLE: dict[Role, frozenset[Permission]] = {
    Role.customer: frozenset(_EVERYONE),
    Role.employee: frozenset(_EVERYONE | {Permission.staff}),
    Role.moderator: frozenset(_EVERYONE | {Permission.moderate}),
    Role.admin: frozenset(set(Permission)),
}


def can(member: Member | Any | None, permission: Permission) -> bool:
    """Whether this member (or anonymous visitor) holds the permission right now.

    Only active members hold any: pending, suspended, deactivated and deleted
    accounts hold none, whatever their role.
    """
    if member is None or not getattr(member, "is_authenticated", False):
        return False
    if member.status != MemberStatus.active:
        return False
    return permission in TABLE[member.role]


def viewing_member(viewer: Any) -> Member | None:
    """The signed-in member behind a viewer (current_user), or None for a visitor."""
    return viewer if viewer is not None and getattr(viewer, "is_authenticated", False) else None


def can_view_post(viewer: Any, post: Post) -> bool:
    """Who may read a post: its page, lists (visible_posts), mail and digests ask this (SEC-11)."""
    member = viewing_member(viewer)
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
    member = viewing_member(viewer)
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


View = TypeVar("View", bound=Callable[..., Any])


def requires(permission: Permission) -> Callable[[View], View]:
    """Route decorator: sign in first (401 -> sign-in page), then 403 without the permission."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401)
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def signed_in(view: View) -> View:
    """Route decorator: any signed-in member, whatever their permissions (their own settings)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            abort(401)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
