"""Backup and restore of a whole community: the database and the uploads, one file (REL-05).

A backup is a gzipped tar with ``manifest.json`` (format, database kind,
schema revision, time), the database (SQLite through its online backup API, so
a live server keeps writing meanwhile; PostgreSQL through ``pg_dump``'s custom
format) and ``uploads/``. Restoring refuses an instance that already holds a
community unless forced, and refuses an archive it did not write.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

from network.extensions import db
from network.logs import get_logger
from network.models import Member, utcnow

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
UPLOADS = "uploads"
log = get_logger("backup")


class BackupError(Exception):
    """What went wrong, in words for the operator."""


@dataclass(frozen=True)
class Summary:
    path: Path
    database: str
    revision: str | None
    members: int
    uploads: int


def _kind() -> str:
    name = db.engine.dialect.name
    if name not in DATABASE:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def _uploads_folder() -> Path:
    return Path(current_app.instance_path) / UPLOADS


def _revision() -> str | None:
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    with db.engine.connect() as connection:
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def _members() -> int:
    if "member" not in inspect(db.engine).get_table_names():
        return 0
    return db.session.scalar(select(func.count()).select_from(Member)) or 0


def _libpq_url() -> str:
    """The database URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _sqlite_file() -> Path:
    database = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        raise BackupError("This instance's SQLite database lives in memory: nothing to back up.")
    return Path(database)


def _run(command: list[str]) -> None:
    try:
        # A fixed program with the instance's own database URL: no user input reaches it.
        result = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, check=False, timeout=3600
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    """SQLite's online backup API: a consistent copy page by page, while others write."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _dump_database(kind: str, into: Path) -> None:
    if kind == "sqlite":
        _sqlite_copy(_sqlite_file(), into)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={into}", _libpq_url()])


def backup(path: Path, *, force: bool = False) -> Summary:
    """Write the community's database and uploads into one file at path.

    Raises BackupError when the file exists (unless forced) or a dump fails;
    a half-written file never takes the place of a good one.
    """
    path = path.resolve()
    if path.exists() and not force:
        raise BackupError(f"{path} exists: choose another name, or pass --force to replace it.")
    kind = _kind()
    summary = Summary(path, kind, _revision(), _members(), 0)
    uploads = sorted(p for p in _uploads_folder().glob("*") if p.is_file())
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE[kind]
        _dump_database(kind, dump)
        manifest = {
            "format": FORMAT,
            "database": kind,
            "revision": summary.revision,
            "members": summary.members,
            "uploads": len(uploads),
            "created_at": utcnow().isoformat().replace("+00:00", "Z"),
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=DATABASE[kind])
            for upload in uploads:
                archive.add(upload, arcname=f"{UPLOADS}/{upload.name}")
        partial.replace(path)
    log.info("backup written path=%s database=%s uploads=%d", path, kind, len(uploads))
    return Summary(path, kind, summary.revision, summary.members, len(uploads))


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())  # type: ignore[union-attr]
    except (KeyError, AttributeError, ValueError):
        raise BackupError("This file is not a backup of this server (no manifest).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This backup's format is not one this version can restore.")
    if manifest.get("database") not in DATABASE:
        raise BackupError("This backup names no database kind this server knows.")
    return manifest


def _check_members(archive: tarfile.TarFile, kind: str) -> None:
    """Only the names a backup holds: nothing that could land outside the instance."""
    for member in archive.getmembers():
        name = member.name
        expected = name in (MANIFEST, DATABASE[kind]) or (
            name.startswith(f"{UPLOADS}/") and "/" not in name[len(UPLOADS) + 1 :]
        )
        if not expected or not member.isfile() or ".." in name or name.startswith("/"):
            raise BackupError(f"This backup holds an unexpected entry ({name!r}): refused.")


def _restore_database(kind: str, dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        _sqlite_copy(dump, _sqlite_file())
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq_url()}",
                str(dump),
            ]
        )
    db.engine.dispose()


@contextmanager
def _opened(path: Path) -> Iterator[tarfile.TarFile]:
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed below, after the check)
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        raise BackupError(f"{path} is not a backup of this server (not a gzipped tar).") from None
    try:
        yield archive
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"{path} is damaged: {error or type(error).__name__}.") from None
    finally:
        archive.close()


def restore(path: Path, *, force: bool = False) -> Summary:
    """Replace this instance's database and uploads with those in the backup at path.

    Raises BackupError, with nothing changed, when the file is not a backup of
    this server, its database kind differs from the instance's, or the instance
    already holds a community and force is not given.
    """
    path = path.resolve()
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    kind = _kind()
    members = _members()
    folder = _uploads_folder()
    present = [p for p in folder.glob("*") if p.is_file()] if folder.exists() else []
    with _opened(path) as archive, tempfile.TemporaryDirectory() as work:
        manifest = _read_manifest(archive)
        if manifest["database"] != kind:
            raise BackupError(
                f"This backup is of a {manifest['database']} database and this instance uses "
                f"{kind}: restore it into an instance of the same kind."
            )
        _check_members(archive, kind)
        if (members or present) and not force:
            raise BackupError(
                f"This instance is not empty ({members} members, {len(present)} uploads). "
                "Restore into an empty instance, or pass --force to replace everything in it."
            )
        archive.extractall(work, filter="data")
        _restore_database(kind, Path(work) / DATABASE[kind])
        if folder.exists():
            shutil.rmtree(folder)
        restored = Path(work) / UPLOADS
        if restored.exists():
            shutil.copytree(restored, folder)
        else:
            folder.mkdir(parents=True, exist_ok=True)
    count = len(list(folder.glob("*")))
    log.warning("backup restored path=%s database=%s uploads=%d", path, kind, count)
    return Summary(path, kind, manifest.get("revision"), _members(), count)
