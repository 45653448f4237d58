"""Where upload files live: random names in the instance folder's uploads/, never under static/."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from network.logs import get_logger
from network.uploads.images import Encoded

log = get_logger("uploads")

#: what a stored name looks like: a token_urlsafe stem, an optional size, an extension.
#: Checked before any filesystem call, so "..", "/" and "%2F" never reach one.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,48}\.(jpg|png|webp)$")
STEM_BYTES = 18  # 144 random bits, 24 characters


def folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


def new_stem() -> str:
    return secrets.token_urlsafe(STEM_BYTES)


def valid_name(name: str) -> bool:
    return bool(NAME_PATTERN.fullmatch(name or ""))


def name_for(stem: str, encoded: Encoded) -> str:
    return f"{stem}{encoded.suffix}.{encoded.extension}"


def path_of(name: str) -> Path | None:
    """The file of a stored name, or None for a name we would never have made."""
    if not valid_name(name):
        return None
    return folder() / name


def _write(path: Path, data: bytes) -> None:
    # Written beside its final place and renamed: a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def staged(stem: str, images: Iterable[Encoded]) -> Iterator[list[tuple[str, Encoded]]]:
    """Write the files, yield (name, image) pairs, and remove the files if the block fails.

    The files are written before the database transaction opens (no file work
    while holding the write lock); if the transaction then fails, nothing is left.
    """
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, Encoded]] = []
    try:
        for image in images:
            name = name_for(stem, image)
            _write(target / name, image.data)
            written.append((name, image))
        yield written
    except BaseException:
        remove(name for name, _image in written)
        raise


def remove(names: Iterable[str]) -> None:
    """Delete stored files; a file already gone is fine, a name we never make is ignored."""
    for name in names:
        path = path_of(name)
        if path is None:
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            # The row is gone already; an orphaned file costs disk, never correctness.
            log.warning("could not remove upload %s: %s", name, error)
