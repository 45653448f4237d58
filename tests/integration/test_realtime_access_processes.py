"""Real gunicorn, real python-socketio clients: tabs that leave mid-subscribe (issue 16)."""

from __future__ import annotations

import time

import pytest
import requests
import socketio

from tests.support.servers import api_token

pytestmark = pytest.mark.slow


def test_tabs_closing_during_subscribe_leave_no_traceback_in_the_log(gunicorn_server, tmp_path):
    server = gunicorn_server()
    token = api_token(server, tmp_path, "anna")
    created = requests.post(
        server.url + "/api/v1/posts",
        json={"body": "Busy thread", "visibility": "public"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    for _ in range(40):
        # A reader opens the page and closes the tab before the subscribe is answered.
        tab = socketio.Client(reconnection=False)
        tab.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        tab.emit("subscribe", {"post_id": post_id, "after": 0})
        tab.disconnect()
    # The server goes on answering subscribes, and said nothing alarming meanwhile.
    reader = socketio.Client(reconnection=False)
    reader.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    ack = reader.call("subscribe", {"post_id": post_id, "after": 0}, timeout=10)
    reader.disconnect()
    assert ack == {"ok": True, "last": 0}
    time.sleep(0.5)
    log = server.log()
    assert "Traceback" not in log
    assert "not connected to requested namespace" not in log
