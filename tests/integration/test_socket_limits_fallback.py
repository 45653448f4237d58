"""Socket events keep their rate limits while the shared store is down (issue 18, item 4).

With Redis unreachable, HTTP limits fall back to memory (Flask-Limiter's option); socket events
(network/realtime/throttle.py) do the same instead of failing every event.
"""

from __future__ import annotations

import socket

import pytest

from network.realtime import throttle


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.fixture
def app_settings() -> dict[str, object]:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_closed_port()}/0",
        "RATELIMIT_SOCKET": {"default": "3 per minute"},
    }


def test_events_are_counted_in_memory_while_the_store_is_down(app, caplog):
    with app.test_request_context("/"):
        answers = [throttle.allowed("subscribe", "member:fallback-a") for _ in range(4)]
        other = throttle.allowed("subscribe", "member:fallback-b")
    assert answers == [True, True, True, False]  # still limited, not refused outright
    assert other is True
