"""Avatars: square pictures at fixed sizes, named after a stem kept on the member.

A member's avatar is three uploads, ``<stem>-64.webp``, ``<stem>-128.webp`` and
``<stem>-256.webp``; ``Member.avatar`` holds the stem (None: the default
picture).  So an author line anywhere can show an avatar from the member row
alone, without another query.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, url_for
from flask_babel import lazy_gettext as _l

from network.database import write_transaction
from network.exceptions import Forbidden
from network.models import Member, UploadPurpose
from network.permissions import Permission, can
from network.uploads import service as uploads
from network.uploads import storage
from network.uploads.images import AVATAR_SIZES

DEFAULT_AVATAR = "img/avatar-default.svg"


def _size(requested: int) -> int:
    """The smallest stored size at least as large as asked for (sharp on every screen)."""
    for size in AVATAR_SIZES:
        if size >= requested:
            return size
    return AVATAR_SIZES[-1]


def avatar_url(member: Any, size: int = 128) -> str:
    """The URL of the member's avatar at (at least) ``size`` pixels, or the default picture.

    Needs only ``member.avatar``: no query.
    """
    stem = getattr(member, "avatar", None)
    if not stem:
        # Outside a request (jobs, exports) there is no script root to build from.
        if not has_request_context():
            return f"/static/{DEFAULT_AVATAR}"
        return _default_avatar_url()
    return uploads.upload_url(f"{stem}-{_size(size)}.webp")


def _default_avatar_url() -> str:
    """Built once per request: a page shows it in every author line of members without one."""
    if "default_avatar_url" not in g:
        g.default_avatar_url = url_for("static", filename=DEFAULT_AVATAR)
    return g.default_avatar_url


def avatar_srcset(member: Any, size: int = 128) -> str:
    """A srcset offering the double size for sharp screens; empty for the default picture."""
    if not getattr(member, "avatar", None):
        return ""
    return f"{avatar_url(member, size)} 1x, {avatar_url(member, size * 2)} 2x"


def _names(stem: str | None) -> list[str]:
    return [f"{stem}-{size}.webp" for size in AVATAR_SIZES] if stem else []


def set_avatar(member: Member, file_storage: Any) -> str:
    """Make the uploaded picture the member's avatar and return its stem; the old one is deleted.

    Raises Forbidden when the member may not write, Invalid (field "avatar")
    for a missing or unacceptable picture, uploads.TooLarge (413) over the cap.
    """
    if not can(member, Permission.write):
        raise Forbidden(_l("You cannot upload pictures."))
    prepared = uploads.prepare(file_storage, UploadPurpose.avatar, field="avatar")
    member_id, stem = member.id, storage.new_stem()
    with storage.staged(stem, prepared) as files, write_transaction() as session:
        uploads.add_rows(session, member_id, UploadPurpose.avatar, files)
        # Locked (PostgreSQL; SQLite's BEGIN IMMEDIATE already is): two uploads at
        # once must not both read the same "old" avatar and orphan one new set.
        row = session.get(Member, member_id, with_for_update=True)
        old = uploads.delete_rows(session, _names(row.avatar))
        row.avatar = stem
    storage.remove(old)  # after the commit: a failed transaction keeps the old files
    return stem


def remove_avatar(member: Member) -> None:
    """Go back to the default picture; the stored sizes are deleted. Harmless without one."""
    member_id = member.id
    with write_transaction() as session:
        row = session.get(Member, member_id, with_for_update=True)
        old = uploads.delete_rows(session, _names(row.avatar))
        row.avatar = None
    storage.remove(old)
