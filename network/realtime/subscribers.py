"""What the realtime layer does when a service says something happened (network/signals.py).

Conversations reach the post's room; narrowed access empties rooms of those who may
no longer listen; ended credentials close their sockets. Each receiver runs after
the commit; a failure is logged by signals.send and healed by the clients' re-sync.
"""

from __future__ import annotations

from typing import Any

from network import signals
from network.models import EventKind
from network.realtime import access, broadcast, sessions


def _comment_created(_sender: Any, *, comment: Any) -> None:
    broadcast.conversation_changed(EventKind.comment, comment)


def _comment_changed(_sender: Any, *, kind: EventKind, comment: Any) -> None:
    broadcast.conversation_changed(kind, comment)


def _post_changed(_sender: Any, *, post_id: int, narrowed: bool) -> None:
    if narrowed:  # visitors listening to it must stop hearing it
        access.post_access_changed(post_id)


def _case_study_published(_sender: Any, *, case_study: Any, actor: Any) -> None:
    # A new consent may narrow the audience: watchers outside it stop hearing of the story.
    access.case_study_access_changed(case_study.id, tell=True)


def _case_study_withdrawn(_sender: Any, *, case_study: Any, actor: Any, was_public: bool) -> None:
    if was_public:
        _gone(case_study.id)


def _case_study_expired(_sender: Any, *, case_study_id: int) -> None:
    _gone(case_study_id)


def _gone(case_study_id: int) -> None:
    broadcast.case_study_withdrawn(case_study_id)
    # Staff may still see a withdrawn story; everyone else stops hearing of it.
    access.case_study_access_changed(case_study_id, tell=False)


def _session_ended(_sender: Any, *, key: str) -> None:
    sessions.session_ended(key)


def _member_changed(_sender: Any, *, member_id: int) -> None:
    sessions.member_signed_out(member_id)


def _token_revoked(_sender: Any, *, token_id: int) -> None:
    sessions.token_revoked(token_id)


RECEIVERS = {
    signals.comment_created: _comment_created,
    signals.comment_changed: _comment_changed,
    signals.post_changed: _post_changed,
    signals.case_study_published: _case_study_published,
    signals.case_study_withdrawn: _case_study_withdrawn,
    signals.case_study_expired: _case_study_expired,
    signals.session_ended: _session_ended,
    signals.member_changed: _member_changed,
    signals.token_revoked: _token_revoked,
}


def connect() -> None:
    """Subscribe (once per process: blinker keeps one connection per receiver)."""
    for signal, receiver in RECEIVERS.items():
        signal.connect(receiver)
