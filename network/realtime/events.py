"""The Socket.IO event handlers: every event re-checks who is asking (SEC-13)."""

from __future__ import annotations

import contextlib
from typing import Any

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_socketio import Namespace, disconnect, emit, join_room, leave_room

from network import liveness, serializers
from network.accounts.tokens import api_token_for
from network.case_studies import access as case_studies
from network.exceptions import ServiceError
from network.extensions import db
from network.models import Member
from network.posts import comments, service
from network.realtime import broadcast, connections, throttle
from network.realtime.rooms import case_study_room, member_room, post_room
from network.web.errors import status_info


def _error(code: str, message: Any) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": str(message)}}


def _int(data: Any, key: str) -> int | None:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        return None
    return value


class _Refused(Exception):
    """The connection no longer speaks for anybody: it is closed."""


def _asking_member() -> Member | None:
    """The member behind this socket right now, or None for an anonymous listener.

    The credential it was opened with must still be live (accounts/liveness.py,
    the same rule as pages and the API); a socket whose credential has ended
    (sign-out, revoked token, expiry, password or role change, suspension) is
    disconnected here.
    """
    connection = connections.get(request.sid)
    if connection is None:
        raise _Refused
    if connection.credential is None:
        return None
    member = liveness.live_member(connection.credential)
    if member is None:
        disconnect()
        raise _Refused
    return member


def _join(room: str) -> bool:
    """Join a room; False, quietly, when the tab left while its event was being answered."""
    try:
        join_room(room)
    except (KeyError, ValueError):  # python-socketio: "sid is not connected to ..."
        return False
    return connections.listen(request.sid, room)


def _leave(room: str) -> None:
    with contextlib.suppress(KeyError, ValueError):  # already gone with its socket
        leave_room(room)
    connections.stop_listening(request.sid, room)


def _fresh_snapshot() -> None:
    # After joining, read in a new transaction: a change committed before this
    # point is seen here; one committed after it finds the socket in the room
    # and evicts it (realtime/access.py).  Nothing was written: nothing is lost.
    db.session.rollback()


def _guarded(handler):
    def run(self, data=None):
        try:
            member = _asking_member()
        except _Refused:
            return _error("unauthorized", _l("Please sign in again."))
        who = f"member:{member.id}" if member else f"sid:{request.sid}"
        if not throttle.allowed(handler.__name__, who):
            return _error("rate_limited", _l("Please wait a moment before trying again."))
        return handler(self, member, data if isinstance(data, dict) else {})

    run.__name__ = handler.__name__
    return run


