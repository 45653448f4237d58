"""Delivering the outbox: claim due messages, send them over one SMTP connection, retry later.

Each message is sent once although several senders may run at once (server
threads in every process, `flask send-mail` services): a pass claims due rows
with one UPDATE that names it (`claimed_by`) and sets a lease (`claimed_until`).
On PostgreSQL the UPDATE's subquery takes the rows FOR UPDATE SKIP LOCKED, so a
second sender skips rows the first is claiming instead of waiting for them; on
SQLite the UPDATE runs under BEGIN IMMEDIATE, SQLite's single writer, so one
claim is whole before the next begins. A sender that dies mid-pass leaves its
rows claimed until the lease ends; then they are due again.
"""

from __future__ import annotations

import os
import smtplib
import socket
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from flask import Flask
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from network import database
from network.extensions import db
from network.logs import get_logger
from network.mail import preferences, transport
from network.mail.outbox import MAIL_STATUSES
from network.models import MailPreference, Member, OutboxMessage, OutboxStatus, utcnow

log = get_logger("mail")

# Minutes to wait after the 1st, 2nd... failed attempt; the last repeats.
BACKOFF_MINUTES = (1, 5, 30, 120, 360, 720)
MAX_ATTEMPTS = 8  # then the message is marked failed (about a day and a half of trying)
LEASE = timedelta(minutes=10)  # a claim outlives any batch; a crashed sender's rows return after it
BATCH = 100
SENT_GROUP = 10  # messages marked sent per write
_SENDER = "network_mail_sender"  # app.extensions key of the embedded sender thread


