"""Writing mail: a message is rendered and added to the caller's transaction (the outbox).

The transactional outbox: `enqueue` adds an OutboxMessage row to `db.session` and
does not commit. The caller's write transaction commits it together with what
caused it (a comment, a consent request, a token), so a message is never sent
for a write that rolled back, and never lost for one that committed. The sender
(network/mail/sender.py) delivers the rows afterwards.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from blinker import Namespace
from flask import Flask, current_app, has_request_context, request
from flask_babel import force_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from network.community import service as community
from network.extensions import db
from network.logs import get_logger
from network.mail import preferences
from network.models import Member, MemberStatus, OutboxMessage, OutboxStatus

log = get_logger("mail")
# Sent once for every message, when the transaction that wrote it to the outbox
# commits (not at delivery): tests read links from it right after a request, and
# later features listen here. Keywords: to, subject, body (the text part), kind.
message_sent = Namespace().signal("message-sent")

# Members who may receive mail; pending members get their verification and approval.
MAIL_STATUSES = frozenset({MemberStatus.active, MemberStatus.pending})
_WRITTEN = "network_outbox_written"  # Session.info: messages flushed in this transaction


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def enqueue(
    to: Member | str,
    kind: str,
    template: str,
    context: dict[str, Any],
    *,
    thread_key: str | None = None,
) -> OutboxMessage | None:
    """Render a message and add it to the caller's transaction; the caller commits.

    `to` is a member, or an address (invitations, a new address to confirm).
    Returns None and writes nothing when the recipient may not get mail
    (suspended, deactivated, deleted) or does not want this kind now (their
    preference is "digest" or "never"; for the "digest" kind itself, anything
    but "never"). Raises Invalid for an unknown kind.
    """
    message = compose(to, kind, template, context, thread_key=thread_key)
    if message is not None:
        db.session.add(message)
    return message


def compose(
    to: Member | str,
    kind: str,
    template: str,
    context: dict[str, Any],
    *,
    thread_key: str | None = None,
    language: str | None = None,
) -> OutboxMessage | None:
    """The message `enqueue` would add, not yet in any session (or None: see enqueue).

    `language` overrides the recipient's (send() passes the one its caller wrote in).
    """
    rules = preferences.kind_of(kind)
    member = to if isinstance(to, Member) else _member_at(to, kind)
    if member is not None:
        if member.status not in MAIL_STATUSES:
            return None
        mode = preferences.mode_for(member, kind)
        wanted = mode != preferences.NEVER if kind == "digest" else mode == preferences.NOW
        if not wanted:
            return None
    address = member.email if isinstance(to, Member) else to
    from network.mail import unsubscribe  # the route module needs this one

    unsubscribe_url = (
        unsubscribe.unsubscribe_url(member, kind) if rules.optional and member else None
    )
    language = (
        language
        or (member.language if member else None)
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    rendered = render(
        template,
        language,
        {
            **context,
            "recipient": member,
            "recipient_address": address,
            "unsubscribe_url": unsubscribe_url,
        },
    )
    domain = message_domain()
    headers: dict[str, str] = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    thread_ref = thread_root(thread_key, domain) if thread_key else None
    if thread_ref:
        headers["In-Reply-To"] = thread_ref
        headers["References"] = thread_ref
    return OutboxMessage(
        recipient=address,
        member_id=member.id if member else None,
        kind=kind,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        headers=headers,
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
        thread_ref=thread_ref,
        status=OutboxStatus.pending,
        attempts=0,
    )


def render(template: str, language: str, context: dict[str, Any]) -> Rendered:
    """Subject, text and HTML of templates/mail/<template>.* in the language.

    Rendered with the app's Jinja environment directly (no request needed: the
    sender and `flask run-jobs` compose mail too); `community` and `home_url`
    come from the community's settings.
    """
    env = current_app.jinja_env
    with force_locale(language):
        values = {
            "community": community.profile(),
            "home_url": absolute("/"),
            "logo_url": None,
            "language": language,
            **context,
        }
        logo = values["community"].logo
        if logo:
            values["logo_url"] = absolute(f"/uploads/{logo}")
        subject = env.get_template(f"mail/{template}.subject.txt").render(values)
        text = env.get_template(f"mail/{template}.txt").render(values)
        html = env.get_template(f"mail/{template}.html").render(values)
    subject = " ".join(subject.split())
    name = values["community"].name
    if name:
        # Branding: people see at once which community writes to them.
        subject = f"[{name}] {subject}"
    return Rendered(subject=subject, text=text.strip() + "\n", html=html)


def absolute(path: str) -> str:
    """An absolute URL for a site path: NETWORK_PUBLIC_URL, else the request's host."""
    public = current_app.config["PUBLIC_URL"]
    if public:
        return public + path
    if has_request_context():
        return request.url_root.rstrip("/") + path
    return "http://localhost" + path


def absolute_for(endpoint: str, **values: Any) -> str:
    """The absolute URL of an endpoint, inside a request or not (CLI, sender)."""
    adapter = current_app.url_map.bind("localhost")
    return absolute(adapter.build(endpoint, values))


def message_domain() -> str:
    """The domain of Message-IDs: the public host's, else the sender address's."""
    public = current_app.config["PUBLIC_URL"]
    if public:
        host = urlsplit(public).hostname
        if host:
            return host
    sender = current_app.config["SMTP_FROM"] or ""
    if "@" in sender:
        return sender.rsplit("@", 1)[1].strip(" >")
    return "localhost"


def thread_root(thread_key: str, domain: str) -> str:
    """The deterministic root Message-ID every mail of one thread refers to."""
    digest = hashlib.sha256(thread_key.encode("utf-8")).hexdigest()[:32]
    return f"<thread-{digest}@{domain}>"


def _member_at(address: str, kind: str) -> Member | None:
    if kind == "invitation":
        return None  # an invitation goes to an address, whoever holds it
    return db.session.scalar(select(Member).where(Member.email == address))


# After the commit -----------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Fire message_sent and wake the sender when a transaction that wrote mail commits."""
    if not event.contains(Session, "after_flush", _note_written):
        event.listen(Session, "after_flush", _note_written)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _forget)


def _note_written(session: Session, _context: Any) -> None:
    written = [item for item in session.new if isinstance(item, OutboxMessage)]
    if written:
        # Plain values now: after the commit the objects are expired and no SQL may run.
        session.info.setdefault(_WRITTEN, []).extend(
            {"to": item.recipient, "subject": item.subject, "body": item.text, "kind": item.kind}
            for item in written
        )


def _forget(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


def _after_commit(session: Session) -> None:
    written = session.info.pop(_WRITTEN, None)
    if not written:
        return
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    except RuntimeError:  # a session used outside the app (a script): nobody to tell
        return
    log_them = not app.config["SMTP_HOST"]
    for message in written:
        if log_them:
            # No mail server: the operator reads the message, links included, in the log now
            # (the sender then only marks it sent).
            log.warning(
                "mail is not configured (NETWORK_SMTP_HOST); to %s: %s | %s",
                message["to"],
                message["subject"],
                message["body"],
            )
        try:
            message_sent.send(app, **message)
        except Exception:  # a listener's failure must not undo a committed write
            log.exception("a message_sent listener failed")
    from network.mail import sender

    sender.wake(app)