class ConversationNamespace(Namespace):
    """The default namespace: post conversations and a member's own notifications."""

    def on_connect(self, auth: Any = None) -> bool:
        token = auth.get("token") if isinstance(auth, dict) else None
        if token is not None:
            found = api_token_for(token if isinstance(token, str) else None)
            if found is None:
                return False  # a wrong token is refused, not quietly anonymous
            api_token, member = found
            credential = liveness.Credential.of_token(member, api_token.id)
        elif current_user.is_authenticated and g.get("member_session_key"):
            member = current_user
            credential = liveness.Credential.of_session(member, g.member_session_key)
        else:
            member, credential = None, None
        connections.add(
            connections.Connection(
                sid=request.sid,
                credential=credential,
                handle=member.handle if member else None,
                is_staff=bool(member and member.is_staff),
            )
        )
        if member is not None:
            join_room(member_room(member.id))
        return True

    def on_disconnect(self, *_reason: Any) -> None:
        gone = connections.remove(request.sid)
        for room in gone.rooms if gone else ():
            broadcast.presence(int(room.split(":", 1)[1]))

    @_guarded
    def on_subscribe(self, member: Member | None, data: dict[str, Any]) -> dict[str, Any]:
        post_id, after = _int(data, "post_id"), _int(data, "after")
        if post_id is None or after is None:
            return _error("invalid", _l("Send post_id and after as whole numbers."))
        room = post_room(post_id)
        # Join first, then read: a change committed meanwhile is either in the
        # replay or arrives live, and the client drops what it already has; a
        # change of who may see the post is either seen by this check or
        # evicts the socket after it (realtime/access.py).
        if not _join(room):
            return _error("unauthorized", _l("Please sign in again."))
        _fresh_snapshot()
        try:
            post = service.post_for_viewer(member, post_id)
        except ServiceError as error:
            _leave(room)  # also when it heard the post before: it may not now
            return _error("not_found", error.message)
        # A list of posts listens without being "here": presence counts the post's readers.
        listen_only = data.get("listen_only") is True
        newly_here = not listen_only and room not in getattr(
            connections.get(request.sid), "rooms", ()
        )
        if not listen_only:
            connections.join(request.sid, room)
        last = after
        while True:
            missed = comments.events_after(post, after_n=last)
            for event_name, body in broadcast.replay(missed):
                emit(event_name, body)
            if len(missed) < comments.MAX_PAGE:
                break
            last = missed[-1].n
        db.session.refresh(post)
        if newly_here:
            broadcast.presence(post.id)
        return {"ok": True, "last": post.last_n}

    @_guarded
    def on_watch_case_study(self, member: Member | None, data: dict[str, Any]) -> dict[str, Any]:
        """Listen for a case study's withdrawal: allowed to whoever may see it now."""
        case_study_id = _int(data, "case_study_id")
        if case_study_id is None:
            return _error("invalid", _l("Send case_study_id as a whole number."))
        room = case_study_room(case_study_id)
        if not _join(room):  # join first, then check: as for posts (realtime/access.py)
            return _error("unauthorized", _l("Please sign in again."))
        _fresh_snapshot()
        try:
            case_studies.view(member, case_study_id)
        except ServiceError as error:
            _leave(room)
            return _error("not_found", error.message)
        return {"ok": True}

    @_guarded
    def on_unsubscribe(self, member: Member | None, data: dict[str, Any]) -> dict[str, Any]:
        post_id = _int(data, "post_id")
        if post_id is None:
            return _error("invalid", _l("Send post_id as a whole number."))
        _leave(post_room(post_id))
        broadcast.presence(post_id)
        return {"ok": True}

    @_guarded
    def on_typing(self, member: Member | None, data: dict[str, Any]) -> dict[str, Any]:
        post_id = _int(data, "post_id")
        if member is None:
            return _error("unauthorized", _l("Please sign in to comment."))
        room = post_room(post_id) if post_id is not None else None
        connection = connections.get(request.sid)
        if room is None or connection is None or room not in connection.rooms:
            return _error("invalid", _l("Subscribe to the post first."))
        if throttle.allowed("typing_shown", f"member:{member.id}:{post_id}"):
            # Never echoed to the typer; at most one notice every few seconds.
            emit(
                "typing",
                {"post_id": post_id, "handle": member.handle, "display_name": member.display_name},
                to=room,
                skip_sid=request.sid,
            )
        return {"ok": True}

    @_guarded
    def on_comment(self, member: Member | None, data: dict[str, Any]) -> dict[str, Any]:
        if member is None:
            return _error("unauthorized", _l("Please sign in to comment."))
        post_id, body, key = _int(data, "post_id"), data.get("body"), data.get("key")
        if (
            post_id is None
            or not isinstance(body, str)
            or (key is not None and not isinstance(key, str))
        ):
            return _error("invalid", _l("Send post_id, body and key."))
        try:
            comment = comments.add_comment(member, post_id, body, key=key)
        except ServiceError as error:
            return _error(status_info(error.status).code, error.message)
        return {"ok": True, "comment": serializers.comment(comment)}


def register(socketio: Any) -> None:
    """Attach the namespace once per process (Flask-SocketIO keeps handlers across apps)."""
    if not any(isinstance(h, ConversationNamespace) for h in socketio.namespace_handlers):
        socketio.on_namespace(ConversationNamespace("/"))
