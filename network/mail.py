"""Sending mail: SMTP when configured, else the server log (so small installs still work)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from blinker import Namespace
from flask import current_app

from network.community import service as community
from network.logs import get_logger

log = get_logger("mail")
# Sent for every message, delivered or logged: tests and later features listen here.
message_sent = Namespace().signal("message-sent")


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; failures are logged, never shown as a server error.

    Without NETWORK_SMTP_HOST the message, links included, goes to the server
    log: the operator reads it there (README says so).
    """
    config = current_app.config
    name = _community_name()
    if name:
        # Branding: people see at once which community writes to them.
        subject, body = f"[{name}] {subject}", f"{body}\n\n-- \n{name}"
    message_sent.send(current_app._get_current_object(), to=to, subject=subject, body=body)
    if not config["SMTP_HOST"]:
        log.warning("mail is not configured (NETWORK_SMTP_HOST); to %s: %s | %s", to, subject, body)
        return
    try:
        _deliver(_message(to, subject, body))
    except (OSError, smtplib.SMTPException) as error:
        log.error("mail to %s failed: %s", to, error)


class MailError(Exception):
    """Why a test message could not be sent, in words for the operator."""


def check(to: str) -> None:
    """Send a test message through the configured SMTP server (`flask check-mail`).

    Unlike send(), it raises MailError with the server's own words, so the
    operator sees at once what is wrong: no host set, refused, bad password.
    """
    config = current_app.config
    if not config["SMTP_HOST"]:
        raise MailError(
            "NETWORK_SMTP_HOST is not set: messages go to the server log instead of out."
        )
    subject = "Test message"
    body = (
        f"This is a test from {current_app.config['PUBLIC_URL'] or 'your community'}: "
        "mail from the community reaches this address."
    )
    try:
        _deliver(_message(to, subject, body))
    except (OSError, smtplib.SMTPException) as error:
        host, port = config["SMTP_HOST"], config["SMTP_PORT"]
        raise MailError(f"{host}:{port} did not take the message: {error}") from None
    log.info("test mail sent to %s", to)


def _message(to: str, subject: str, body: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = (
        config["SMTP_FROM"] or config["SMTP_USER"] or f"community@{config['SMTP_HOST']}"
    )
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid()
    message.set_content(body)
    return message


def _community_name() -> str | None:
    return community.profile().name


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    host, port, security = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_SECURITY"]
    context = ssl.create_default_context()
    if security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=15, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=15)
    with server:
        if security == "starttls":
            server.starttls(context=context)
        if config["SMTP_USER"]:
            server.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        server.send_message(message)
