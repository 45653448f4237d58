"""`flask --app network send-mail`: deliver the outbox from a timer or as a service of its own."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import with_appcontext

from network.extensions import db


@click.command("send-mail")
@with_appcontext
@click.option("--loop", is_flag=True, help="Keep running: a pass every --every seconds.")
@click.option(
    "--every",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds between passes with --loop.",
)
def send_mail(loop: bool, every: float) -> None:
    """Deliver the mail that is due, then stop (or, with --loop, keep at it).

    Any number may run at once, on any machines: each message is claimed by one
    sender only. With NETWORK_MAIL_SENDER=off the server processes leave all
    delivery to this command.
    """
    from network.mail import sender

    while True:
        counts = sender.deliver_all()
        db.session.remove()
        if not loop:
            click.echo(
                f"mail: {counts.sent} sent, {counts.retried} to retry, "
                f"{counts.failed} failed, {counts.dropped} dropped"
            )
            return
        if counts.claimed:
            click.echo(
                f"mail: {counts.sent} sent, {counts.retried} to retry, "
                f"{counts.failed} failed, {counts.dropped} dropped",
                err=True,
            )
        time.sleep(every)


def init_app(app: Flask) -> None:
    app.cli.add_command(send_mail)
