"""Closing sockets when the credentials behind them end (SEC-07): sign-out, revoked tokens, ...

Each function names what ended (a browser session, a member's session
version, a token) and closes the sockets opened with it.  They find those
sockets in the registry (connections.py: this process's, or every process's
in Redis); under the Redis manager `disconnect(sid)` reaches the process that
holds the socket.
"""

from __future__ import annotations

from network.extensions import socketio
from network.logs import get_logger
from network.realtime import broadcast, connections

log = get_logger("realtime")


def _close(found: list[connections.Connection]) -> None:
    for connection in found:
        try:
            socketio.server.disconnect(connection.sid, namespace="/")
        except Exception:  # already gone; each later event re-checks anyway
            log.info("socket %s was already closed", connection.sid)
        gone = connections.remove(connection.sid)
        # Closed here, its disconnect handler already told the rooms; held by another
        # process, whichever of the two forgets it first tells them.
        for room in gone.rooms if gone else ():
            broadcast.presence(int(room.split(":", 1)[1]))


def session_ended(session_key: str | None) -> None:
    """Close the sockets opened from one browser session."""
    if session_key:
        _close(connections.of_session(session_key))


def member_signed_out(member_id: int) -> None:
    """Close every socket of the member (their session version changed)."""
    _close(connections.of_member(member_id))


def token_revoked(token_id: int) -> None:
    """Close every socket opened with the API token (it was revoked)."""
    _close(connections.of_token(token_id))
