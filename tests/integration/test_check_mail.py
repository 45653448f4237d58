"""`flask check-mail TO` sends a test message through a real SMTP server (issue 18, item 5)."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

from tests.support.servers import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_a_test_message_reaches_the_smtp_server(app, runner, smtp_server):
    controller, inbox = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_SECURITY="none")
    result = runner.invoke(args=["check-mail", "olga@example.com"])
    assert result.exit_code == 0, result.output
    assert "Sent a test message to olga@example.com" in result.output
    [(recipients, content)] = inbox.messages
    assert recipients == ["olga@example.com"]
    assert "Subject: Test message" in content


def test_no_smtp_host_is_said_plainly(app, runner):
    app.config["SMTP_HOST"] = None
    result = runner.invoke(args=["check-mail", "olga@example.com"])
    assert result.exit_code == 1
    assert "NETWORK_SMTP_HOST is not set" in result.output


def test_a_server_that_does_not_answer_is_named_with_its_error(app, runner):
    port = free_port()  # nothing listens there
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none")
    result = runner.invoke(args=["check-mail", "olga@example.com"])
    assert result.exit_code == 1
    assert f"127.0.0.1:{port} did not take the message" in result.output
    assert "Traceback" not in result.output
