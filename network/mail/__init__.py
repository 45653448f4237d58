"""Mail: the outbox callers write to, the sender that delivers it, preferences and unsubscribe.

`send(to, subject, body)` is the plain account message of earlier code, now
written through the outbox; `enqueue` (network/mail/outbox.py) is the general
way. `message_sent` fires for every message when the transaction that wrote it
commits. See docs/architecture.md, "Mail".
"""

from __future__ import annotations

from flask_babel import get_locale

from network import database
from network.database import write_transaction
from network.extensions import db
from network.mail.outbox import compose, enqueue, message_sent
from network.mail.transport import MailError, check

__all__ = ["MailError", "check", "compose", "enqueue", "message_sent", "send"]


def send(to: str, subject: str, body: str) -> None:
    """Write a plain account message (template "plain") to the outbox.

    Inside a caller's write transaction the message commits with it; otherwise
    it is written and committed here, in a write transaction of its own. Nothing
    is written for a suspended, deactivated or deleted member's address.
    """
    context = {"subject": subject, "body": body}
    # The frame speaks the language the caller wrote the subject and body in (force_locale).
    language = str(get_locale() or "") or None
    if _in_write_transaction():
        message = compose(to, "account", "plain", context, language=language)
        if message is not None:
            db.session.add(message)
        return
    message = compose(to, "account", "plain", context, language=language)
    if message is None:
        return
    with write_transaction() as session:
        session.add(message)


def _in_write_transaction() -> bool:
    session = db.session()  # the request's Session (the scoped proxy lacks in_transaction)
    if not session.in_transaction():
        return False
    # write_transaction() marks its connection (BEGIN IMMEDIATE on SQLite).
    options = session.connection().get_execution_options()
    return bool(options.get(database._IMMEDIATE))


def init_app(app) -> None:
    """The outbox's commit hooks, the unsubscribe pages and the embedded sender thread."""
    from network.mail import outbox, routes, sender

    outbox.init_app(app)
    app.register_blueprint(routes.blueprint)
    sender.init_app(app)
