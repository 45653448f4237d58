"""SMTP: one connection to the configured mail server, and the operator's test message."""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from network.logs import get_logger

log = get_logger("mail")
# What a mail server or the network answers when it does not take a message.
TRANSPORT_ERRORS = (OSError, smtplib.SMTPException)


class MailError(Exception):
    """Why a test message could not be sent, in words for the operator."""


def configured() -> bool:
    """Whether mail goes out by SMTP (else each message is written to the server log)."""
    return bool(current_app.config["SMTP_HOST"])


def sender_address() -> str:
    config = current_app.config
    return config["SMTP_FROM"] or config["SMTP_USER"] or f"community@{config['SMTP_HOST']}"


def connect() -> smtplib.SMTP:
    """An open, authenticated connection to NETWORK_SMTP_HOST; raises TRANSPORT_ERRORS."""
    config = current_app.config
    host, port, security = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_SECURITY"]
    # Loading the certificate store takes a tenth of a second: only when it is used.
    context = ssl.create_default_context() if security != "none" else None
    # Our own name for HELO: smtplib would look it up (getfqdn), which can take seconds.
    helo = socket.gethostname() or "localhost"
    if security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, local_hostname=helo, timeout=15, context=context
        )
    else:
        server = smtplib.SMTP(host, port, local_hostname=helo, timeout=15)
    if server.sock is not None:
        # Each command waits for its answer anyway: no Nagle delay on the small writes.
        server.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        if security == "starttls":
            server.starttls(context=context)
        if config["SMTP_USER"]:
            server.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
    except BaseException:
        server.close()
        raise
    return server


def check(to: str) -> None:
    """Send a test message through the configured SMTP server (`flask check-mail`).

    It does not go through the outbox: it raises MailError with the server's own
    words, so the operator sees at once what is wrong: no host set, refused, bad password.
    """
    config = current_app.config
    if not config["SMTP_HOST"]:
        raise MailError(
            "NETWORK_SMTP_HOST is not set: messages go to the server log instead of out."
        )
    message = EmailMessage()
    message["From"] = sender_address()
    message["To"] = to
    message["Subject"] = "Test message"
    message["Message-ID"] = make_msgid()
    message.set_content(
        f"This is a test from {config['PUBLIC_URL'] or 'your community'}: "
        "mail from the community reaches this address."
    )
    try:
        with connect() as server:
            server.send_message(message)
    except TRANSPORT_ERRORS as error:
        host, port = config["SMTP_HOST"], config["SMTP_PORT"]
        raise MailError(f"{host}:{port} did not take the message: {error}") from None
    log.info("test mail sent to %s", to)
