"""The realtime floor: a bare Flask-SocketIO server that broadcasts what the app broadcasts.

It runs under the same gunicorn.conf.py as the app (same async mode, threads
and worker connections), so the difference between the two is what the app
itself costs per subscriber and per comment (authentication, access checks,
presence, the registry, the database), not what Flask-SocketIO, gunicorn,
simple-websocket and the two shared cores cost.

- `subscribe {"post_id", "after"}` joins the post's room and acks, as the app does;
- `POST /posts/<id>/comments` emits a `comment` event to that room and answers 201
  with it. The event is BENCH_FLOOR_PAYLOAD (a comment the app serialized in the
  same run), with a new id, seq and n each time.
"""

from __future__ import annotations

import itertools
import json
import os
import threading

from flask import Flask, jsonify
from flask_socketio import SocketIO, join_room

PAYLOAD = json.loads(os.environ.get("BENCH_FLOOR_PAYLOAD", "{}"))

app = Flask(__name__)
socketio = SocketIO(
    app,
    async_mode=os.environ.get("NETWORK_ASYNC_MODE", "threading"),
    cors_allowed_origins=os.environ.get("NETWORK_PUBLIC_URL") or None,
    max_http_buffer_size=64 * 1024,
)
_numbers = itertools.count(1)
_lock = threading.Lock()


@app.get("/healthz")
def health() -> str:
    return "ok"


@app.post("/posts/<int:post_id>/comments")
def add_comment(post_id: int):
    with _lock:
        number = next(_numbers)
    comment = PAYLOAD | {"id": number, "post_id": post_id, "seq": number, "n": number}
    socketio.emit("comment", comment, to=f"post:{post_id}")
    return jsonify(comment), 201


@socketio.on("subscribe")
def subscribe(data):
    post_id = int(data["post_id"])
    join_room(f"post:{post_id}")
    return {"ok": True, "last": 0}
