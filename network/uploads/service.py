"""The one write path for uploads: read capped, decode by content, re-encode, store, record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from network.database import write_transaction
from network.exceptions import Forbidden, Invalid
from network.extensions import db
from network.models import Member, Upload, UploadPurpose
from network.permissions import Permission, can
from network.uploads import images, jobs, storage
from network.uploads.images import Encoded

NO_FILE = _l("Choose a picture to upload.")


class TooLarge(Invalid):
    """The file is over the upload cap (413)."""

    status = 413


def max_bytes() -> int:
    return int(current_app.config["UPLOAD_MAX_MB"]) * 1024 * 1024


def read_capped(file_storage: Any, field: str = "file") -> bytes:
    """The uploaded bytes, read no further than the cap.

    Raises Invalid when no file was sent, TooLarge (413) when it is over
    UPLOAD_MAX_MB megabytes.
    """
    stream = getattr(file_storage, "stream", None)
    if stream is None or not getattr(file_storage, "filename", None):
        raise Invalid(NO_FILE, field=field)
    cap = max_bytes()
    data = stream.read(cap + 1)
    if not data:
        raise Invalid(NO_FILE, field=field)
    if len(data) > cap:
        raise TooLarge(
            _l(
                "This file is too large: upload at most %(max)d MB.",
                max=current_app.config["UPLOAD_MAX_MB"],
            ),
            field=field,
        )
    return data


def _purpose(raw: str) -> UploadPurpose:
    try:
        return UploadPurpose(raw)
    except ValueError:
        raise Invalid(_l("Unknown kind of upload."), field="purpose") from None


def prepare(file_storage: Any, purpose: UploadPurpose, field: str = "file") -> list[Encoded]:
    """Decode and re-encode an upload without storing anything.

    The pixels are worked on inside one of the process's picture slots. Raises
    Invalid (not an image, too many pixels), TooLarge (413), or jobs.Busy (503)
    when no slot frees within UPLOAD_WAIT_SECONDS.
    """
    data = read_capped(file_storage, field)
    with jobs.image_job(field):
        if purpose == UploadPurpose.avatar:
            return images.avatar_set(data, field)
        return [images.post_image(data, field)]


def add_rows(
    session: Session, owner_id: int, purpose: UploadPurpose, files: Iterable[tuple[str, Encoded]]
) -> list[Upload]:
    """Record written files inside the caller's write transaction."""
    rows = [
        Upload(
            owner_id=owner_id,
            name=name,
            content_type=image.content_type,
            width=image.width,
            height=image.height,
            byte_size=len(image.data),
            purpose=purpose,
        )
        for name, image in files
    ]
    session.add_all(rows)
    return rows


def store_image(owner: Member, file_storage: Any, purpose: str) -> Upload:
    """Store an uploaded picture for its owner and return its row.

    The bytes are read up to the size cap, their type is decided by Pillow
    from the content alone, and the picture is re-encoded without metadata.
    For "avatar" the square sizes are stored and the 128 px row is returned
    (profiles.avatars.set_avatar also makes it the member's avatar).
    Raises Forbidden when the owner may not write, Invalid (field "file") for
    a missing or unacceptable file, TooLarge (an Invalid, 413) over the cap,
    jobs.Busy (an Invalid, 503) when every picture slot stays taken.
    """
    kind = _purpose(purpose)
    if not can(owner, Permission.write):
        raise Forbidden(_l("You cannot upload pictures."))
    prepared = prepare(file_storage, kind)
    owner_id = owner.id
    with storage.staged(storage.new_stem(), prepared) as files, write_transaction() as session:
        rows = add_rows(session, owner_id, kind, files)
    return _default_row(rows)


def _default_row(rows: list[Upload]) -> Upload:
    for row in rows:
        if row.name.split(".")[0].endswith("-128"):
            return row
    return rows[0]


def upload_url(name: str) -> str:
    """The path an upload is served at (relative to this site), e.g. /uploads/abc….webp."""
    return f"/uploads/{name}"


def find(name: str) -> Upload | None:
    """The row of a stored name; None for unknown or malformed names (no query for those)."""
    if not storage.valid_name(name):
        return None
    return db.session.scalar(select(Upload).where(Upload.name == name))


def delete_rows(session: Session, names: Iterable[str]) -> list[str]:
    """Delete upload rows in the caller's transaction; returns the names to remove after commit."""
    names = list(names)
    if not names:
        return []
    for row in session.scalars(select(Upload).where(Upload.name.in_(names))):
        session.delete(row)
    return names
