"""Closing sockets when the sessions behind them end (SEC-07): sign-out, password change, ..."""

from __future__ import annotations

from network.extensions import socketio
from network.logs import get_logger
from network.realtime import connections

log = get_logger("realtime")


def _close(found: list[connections.Connection]) -> None:
    for connection in found:
        try:
            socketio.server.disconnect(connection.sid, namespace="/")
        except Exception:  # already gone; each later event re-checks anyway
            log.info("socket %s was already closed", connection.sid)
        connections.remove(connection.sid)


def session_ended(session_key: str | None) -> None:
    """Close the sockets opened from one browser session."""
    if session_key:
        _close(connections.of_session(session_key))


def member_signed_out(member_id: int) -> None:
    """Close every socket of the member (their session version changed)."""
    _close(connections.of_member(member_id))
