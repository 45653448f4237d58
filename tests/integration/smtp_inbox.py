"""A real SMTP server for the mail tests: aiosmtpd on a free port, keeping what it was given."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.support.servers import free_port


class Inbox:
    """aiosmtpd's handler: every accepted message, and which SMTP session brought it."""

    def __init__(self, refuse: set[str] | None = None) -> None:
        self.received: list[tuple[list[str], bytes, tuple]] = []
        self.refuse = refuse or set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), envelope.content, session.peer))
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [
                message_from_bytes(raw, policy=policy.default) for _to, raw, _peer in self.received
            ]

    @property
    def connections(self) -> int:
        with self.lock:
            return len({peer for _to, _raw, peer in self.received})


@contextmanager
def smtp_inbox(
    port: int | None = None, refuse: set[str] | None = None
) -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox(refuse)
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def use_smtp(app, port: int) -> None:
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        SMTP_SECURITY="none",
        SMTP_FROM="Community <community@example.com>",
    )
