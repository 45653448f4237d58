"""Rooms follow access: when fewer people may see a post or a case study, the others leave its room.

Broadcasts go to a room without a check per recipient (no query per socket
per event).  That is correct because of two rules kept together:

- joining: a socket joins the room first and only then reads, in a fresh
  snapshot, whether it may see the thing (events.py); if not, it leaves;
- changing: after a commit that narrows who may see the thing (members only,
  hidden, deleted, withdrawn, a narrower audience), every socket in its room
  is checked once against the same rule as pages, and those who fail leave.

A change committed while a socket joins is therefore either seen by its
check, or finds the socket already in the room.  See docs/realtime.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from network.case_studies import access as case_studies
from network.exceptions import ServiceError
from network.extensions import db, socketio
from network.logs import get_logger
from network.models import Member, Post
from network.posts.access import can_view_post
from network.realtime import broadcast, connections
from network.realtime.rooms import case_study_room, post_room

log = get_logger("realtime")


def _viewers(found: list[connections.Connection]) -> dict[int, Member]:
    """The members behind these sockets, in one query (anonymous listeners have none)."""
    ids = {c.member_id for c in found if c.member_id is not None}
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(ids)))}


def evict(sid: str, room: str, event: str | None = None, body: Any = None) -> None:
    """Take one socket out of a room (it hears nothing more from it), then tell it why."""
    try:
        socketio.server.leave_room(sid, room, namespace="/")
        if event is not None:
            socketio.emit(event, body, to=sid)
    except Exception:  # the socket is already gone: nothing left to hear
        log.info("socket %s left %s on its own", sid, room)
    connections.stop_listening(sid, room)


def post_access_changed(post_id: int) -> None:
    """After a commit that may narrow who sees the post: sockets that may not see it now leave.

    Each one evicted gets `post_hidden`; never raises (the write already committed).
    """
    room = post_room(post_id)
    try:
        here = connections.listening_to(room)
        if not here:
            return
        post = db.session.get(Post, post_id, populate_existing=True)
        viewers = _viewers(here)
        gone = [
            c
            for c in here
            if post is None or not can_view_post(viewers.get(c.member_id or 0), post)
        ]
        counted = any(room in c.rooms for c in gone)  # eviction forgets it: ask first
        for connection in gone:
            evict(connection.sid, room, "post_hidden", {"post_id": post_id})
        if counted:
            broadcast.presence(post_id)
    except Exception:  # pages learn it on their next load; their re-sync is refused
        log.exception("eviction failed post=%s", post_id)


def case_study_access_changed(case_study_id: int, *, tell: bool = True) -> None:
    """After a commit that may narrow who sees the case study: watchers who may not, leave.

    `tell` sends each one `case_study_withdrawn` (an audience change); a withdrawal
    has told the whole room already.  Never raises.
    """
    room = case_study_room(case_study_id)
    try:
        here = connections.listening_to(room)
        viewers = _viewers(here)
        allowed: dict[int | None, bool] = {}
        for connection in here:
            # The rule depends on who is asking, so ask once per member (and once for visitors).
            if connection.member_id not in allowed:
                try:
                    case_studies.view(viewers.get(connection.member_id or 0), case_study_id)
                    allowed[connection.member_id] = True
                except ServiceError:
                    allowed[connection.member_id] = False
            if not allowed[connection.member_id]:
                body = {"id": case_study_id} if tell else None
                evict(connection.sid, room, "case_study_withdrawn" if tell else None, body)
    except Exception:  # the database already hides it; the page's next load shows that
        log.exception("eviction failed case_study=%s", case_study_id)
