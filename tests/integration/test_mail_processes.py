"""The embedded default with a real gunicorn process (issue 20, item 1): the server's own
thread delivers the outbox, woken by the commit that wrote the mail."""

from __future__ import annotations

import re

import pytest
import requests

from tests.integration.smtp_inbox import smtp_inbox
from tests.support.servers import wait_for

pytestmark = pytest.mark.slow


def sign_up(server, handle: str) -> None:
    browser = requests.Session()
    page = browser.get(server.url + "/signup", timeout=10).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = browser.post(
        server.url + "/signup",
        data={
            "email": f"{handle}@example.com",
            "handle": handle,
            "display_name": handle.title(),
            "password": "a long and quiet river",
            "csrf_token": csrf,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code in (302, 303), answer.text[:300]


def smtp_settings(port: int, **more: str) -> dict[str, str]:
    return {
        "NETWORK_SMTP_HOST": "127.0.0.1",
        "NETWORK_SMTP_PORT": str(port),
        "NETWORK_SMTP_SECURITY": "none",
        # a long timer: only the wake-up after the commit explains a quick delivery
        "NETWORK_MAIL_SENDER_SECONDS": "3600",
        **more,
    }


def test_the_servers_thread_delivers_right_after_the_commit(gunicorn_server):
    with smtp_inbox() as (controller, inbox):
        server = gunicorn_server(**smtp_settings(controller.port))
        sign_up(server, "olga")
        [message] = wait_for(lambda: inbox.messages, "the verification mail arrives")
        assert message["To"] == "olga@example.com"
        assert "/verify" in message.get_body(("plain",)).get_content()
