"""Profiles: who may see whose, reading one, and the one write path for editing your own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from network.accounts.validation import HANDLE_PATTERN, normalize_display_name
from network.database import write_transaction
from network.exceptions import Conflict, Invalid, NotFound
from network.extensions import db
from network.models import (
    CardField,
    Follow,
    Member,
    MemberStatus,
    Profile,
    ProfileVisibility,
    Role,
    utcnow,
)
from network.permissions import Permission, can
from network.profiles import fields
from network.sanitize import render_markdown

NO_SUCH_PROFILE = _l("There is no such member, or their profile is not visible to you.")
CHANGED_MEANWHILE = _l(
    "Someone saved this profile while you were editing it (perhaps you, in another tab). "
    "Below is what is saved now; your text is kept underneath so you can copy it back."
)


def default_profile(member_id: int) -> Profile:
    """The profile of a member who never saved one (transient: never added to a session)."""
    return Profile(
        member_id=member_id,
        title=None,
        company=None,
        bio="",
        bio_html="",
        links=[],
        phone=None,
        visibility=ProfileVisibility.public,
        card_fields=[CardField.name.value],
        open_to_case_studies=False,
        version=0,
    )


# Who sees whom -------------------------------------------------------------------------------


def sees_members_only(viewer: Any) -> bool:
    return can(viewer, Permission.read_members_only)


def listed_to(viewer: Any) -> list[ColumnElement[bool]]:
    """Conditions on Member (outer-joined to Profile) for rows a viewer may see in lists.

    Only active members are listed; anonymous visitors see public profiles only.
    """
    conditions: list[ColumnElement[bool]] = [Member.status == MemberStatus.active]
    if not sees_members_only(viewer):
        conditions.append(
            or_(Profile.visibility.is_(None), Profile.visibility == ProfileVisibility.public)
        )
    return conditions


def _may_see(viewer: Any, member: Member, profile: Profile) -> bool:
    if getattr(viewer, "is_authenticated", False) and viewer.id == member.id:
        return True  # your own page, even while you wait for approval
    if member.status != MemberStatus.active:
        return False
    return profile.visibility == ProfileVisibility.public or sees_members_only(viewer)


@dataclass
class ProfileView:
    """A member and their profile as one viewer may see them."""

    member: Member
    profile: Profile
    followers: int = 0
    following: int = 0
    viewer_follows: bool = False
    is_own: bool = False


def find_visible(handle: str, viewer: Any) -> ProfileView:
    """The member with that handle and their profile, if this viewer may see it (one query).

    Raises NotFound for an unknown handle, an inactive member, or a
    members-only profile asked for by an anonymous visitor.
    """
    handle = (handle or "").lower()
    if not HANDLE_PATTERN.match(handle):
        raise NotFound(NO_SUCH_PROFILE)
    row = db.session.execute(
        select(Member, Profile)
        .outerjoin(Profile, Profile.member_id == Member.id)
        .where(Member.handle == handle)
    ).first()
    if row is None:
        raise NotFound(NO_SUCH_PROFILE)
    member, profile = row
    profile = profile or default_profile(member.id)
    if not _may_see(viewer, member, profile):
        raise NotFound(NO_SUCH_PROFILE)
    is_own = bool(getattr(viewer, "is_authenticated", False) and viewer.id == member.id)
    return ProfileView(member=member, profile=profile, is_own=is_own)


def with_counts(view: ProfileView, viewer: Any) -> ProfileView:
    """Fill follower and following counts (as the lists show them) and "you follow", one query."""
    member_id = view.member.id

    def counted(join_on: Any, side: Any) -> Any:
        return (
            select(func.count())
            .select_from(Follow)
            .join(Member, join_on)
            .outerjoin(Profile, Profile.member_id == Member.id)
            .where(side == member_id, *listed_to(viewer))
            .scalar_subquery()
        )

    followers = counted(Member.id == Follow.follower_id, Follow.followee_id)
    following = counted(Member.id == Follow.followee_id, Follow.follower_id)
    columns = [followers, following]
    if getattr(viewer, "is_authenticated", False) and not view.is_own:
        columns.append(
            exists().where(and_(Follow.follower_id == viewer.id, Follow.followee_id == member_id))
        )
    values = db.session.execute(select(*columns)).one()
    view.followers, view.following = values[0], values[1]
    view.viewer_follows = bool(values[2]) if len(values) > 2 else False
    return view


def own_profile(member: Member) -> Profile:
    """The member's saved profile, or the defaults (version 0) when they never saved one."""
    return db.session.get(Profile, member.id) or default_profile(member.id)


# Editing your own profile --------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileChanges:
    """Everything the profile form sends, as typed."""

    display_name: str | None
    title: str | None = None
    company: str | None = None
    bio: str | None = None
    links: str | list[str] | None = None
    phone: str | None = None
    visibility: str | None = ProfileVisibility.public.value
    card_fields: list[str] = field(default_factory=lambda: [CardField.name.value])
    open_to_case_studies: bool | None = None  # None leaves it as it is


def update_profile(member: Member, changes: ProfileChanges, version: int) -> Profile:
    """Save the member's own profile and display name; the bio is rendered and sanitized here.

    ``version`` is the profile version the form was filled from (0 before the
    first save). Raises Invalid (naming the field) for any refused value and
    Conflict, carrying the saved profile as ``current``, when someone saved
    meanwhile. Only ever changes ``member``: no caller can name another.
    """
    display_name = normalize_display_name(changes.display_name)
    values = {
        "title": fields.one_line(changes.title, fields.MAX_TITLE, "title", _l("Title")),
        "company": fields.one_line(changes.company, fields.MAX_COMPANY, "company", _l("Company")),
        "bio": fields.bio(changes.bio),
        "links": fields.links(changes.links),
        "phone": fields.phone(changes.phone),
        "visibility": fields.visibility(changes.visibility),
        "card_fields": fields.card_fields(changes.card_fields),
    }
    values["bio_html"] = render_markdown(values["bio"]) if values["bio"] else ""
    if changes.open_to_case_studies is not None:
        values["open_to_case_studies"] = bool(changes.open_to_case_studies)
    member_id = member.id
    try:
        with write_transaction() as session:
            profile = session.get(Profile, member_id)
            if (profile.version if profile else 0) != version:
                raise Conflict(CHANGED_MEANWHILE, current=profile)
            if profile is None:
                profile = Profile(member_id=member_id)
                session.add(profile)
            for name, value in values.items():
                setattr(profile, name, value)
            profile.updated_at = utcnow()
            session.get(Member, member_id).display_name = display_name
    except (StaleDataError, IntegrityError):
        # Two saves crossed: the other one won the row (update) or the insert.
        raise Conflict(CHANGED_MEANWHILE, current=own_profile(member)) from None
    return profile


def set_open_to_case_studies(member: Member, value: bool) -> Profile:
    """A customer's opt-in to case studies (the profile form, the toggle and PATCH /api/v1/me).

    Only customers are the subject of case studies; staff get Invalid. Turning
    it off stops new case studies; ones already consented to stay until the
    customer withdraws them.
    """
    if value and member.role != Role.customer:
        raise Invalid(
            _l("Only customers can be the subject of a case study."),
            field="open_to_case_studies",
        )
    member_id = member.id
    with write_transaction() as session:
        profile = session.get(Profile, member_id)
        if profile is None:
            profile = Profile(member_id=member_id)
            session.add(profile)
        profile.open_to_case_studies = bool(value)
        profile.updated_at = utcnow()
    return profile