@dataclass
class Counts:
    """What one pass did; `claimed` is every row it took."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0

    def add(self, other: Counts) -> None:
        for name in ("claimed", "sent", "retried", "failed", "dropped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Claimed:
    id: int
    recipient: str
    member_id: int | None
    kind: str
    subject: str
    text: str
    html: str
    headers: dict[str, Any]
    message_id: str
    attempts: int
    created_at: datetime


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def deliver_due(limit: int = BATCH, *, now: datetime | None = None) -> Counts:
    """Claim up to `limit` due messages and deliver them; returns what happened.

    Inside an app context. Messages to members who may no longer get mail
    (suspended, deleted) or who turned the kind off since are dropped, with the
    reason in last_error. Without NETWORK_SMTP_HOST each message counts as sent
    (it went to the server log when it was committed). An SMTP failure keeps the message
    pending with backoff; after MAX_ATTEMPTS it is failed. Never raises for a
    mail server's failure.
    """
    now = now or utcnow()
    worker = f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    counts = Counts()
    with db.engine.connect() as connection:
        connection.execution_options(**{database._IMMEDIATE: True})
        claimed = _claim(connection, worker, now, limit)
        counts.claimed = len(claimed)
        if not claimed:
            return counts
        allowed, dropped = _still_wanted(connection, claimed)
        if dropped:
            _finish(connection, dropped, OutboxStatus.dropped, now)
            counts.dropped = len(dropped)
        if allowed:
            _deliver(connection, allowed, now, counts)
    return counts


def _due(now: datetime) -> Any:
    return and_(
        OutboxMessage.status == OutboxStatus.pending,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


def _claim(connection: Connection, worker: str, now: datetime, limit: int) -> list[_Claimed]:
    due = (
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if connection.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    with connection.begin():
        # The outer condition again: a row another sender claimed meanwhile no longer matches.
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(due.scalar_subquery()), _due(now))
            .values(claimed_by=worker, claimed_until=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        rows = connection.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.recipient,
                OutboxMessage.member_id,
                OutboxMessage.kind,
                OutboxMessage.subject,
                OutboxMessage.text,
                OutboxMessage.html,
                OutboxMessage.headers,
                OutboxMessage.message_id,
                OutboxMessage.attempts,
                OutboxMessage.created_at,
            )
            .where(OutboxMessage.claimed_by == worker)
            .order_by(OutboxMessage.id)
        ).all()
    return [_Claimed(*row) for row in rows]


def _still_wanted(
    connection: Connection, claimed: list[_Claimed]
) -> tuple[list[_Claimed], list[tuple[_Claimed, str]]]:
    """The messages still to send, and those to drop with why (status or preference changed)."""
    member_ids = {message.member_id for message in claimed if message.member_id is not None}
    statuses: dict[int, Any] = {}
    turned_off: set[tuple[int, str]] = set()
    if member_ids:
        statuses = dict(
            connection.execute(
                select(Member.id, Member.status).where(Member.id.in_(member_ids))
            ).all()  # type: ignore[arg-type]
        )
        turned_off = {
            (member_id, kind)
            for member_id, kind in connection.execute(
                select(MailPreference.member_id, MailPreference.kind).where(
                    MailPreference.member_id.in_(member_ids),
                    MailPreference.mode == preferences.NEVER,
                )
            )
        }
        connection.rollback()  # end the read; the writes below open their own transactions
    allowed, dropped = [], []
    for message in claimed:
        if message.member_id is not None:
            status = statuses.get(message.member_id)
            if status not in MAIL_STATUSES:
                dropped.append((message, f"recipient may not get mail (status {status})"))
                continue
            if (message.member_id, message.kind) in turned_off:
                dropped.append((message, "recipient turned this kind of mail off"))
                continue
        allowed.append(message)
    return allowed, dropped


def _deliver(
    connection: Connection, messages: list[_Claimed], now: datetime, counts: Counts
) -> None:
    if not transport.configured():
        # Each was written to the server log when its transaction committed (outbox.py).
        _finish(connection, [(message, None) for message in messages], OutboxStatus.sent, now)
        counts.sent += len(messages)
        return
    try:
        server = transport.connect()
    except transport.TRANSPORT_ERRORS as error:
        log.warning("mail server unreachable, %d messages wait: %s", len(messages), error)
        _retry(connection, messages, _words(error), now, counts)
        return
    sender = transport.sender_address()
    delivered: list[tuple[_Claimed, str | None]] = []

    def record_sent() -> None:
        # In small groups: one write per message would cost more than the SMTP dialogue, and a
        # crash between the server's "250" and this write re-sends at most a group.
        if delivered:
            _finish(connection, delivered, OutboxStatus.sent, now)
            counts.sent += len(delivered)
            delivered.clear()

    with server:
        for position, message in enumerate(messages):
            try:
                server.send_message(build(message, sender))
            except (
                smtplib.SMTPRecipientsRefused,
                smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError,
            ) as error:
                if _permanent(error):
                    log.error("mail to %s refused: %s", message.recipient, error)
                    _finish(connection, [(message, _words(error))], OutboxStatus.failed, now)
                    counts.failed += 1
                else:
                    _retry(connection, [message], _words(error), now, counts)
                continue
            except transport.TRANSPORT_ERRORS as error:
                # The connection is gone: this message and the rest wait for the next pass.
                log.warning("mail server dropped the connection: %s", error)
                record_sent()
                _retry(connection, messages[position:], _words(error), now, counts)
                return
            delivered.append((message, None))
            if len(delivered) >= SENT_GROUP:
                record_sent()
        record_sent()


def build(message: _Claimed, sender: str) -> EmailMessage:
    """The MIME message: text and HTML alternatives with the stored headers."""
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.recipient
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(message.created_at)
    mime["Message-ID"] = message.message_id
    for name, value in (message.headers or {}).items():
        mime[name] = value
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    return mime


def _permanent(error: smtplib.SMTPException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _words in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    code = getattr(error, "smtp_code", 0)
    return isinstance(code, int) and code >= 500


def _words(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def _finish(
    connection: Connection,
    messages: Iterable[tuple[_Claimed, str | None]],
    status: OutboxStatus,
    now: datetime,
) -> None:
    with connection.begin():
        for message, error in messages:
            connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id)
                .values(
                    status=status,
                    attempts=message.attempts + (status != OutboxStatus.dropped),
                    sent_at=now if status == OutboxStatus.sent else None,
                    last_error=error,
                    claimed_by=None,
                    claimed_until=None,
                )
            )


def _retry(
    connection: Connection, messages: list[_Claimed], error: str, now: datetime, counts: Counts
) -> None:
    with connection.begin():
        for message in messages:
            attempts = message.attempts + 1
            gave_up = attempts >= MAX_ATTEMPTS
            connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id)
                .values(
                    status=OutboxStatus.failed if gave_up else OutboxStatus.pending,
                    attempts=attempts,
                    next_attempt_at=now + backoff(attempts),
                    last_error=error,
                    claimed_by=None,
                    claimed_until=None,
                )
            )
            if gave_up:
                counts.failed += 1
                log.error(
                    "mail to %s failed %d times, given up: %s", message.recipient, attempts, error
                )
            else:
                counts.retried += 1


def deliver_all(*, now: datetime | None = None, limit: int = BATCH) -> Counts:
    """Passes of deliver_due until nothing due is left (or a pass only retried).

    At most once an hour per process it also forgets finished messages older than
    KEEP_DAYS (prune), so the outbox does not grow without end.
    """
    total = Counts()
    while True:
        counts = deliver_due(limit, now=now)
        total.add(counts)
        if counts.claimed < limit or counts.sent + counts.dropped + counts.failed == 0:
            break
    moment = now or utcnow()
    if _last_prune[0] is None or moment - _last_prune[0] >= PRUNE_EVERY:
        _last_prune[0] = moment
        prune(now=moment)
    return total


KEEP_DAYS = 30  # sent, dropped and failed messages are kept this long (for the operator to look)
PRUNE_EVERY = timedelta(hours=1)
_last_prune: list[datetime | None] = [None]


def prune(*, now: datetime | None = None) -> int:
    """Delete sent, dropped and failed messages older than KEEP_DAYS; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=KEEP_DAYS)
    with db.engine.connect() as connection:
        connection.execution_options(**{database._IMMEDIATE: True})
        with connection.begin():
            result = connection.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.status != OutboxStatus.pending,
                    OutboxMessage.created_at < cutoff,
                )
            )
    return result.rowcount or 0


