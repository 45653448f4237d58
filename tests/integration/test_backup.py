"""Backup and restore are one command each, tested by a round trip (REL-05; issue 18, item 5).

The commands run as an operator runs them, in their own processes, against
real SQLite files (and the machine's PostgreSQL when NETWORK_TEST_DATABASE_URL
is set), with the demo community and an uploaded picture as the data.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.support.servers import flask_command, server_env

POSTGRES_URL = os.environ.get("NETWORK_TEST_DATABASE_URL")
TABLES = ("member", "post", "comment", "case_study", "consent_event", "outbox_message")


def fresh_instance(tmp_path: Path, name: str, **overrides: str) -> dict[str, str]:
    instance = tmp_path / name
    instance.mkdir()
    env = server_env(instance, **overrides)
    result = flask_command(env, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return env


def a_community(env: dict[str, str]) -> bytes:
    """The demo community, and one uploaded picture; returns the picture's bytes."""
    seeded = flask_command(env, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    return a_picture(env)


def a_picture(env: dict[str, str]) -> bytes:
    """A file in the uploads folder, as the upload pipeline leaves one; its bytes."""
    uploads = Path(env["NETWORK_INSTANCE_PATH"]) / "uploads"
    uploads.mkdir(exist_ok=True)
    picture = os.urandom(2048)
    (uploads / "Zk3mQ9xYp2AbCdEfGhIjKlMn.webp").write_bytes(picture)
    return picture


def a_member_and_a_picture(tmp_path: Path, env: dict[str, str]) -> bytes:
    """A lighter community than the demo (which takes half a minute on PostgreSQL)."""
    password = tmp_path / "password.txt"
    password.write_text("a lighthouse keeper in winter")
    made = flask_command(
        env, "create-user", "olga@example.com", "--handle", "olga", "--role", "admin",
        "--password-file", str(password),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return a_picture(env)


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {
            table: connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in TABLES
        }
    engine.dispose()
    return found


def sqlite_url(env: dict[str, str]) -> str:
    return f"sqlite:///{env['NETWORK_INSTANCE_PATH']}/network.sqlite"


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory):
    """The demo community and a picture, backed up once: (instance env, archive, picture)."""
    folder = tmp_path_factory.mktemp("backup")
    source = fresh_instance(folder, "source")
    picture = a_community(source)
    archive = folder / "community.tar.gz"
    made = flask_command(source, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert "uploads" in made.stdout
    return source, archive, picture


def test_a_backup_restores_into_an_empty_instance_with_everything(tmp_path, demo_backup):
    source, archive, picture = demo_backup
    before = counts(sqlite_url(source))
    assert before["member"] > 0 and before["consent_event"] > 0
    target = fresh_instance(tmp_path, "target")
    restored = flask_command(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "db upgrade" in restored.stdout
    assert counts(sqlite_url(target)) == before
    copy = Path(target["NETWORK_INSTANCE_PATH"]) / "uploads" / "Zk3mQ9xYp2AbCdEfGhIjKlMn.webp"
    assert copy.read_bytes() == picture
    # The restored instance is whole: the schema checks out and the append-only log still is.
    assert flask_command(target, "db", "check").returncode == 0
    database = sqlite3.connect(Path(target["NETWORK_INSTANCE_PATH"]) / "network.sqlite")
    try:
        with pytest.raises(sqlite3.DatabaseError):
            database.execute("DELETE FROM consent_event")
    finally:
        database.close()


def test_restore_refuses_an_instance_that_holds_a_community_unless_forced(
    app, runner, customer, demo_backup
):
    source, archive, _picture = demo_backup
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0
    assert "not empty" in refused.output and "--force" in refused.output
    assert counts(url)["member"] == 1
    forced = runner.invoke(args=["restore", str(archive), "--force"])
    assert forced.exit_code == 0, forced.output
    assert counts(url) == counts(sqlite_url(source))


def test_backup_will_not_overwrite_a_file_unless_forced(tmp_path, runner):
    archive = tmp_path / "community.tar.gz"
    archive.write_text("precious")
    refused = runner.invoke(args=["backup", str(archive)])
    assert refused.exit_code != 0 and "exists" in refused.output
    assert archive.read_text() == "precious"
    assert runner.invoke(args=["backup", str(archive), "--force"]).exit_code == 0
    assert tarfile.is_tarfile(archive)


def hostile_archive(path: Path, entries: dict[str, bytes], manifest: dict | None = None) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        body = json.dumps(manifest or {"format": 1, "database": "sqlite"}).encode()
        for name, data in {"manifest.json": body, **entries}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("entries", "manifest", "said"),
    [
        ({"../escape.txt": b"x"}, None, "unexpected entry"),
        ({"uploads/../../escape.txt": b"x"}, None, "unexpected entry"),
        ({"database.sqlite": b"x", "config.py": b"SECRET_KEY='x'"}, None, "unexpected entry"),
        ({}, {"format": 99, "database": "sqlite"}, "format"),
        ({}, {"format": 1, "database": "postgresql"}, "same kind"),
    ],
)
def test_restore_refuses_archives_it_did_not_write_and_changes_nothing(
    app, runner, customer, tmp_path, entries, manifest, said
):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    before = counts(url)
    archive = hostile_archive(tmp_path / "odd.tar.gz", entries, manifest)
    refused = runner.invoke(args=["restore", str(archive), "--force"])
    assert refused.exit_code == 1 and said in refused.output, refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    assert counts(url) == before
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize("content", [b"", b"not a tar at all", b"\x1f\x8b\x08\x00broken"])
def test_restore_refuses_a_file_that_is_not_a_backup(runner, tmp_path, content):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(content)
    refused = runner.invoke(args=["restore", str(junk)])
    assert refused.exit_code == 1, refused.output
    assert "not a backup" in refused.output or "damaged" in refused.output


@pytest.fixture
def postgres_databases():
    """Two new, empty PostgreSQL databases of this test's own (so the suite's is untouched)."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL test database absent: NETWORK_TEST_DATABASE_URL is not set")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    names = [f"backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("source", "target")]
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = make_url(POSTGRES_URL)
    yield [base.set(database=name).render_as_string(hide_password=False) for name in names]
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_postgresql_backup_round_trips(tmp_path, postgres_databases):
    source_url, target_url = postgres_databases
    source = fresh_instance(tmp_path, "source", NETWORK_DATABASE_URL=source_url)
    picture = a_member_and_a_picture(tmp_path, source)
    before = counts(source_url)
    archive = tmp_path / "community.tar.gz"
    made = flask_command(source, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    target = fresh_instance(tmp_path, "target", NETWORK_DATABASE_URL=target_url)
    restored = flask_command(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert counts(target_url) == before
    copy = Path(target["NETWORK_INSTANCE_PATH"]) / "uploads" / "Zk3mQ9xYp2AbCdEfGhIjKlMn.webp"
    assert copy.read_bytes() == picture
    # An SQLite instance will not take a PostgreSQL backup.
    other = fresh_instance(tmp_path, "sqlite")
    refused = flask_command(other, "restore", str(archive))
    assert refused.returncode != 0 and "same kind" in refused.stderr
