"""Operator commands for accounts: create-user, set-password, create-token."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from network.accounts import members, tokens
from network.exceptions import ServiceError
from network.models import Role


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(set_password)
    app.cli.add_command(create_token)


def _password(password_file: Path | None) -> str:
    """Read the password from a file (first line, as typed) or a hidden prompt."""
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise click.ClickException(f"cannot read {password_file}: {error}") from None
        if not lines:
            raise click.ClickException(f"{password_file} is empty")
        return lines[0]
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _fail(error: ServiceError) -> click.ClickException:
    where = f"{error.field}: " if error.field else ""
    return click.ClickException(where + str(error.message))


_PASSWORD_FILE = click.option(
    "--password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the password from the first line of this file instead of prompting.",
)


@click.command("create-user")
@click.argument("email")
@click.option("--handle", required=True, help="Unique handle, e.g. anna_p.")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default="customer", show_default=True
)
@click.option("--name", "display_name", help="Display name (default: the handle).")
@_PASSWORD_FILE
@with_appcontext
def create_user(
    email: str, handle: str, role: str, display_name: str | None, password_file: Path | None
) -> None:
    """Create an active member whose address counts as verified."""
    try:
        member = members.create_member(
            email=email,
            handle=handle,
            password=_password(password_file),
            role=Role(role),
            display_name=display_name,
        )
    except ServiceError as error:
        raise _fail(error) from None
    click.echo(f"Created @{member.handle} ({member.role.value}).")


@click.command("set-password")
@click.argument("email")
@_PASSWORD_FILE
@with_appcontext
def set_password(email: str, password_file: Path | None) -> None:
    """Set a member's password (for communities without mail); ends their sessions."""
    try:
        member = members.set_password(email, _password(password_file))
    except ServiceError as error:
        raise _fail(error) from None
    click.echo(f"Password set for @{member.handle}; their sessions have ended.")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="CLI", show_default=True, help="What the token is for.")
@click.option(
    "--days",
    type=click.Choice([str(days) for days in tokens.LIFETIME_DAYS] + ["never"]),
    default="never",
    show_default=True,
    help="How long the token works.",
)
@with_appcontext
def create_token(email: str, name: str, days: str) -> None:
    """Print a new personal API token for a member (shown once)."""
    member = members.find_by_email(email)
    if member is None:
        raise click.ClickException(f"no member with the address {email}")
    try:
        _token, raw = tokens.create_api_token(member, name, tokens.token_lifetime(days))
    except ServiceError as error:
        raise _fail(error) from None
    click.echo(raw)
