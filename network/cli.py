"""Operator commands: `flask --app network <command>`."""

from __future__ import annotations

import ast
import os
import re
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from network.assembly.serving import announce_first_admin, problems_before_serving
from network.config import secret_problem

_SECRET_LINE = re.compile(r"^SECRET_KEY\s*=.*$", re.MULTILINE)


def init_app(app: Flask) -> None:
    from network.accounts import cli as accounts_cli
    from network.demo import cli as demo_cli
    from network.mail import cli as mail_cli

    accounts_cli.init_app(app)
    app.cli.add_command(gen_secret)
    app.cli.add_command(serve)
    app.cli.add_command(set_community)
    app.cli.add_command(run_jobs)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(check_mail)
    mail_cli.init_app(app)
    demo_cli.init_app(app)


@click.command("gen-secret")
@with_appcontext
@click.option("--if-missing", is_flag=True, help="Keep a secret that is already fit to use.")
@click.option(
    "--force", is_flag=True, help="Replace a secret that is fit to use (signs everyone out)."
)
def gen_secret(if_missing: bool, force: bool) -> None:
    """Write a new random SECRET_KEY into instance/config.py."""
    path = Path(current_app.instance_path) / "config.py"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    match = _SECRET_LINE.search(text)
    current = _literal_secret(match.group(0)) if match else None
    if match and secret_problem(current) is None and not force:
        if if_missing:
            click.echo(f"{path} already has a secret key; kept it.")
            return
        raise click.ClickException(
            f"{path} already has a secret key. Replacing it signs everybody out; "
            "pass --force to do it anyway."
        )
    line = f"SECRET_KEY = {secrets.token_urlsafe(48)!r}"
    if match:
        text = text[: match.start()] + line + text[match.end() :]
    else:
        header = "" if text else "# The operator's configuration; keep it out of version control.\n"
        text = header + text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    click.echo(f"Wrote a new secret key to {path}.")


def _literal_secret(line: str) -> str | None:
    """The string on a `SECRET_KEY = '...'` line, or None when it is not a plain literal."""
    try:
        value = ast.literal_eval(line.split("=", 1)[1].strip())
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Serve with the Socket.IO-aware development server (production: gunicorn)."""
    from network.extensions import socketio

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    problems = problems_before_serving(app)
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        sys.exit(1)
    public = app.config["PUBLIC_URL"] or f"http://{host}:{port}"
    click.echo(f"Serving the community at {public}/ (Ctrl+C to stop)")
    for line in announce_first_admin(app, public):
        click.echo(line)
    # Flask ignores app.run() under its CLI unless told that this call is meant.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    socketio.run(
        app,
        host=host,
        port=port,
        debug=app.debug,
        use_reloader=False,
        allow_unsafe_werkzeug=True,
        log_output=False,
    )


@click.command("set-community")
@with_appcontext
@click.option("--name", help="The community's name, shown in the header and titles.")
@click.option("--tagline", help="One sentence under the name on the front page.")
def set_community(name: str | None, tagline: str | None) -> None:
    """Set the community's name and tagline."""
    from network.community.service import SettingError, set_value

    if name is None and tagline is None:
        raise click.UsageError("give --name, --tagline or both")
    try:
        if name is not None:
            set_value("name", name)
        if tagline is not None:
            set_value("tagline", tagline)
    except SettingError as error:
        raise click.ClickException(str(error)) from None
    click.echo("Saved.")


@click.command("run-jobs")
@with_appcontext
def run_jobs() -> None:
    """Run the periodic jobs once (a timer runs this hourly; see docs/deployment.md).

    Case studies: consents whose end date has come are ended and their stories
    taken down (pages already hide them on that date), and the staff on a case
    study are told 14 days before its consent ends. Mail digests: each member's
    daily or weekly digest once their local time passes NETWORK_DIGEST_HOUR.
    Safe to run any number of times: each job does only what is due and not yet
    done.
    """
    from network.case_studies import expiry
    from network.notifications import digest

    expired = expiry.expire_due()
    warned = expiry.notify_expiring()
    click.echo(f"case studies: {len(expired)} expired, {len(warned)} expiry notices sent")
    click.echo(f"mail digests: {digest.send_due()} queued")


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def backup_command(file: Path, force: bool) -> None:
    """Write the database and the uploads into FILE (a .tar.gz); the server may keep running."""
    from network.operations import backup

    try:
        summary = backup.backup(file, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backed up {summary.members} members and {summary.uploads} uploads "
        f"({summary.database}, schema {summary.revision}) to {summary.path}"
    )


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a community that this instance already holds.")
def restore_command(file: Path, force: bool) -> None:
    """Replace this instance's database and uploads with the backup in FILE.

    Stop the server first. An instance that already holds a community is only
    replaced with --force.
    """
    from network.operations import backup

    try:
        summary = backup.restore(file, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored {summary.members} members and {summary.uploads} uploads from {summary.path}. "
        "Now run `flask --app network db upgrade` (harmless when the schema is current), "
        "then start the server."
    )


@click.command("check-mail")
@with_appcontext
@click.argument("to")
def check_mail(to: str) -> None:
    """Send a test message to TO through the configured SMTP server, and say how it went."""
    from network import mail

    try:
        mail.check(to)
    except mail.MailError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Sent a test message to {to}. If it does not arrive, look in its spam folder.")
