"""Following: the one write path for follow and unfollow, and the keyset-paged lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from network import pagination
from network.database import write_transaction
from network.exceptions import Forbidden, Invalid, NotFound
from network.extensions import db
from network.models import Follow, Member, MemberStatus, Profile
from network.pagination import Page
from network.permissions import Permission, can
from network.profiles.service import NO_SUCH_PROFILE, default_profile, listed_to

PAGE_SIZE = 30


def _target(session: Any, handle: str) -> Member:
    member = session.scalar(select(Member).where(Member.handle == (handle or "").lower()))
    if member is None or member.status != MemberStatus.active:
        raise NotFound(NO_SUCH_PROFILE)
    return member


def follow(follower: Member, handle: str) -> None:
    """Make ``follower`` follow the active member with that handle; following twice is harmless.

    Raises Forbidden when the follower may not write, NotFound for an unknown
    or inactive member, Invalid for following yourself.
    """
    if not can(follower, Permission.write):
        raise Forbidden(_l("You cannot follow members."))
    follower_id = follower.id
    try:
        with write_transaction() as session:
            target = _target(session, handle)
            if target.id == follower_id:
                raise Invalid(_l("You cannot follow yourself."), field="handle")
            if session.get(Follow, (follower_id, target.id)) is None:
                session.add(Follow(follower_id=follower_id, followee_id=target.id))
    except IntegrityError:
        pass  # a simultaneous click followed first: the outcome is the one asked for


def unfollow(follower: Member, handle: str) -> None:
    """Stop following; not following already is harmless. Raises Forbidden or NotFound."""
    if not can(follower, Permission.write):
        raise Forbidden(_l("You cannot follow members."))
    follower_id = follower.id
    with write_transaction() as session:
        target = session.scalar(select(Member).where(Member.handle == (handle or "").lower()))
        if target is None:
            raise NotFound(NO_SUCH_PROFILE)
        row = session.get(Follow, (follower_id, target.id))
        if row is not None:
            session.delete(row)


@dataclass(frozen=True)
class Entry:
    member: Member
    profile: Profile
    since: datetime


def followers_page(member: Member, viewer: Any, cursor: str | None = None) -> Page[Entry]:
    """Who follows ``member``, newest first, as ``viewer`` may see them (one query).

    Raises pagination.BadCursor (400) for a cursor we did not make.
    """
    return _page(Follow.followee_id, Follow.follower_id, member, viewer, cursor)


def following_page(member: Member, viewer: Any, cursor: str | None = None) -> Page[Entry]:
    """Whom ``member`` follows, newest first, as ``viewer`` may see them (one query)."""
    return _page(Follow.follower_id, Follow.followee_id, member, viewer, cursor)


def _page(
    owner_side: Any, other_side: Any, member: Member, viewer: Any, cursor: str | None
) -> Page[Entry]:
    # Keyset on (created_at, the other member's id): the id breaks ties between
    # follows made in the same instant, so none is skipped or shown twice.
    position = pagination.decode(cursor)
    rows = db.session.execute(
        select(Member, Profile, Follow.created_at)
        .join(Follow, other_side == Member.id)
        .outerjoin(Profile, Profile.member_id == Member.id)
        .where(owner_side == member.id, *listed_to(viewer))
        .where(pagination.older_than(Follow.created_at, other_side, position))
        .order_by(Follow.created_at.desc(), other_side.desc())
        .limit(PAGE_SIZE + 1)
    ).all()
    entries = [
        Entry(member=person, profile=profile or default_profile(person.id), since=since)
        for person, profile, since in rows
    ]
    return pagination.page_of(entries, PAGE_SIZE, key=lambda entry: (entry.since, entry.member.id))
