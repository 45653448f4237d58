"""One serializer per entity, shared by pages' JSON, the API and socket events.

Times are RFC 3339 in UTC with a Z.  Every related object a serializer reads
must be loaded by the query that fetched the entity (models raise on lazy loads).
"""

from __future__ import annotations

from typing import Any

from network.models import Comment, ContentState, Member, Post, Profile
from network.profiles.avatars import avatar_url
from network.times import rfc3339


def member_summary(member: Member) -> dict[str, Any]:
    return {
        "handle": member.handle,
        "display_name": member.display_name,
        "role": member.role.value,
        "avatar_url": avatar_url(member),
    }


def post(item: Post) -> dict[str, Any]:
    return {
        "id": item.id,
        "author": member_summary(item.author),
        "title": item.title,
        "body": item.body,
        "html": item.body_html,
        "visibility": item.visibility.value,
        "state": item.state.value,
        "version": item.version,
        "is_announcement": item.is_announcement,
        "pinned_until": rfc3339(item.pinned_until),
        "comment_count": item.comment_count,
        "last_n": item.last_n,
        "created_at": rfc3339(item.created_at),
        "edited_at": rfc3339(item.edited_at),
    }


def comment(item: Comment) -> dict[str, Any]:
    """A comment as everyone sees it; a removed one keeps its place, not its words."""
    removed = item.state in (ContentState.deleted, ContentState.hidden)
    return {
        "id": item.id,
        "post_id": item.post_id,
        "seq": item.seq,
        "n": item.n,
        "version": item.version,
        "state": item.state.value,
        "author": member_summary(item.author),
        "html": "" if removed else item.body_html,
        "body": "" if removed else item.body,
        "created_at": rfc3339(item.created_at),
        "edited_at": rfc3339(item.edited_at),
    }


def profile(member: Member, item: Profile, *, followers: int, following: int) -> dict[str, Any]:
    """A member's profile as its viewers see it; the phone stays on the business card."""
    return {
        **member_summary(member),
        "is_staff": member.is_staff,
        "title": item.title,
        "company": item.company,
        "bio": item.bio or "",
        "bio_html": item.bio_html or "",
        "links": list(item.links or []),
        "visibility": item.visibility.value,
        "joined_at": rfc3339(member.created_at),
        "followers": followers,
        "following": following,
    }


def own_profile(member: Member, item: Profile, *, followers: int, following: int) -> dict[str, Any]:
    """The profile as its owner sees it: plus their email, language and the profile version."""
    return {
        **profile(member, item, followers=followers, following=following),
        "email": member.email,
        "language": member.language,
        "version": item.version,
    }
