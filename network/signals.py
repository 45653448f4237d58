"""Domain signals: what a service says happened, after its commit, to whoever listens.

A service commits, then sends one of these (blinker, the library Flask's own
signals use). The realtime broadcasts, the notifications, and later mail, the
search index and caches subscribe; services never import them (the layers
contract in setup.cfg refuses it).

`send` runs every receiver and catches what each raises: the write is
committed, so a failing receiver is logged (with the request id, which every
log line carries) and never turns the answer into an error. Receivers run in
the sending request, one after the other, in the order they connected.

Each signal lists the keyword arguments it is sent with. Objects passed are
loaded after the commit; receivers must not change them.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace, Signal

from network.logs import get_logger

log = get_logger("signals")
_space = Namespace()

# Conversations --------------------------------------------------------------------------------
#: comment (Comment, author and post loaded): a member commented.
comment_created = _space.signal("comment-created")
#: kind (EventKind), comment (Comment): a comment was edited, deleted, hidden or restored.
comment_changed = _space.signal("comment-changed")
#: post (Post, author loaded): a post was published.
post_created = _space.signal("post-created")
#: post_id (int), narrowed (bool: fewer people may see it now): a post was edited or moderated.
post_changed = _space.signal("post-changed")

# Case studies ---------------------------------------------------------------------------------
#: case_study (CaseStudy), actor (Member): staff asked the customer to consent.
consent_requested = _space.signal("consent-requested")
#: case_study (CaseStudy), actor (Member): the customer asked for changes.
changes_requested = _space.signal("changes-requested")
#: case_study (CaseStudy), actor (Member): the customer consented to a revision.
consent_granted = _space.signal("consent-granted")
#: case_study (CaseStudy), actor (Member): staff published a consented revision.
case_study_published = _space.signal("case-study-published")
#: case_study (CaseStudy), actor (Member or None), was_public (bool): consent was withdrawn.
case_study_withdrawn = _space.signal("case-study-withdrawn")
#: case_study_id (int): a published story's consent ran out.
case_study_expired = _space.signal("case-study-expired")
#: case_study (CaseStudy), recipients (list[int]): a published story's consent ends soon.
case_study_expiring = _space.signal("case-study-expiring")

# Members and their credentials ------------------------------------------------------------------
#: key (str): one browser session ended (sign-out, ended from the sessions page).
session_ended = _space.signal("session-ended")
#: member_id (int): every session of the member ended (password, role, suspension...).
member_changed = _space.signal("member-changed")
#: token_id (int): an API token was revoked.
token_revoked = _space.signal("token-revoked")
#: member_id (int): someone failed to sign in to the member's account.
sign_in_failed = _space.signal("sign-in-failed")


def send(signal: Signal, **payload: Any) -> None:
    """Run every receiver of `signal`; log, and carry on past, any that fails."""
    for receiver in list(signal.receivers_for(None)):
        try:
            receiver(None, **payload)
        except Exception:  # the write is committed: a failing receiver must not undo the answer
            log.exception("receiver %s of %s failed", _name(receiver), signal.name)


def _name(receiver: Any) -> str:
    return f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', receiver)}"
