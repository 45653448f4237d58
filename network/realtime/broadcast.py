"""Sending conversation changes to the people in a post's room, after the commit."""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app, has_request_context

from network import serializers
from network.extensions import socketio
from network.logs import get_logger
from network.models import Comment, ConversationEvent, EventKind
from network.realtime import connections
from network.realtime.rooms import case_study_room, post_room

log = get_logger("realtime")

# Every conversation change is one of three events on the wire (docs/realtime.md).
WIRE_EVENT = {
    EventKind.comment: "comment",
    EventKind.comment_updated: "comment_updated",
    EventKind.comment_hidden: "comment_updated",
    EventKind.comment_restored: "comment_updated",
    EventKind.comment_deleted: "comment_deleted",
}


def payload(kind: EventKind, comment: Comment, n: int) -> dict[str, Any]:
    """The event's body, from the comment's current state (a removed one carries no words)."""
    if kind == EventKind.comment_deleted:
        return {"id": comment.id, "post_id": comment.post_id, "seq": comment.seq, "n": n}
    data = serializers.comment(comment)
    data["n"] = n
    return data


def replay(events: list[ConversationEvent]) -> list[tuple[str, dict[str, Any]]]:
    """What a client that missed these events is sent, in n order."""
    return [(WIRE_EVENT[e.kind], payload(e.kind, e.comment, e.n)) for e in events]


def conversation_changed(kind: EventKind, comment: Comment) -> None:
    """Tell the post's room; a failure here loses nothing (clients re-sync by n)."""
    try:
        socketio.emit(
            WIRE_EVENT[kind], payload(kind, comment, comment.n), to=post_room(comment.post_id)
        )
    except Exception:  # the fast path must never break the write that already committed
        log.exception("broadcast failed post=%s n=%s", comment.post_id, comment.n)
        return
    # The emit only queued the event for each socket. Under gevent their writers run
    # when this request yields, which it would not do before the rest of its work (the
    # other receivers, the answer): let them send now. In threading mode it hands the
    # GIL on once. Measured by `make bench-realtime` (benchmarks/README.md).
    socketio.sleep(0)


# Rooms whose presence event is waiting for its window: (app, post id).
_due: set[tuple[int, int]] = set()
_due_lock = threading.Lock()


def presence(post_id: int) -> None:
    """Tell a post's room, soon, how many are here and which staff members are.

    Joins and leaves within REALTIME_PRESENCE_WINDOW seconds make one event: a room that
    N sockets join at once would otherwise be sent N events of N recipients each (N²,
    measured by `make bench-realtime`). Outside a request (a CLI job) it is sent at once.
    """
    window = current_app.config.get("REALTIME_PRESENCE_WINDOW", 0)
    if window <= 0 or not has_request_context():
        tell_presence(post_id)
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    due = (id(app), post_id)
    with _due_lock:
        if due in _due:
            return  # the event already waiting will count this change too
        _due.add(due)
    socketio.start_background_task(_tell_presence_after, app, due, window)


def _tell_presence_after(app: Any, due: tuple[int, int], window: float) -> None:
    socketio.sleep(window)
    with _due_lock:
        _due.discard(due)  # first: a change from now on waits for an event of its own
    with app.app_context():
        try:
            tell_presence(due[1])
        except Exception:  # the room's next change, or a reload, shows the count
            log.exception("presence failed post=%s", due[1])


def tell_presence(post_id: int) -> None:
    """The presence event, now (every process's sockets when the registry is in Redis)."""
    here = connections.in_room(post_room(post_id))
    viewers = {c.member_id if c.member_id is not None else c.sid for c in here}
    staff = sorted({c.handle for c in here if c.is_staff and c.handle})
    socketio.emit(
        "presence",
        {"post_id": post_id, "viewers": len(viewers), "staff": staff},
        to=post_room(post_id),
    )


def case_study_withdrawn(case_study_id: int) -> None:
    """Tell every open page showing the case study (visitors included) to remove it.

    The event carries the id alone: nothing of the story travels once consent is gone.
    """
    try:
        socketio.emit(
            "case_study_withdrawn", {"id": case_study_id}, to=case_study_room(case_study_id)
        )
    except Exception:  # the database already hides it; the page's next load shows that
        log.exception("broadcast failed case_study=%s", case_study_id)