# Outbox depth, for /metrics ------------------------------------------------------------------


def depth(now: datetime | None = None) -> tuple[int, float]:
    """Pending messages, and the age in seconds of the oldest (0 when none)."""
    now = now or utcnow()
    count, oldest = db.session.execute(
        select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == OutboxStatus.pending
        )
    ).one()
    age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    return int(count), age


# The embedded sender thread -------------------------------------------------------------------


@dataclass
class _Thread:
    app: Flask
    interval: float
    wake: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        with self.lock:
            if self.thread is not None:
                return
            self.thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(self.interval)
            self.wake.clear()
            if self.stop.is_set():
                return
            with self.app.app_context():
                try:
                    deliver_all()
                except Exception:  # the thread must outlive a database hiccup
                    log.exception("mail sender pass failed")
                finally:
                    db.session.remove()


def init_app(app: Flask) -> None:
    """The embedded sender (NETWORK_MAIL_SENDER=thread): started by the first request.

    So it runs in server processes only (each gunicorn worker after its fork),
    never in `flask` commands; under TESTING it does not start by itself
    (tests call deliver_due, or start(app)).
    """
    if app.config["MAIL_SENDER"] != "thread":
        return
    state = _Thread(app=app, interval=float(app.config["MAIL_SENDER_SECONDS"]))
    app.extensions[_SENDER] = state
    if app.testing:
        return

    @app.before_request
    def _start_sender() -> None:
        if state.thread is None:
            state.start()
            state.wake.set()  # mail left by earlier processes or by `flask run-jobs`


def start(app: Flask) -> None:
    """Start the app's sender thread now (tests; servers start it at their first request)."""
    state = app.extensions.get(_SENDER)
    if state is None:
        raise RuntimeError("NETWORK_MAIL_SENDER is not 'thread'")
    state.start()


def stop(app: Flask) -> None:
    state = app.extensions.get(_SENDER)
    if state is not None and state.thread is not None:
        state.stop.set()
        state.wake.set()
        state.thread.join(timeout=10)


def wake(app: Flask) -> None:
    """Tell this process's sender thread (if it runs) that new mail was committed."""
    state = app.extensions.get(_SENDER)
    if state is not None and state.thread is not None:
        state.wake.set()
