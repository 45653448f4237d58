"""The `seed-demo` command: a believable community to look at, built through the real services."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from network.demo import seed
from network.demo.content import CAST, COMPANY, Person
from network.exceptions import ServiceError
from network.logs import LOGGER_NAME
from network.models import Role

RESET_COMMAND = "flask --app network set-password EMAIL"
LOCAL_ADDRESS = "http://127.0.0.1:5000"  # where `make run` serves by default


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill an empty community with the Brewbird demo: members, posts, comments, follows.

    Safe to run again: it stops, saying so, when the demo is there already.
    """
    try:
        seed.check_schema()
        existing = seed.existing_demo_posts()
        if existing is not None:
            _say_it_exists(existing)
            return
        seed.check_names_free()
    except seed.DemoRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    planned = len(seed.threads())
    click.echo(
        f"Seeding the {COMPANY} demo community: {len(CAST)} members and {planned} posts "
        "in English and Russian, with comments and follows."
    )
    credentials = seed.new_credentials()
    try:
        with _quiet_service_logs():
            summary = seed.seed(credentials, progress=_progress)
    except ServiceError as error:
        _print_sign_in(credentials)
        raise click.ClickException(f"seeding stopped: {error.message}") from None
    except BaseException:
        _print_sign_in(credentials)
        raise
    click.echo(
        f"Done: {summary.members} members, {summary.posts} posts "
        f"({summary.posts_in_russian} in Russian, {summary.members_only} for members only), "
        f"{summary.comments} comments, {summary.follows} follows, "
        f"{summary.pinned} pinned announcement, {summary.case_studies} customer stories."
    )
    _print_sign_in(credentials)


@contextmanager
def _quiet_service_logs() -> Iterator[None]:
    """Hold back the services' one-line-per-row INFO logs: 400 of them would bury the passwords."""
    logger = logging.getLogger(LOGGER_NAME)
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


def _progress(items: Sequence[Any], label: str = "") -> AbstractContextManager[Iterable[Any]]:
    return click.progressbar(items, label=f"{label:<19}", show_pos=True, show_eta=False)


def _say_it_exists(posts: int) -> None:
    click.echo(
        f"The demo community exists already ({posts} posts by its members); nothing was added."
    )
    if posts < len(seed.threads()):
        click.echo(
            "It looks incomplete (an earlier run stopped part-way): "
            "seed it into a fresh database to get all of it."
        )
    click.echo(
        "Its passwords were printed when it was made. To choose a new one for any demo "
        f"account (the admin is {seed.admin_person().email}): {RESET_COMMAND}"
    )


def _example(role: Role) -> Person:
    return next(person for person in CAST if person.role == role)


def _print_sign_in(credentials: seed.Credentials) -> None:
    """How to sign in as the accounts made; the passwords are shown here and nowhere else."""
    if not credentials.created:
        return
    made = set(credentials.created)
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    where = f"{base}/signin" if base else f"/signin ({LOCAL_ADDRESS}/signin after `make run`)"
    admin = seed.admin_person()
    click.echo("")
    click.echo(
        f"Sign in at {where} with these passwords, generated for this run and shown "
        "only now (they are stored hashed):"
    )
    if admin.email in made:
        click.echo(f"  admin          {admin.email:<30} {credentials.admin_password}")
    others = len(made - {admin.email})
    if others:
        click.echo(f"  every other demo member ({others}) {credentials.member_password}")
        for role in (Role.employee, Role.moderator, Role.customer):
            person = _example(role)
            if person.email in made:
                click.echo(f"    e.g. {role.value:<10} {person.email}")
        click.echo(f"  Everyone is listed at {base}/members.")
    click.echo(f"Lost a password? {RESET_COMMAND}")
