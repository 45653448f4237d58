"""The sender against a real SMTP server (issue 20, items 1, 4 and 5): it arrives, whole, once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from network import mail
from network.database import write_transaction
from network.extensions import db
from network.mail import sender
from network.models import Member, MemberStatus, OutboxMessage, OutboxStatus, utcnow
from tests.integration.smtp_inbox import smtp_inbox, use_smtp
from tests.support.people import make_member
from tests.support.servers import free_port


@pytest.fixture
def inbox(app):
    with smtp_inbox() as (controller, inbox):
        use_smtp(app, controller.port)
        yield inbox


def enqueue(member, kind="staff_reply", *, thread_key=None, subject="A reply", body="Hello"):
    with write_transaction():
        return mail.enqueue(
            member, kind, "plain", {"subject": subject, "body": body}, thread_key=thread_key
        )


def statuses() -> list[tuple[OutboxStatus, int]]:
    db.session.rollback()
    return [
        (row.status, row.attempts)
        for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    ]


def test_the_mail_arrives_whole(app, ctx, inbox):
    app.config["PUBLIC_URL"] = "https://community.example.com"
    carla = make_member(handle="carla", display_name="Carla")
    row = enqueue(
        carla, thread_key="post:3", body="Staff answered: https://community.example.com/posts/3"
    )
    message_id, thread_ref = row.message_id, row.thread_ref

    counts = sender.deliver_due()

    assert (counts.claimed, counts.sent) == (1, 1)
    [message] = inbox.messages
    assert message["From"] == "Community <community@example.com>"
    assert message["To"] == carla.email
    assert message["Subject"] == "A reply"
    assert message["Message-ID"] == message_id
    assert message["Date"]
    assert message["In-Reply-To"] == message["References"] == thread_ref
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://community.example.com/mail/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Staff answered: https://community.example.com/posts/3" in text
    assert '<a href="https://community.example.com/posts/3">' in html
    assert unsubscribe.strip("<>") in text and unsubscribe.strip("<>") in html
    assert statuses() == [(OutboxStatus.sent, 1)]
    assert sender.deliver_due().claimed == 0  # sent is sent


def test_russian_mail_arrives_in_russian(app, ctx, inbox):
    olga = make_member(handle="olga", language="ru")
    enqueue(olga, "mention", subject="Вас упомянули", body="Ольга, вот ссылка")
    sender.deliver_due()
    [message] = inbox.messages
    assert message["Subject"] == "Вас упомянули"
    assert "Ольга, вот ссылка" in message.get_body(("plain",)).get_content()
    assert '<html lang="ru">' in message.get_body(("html",)).get_content()


def test_one_connection_carries_a_batch(app, ctx, inbox):
    carla = make_member(handle="carla")
    for n in range(5):
        enqueue(carla, body=f"message {n}")
    assert sender.deliver_due().sent == 5
    assert len(inbox.messages) == 5
    assert inbox.connections == 1


def test_smtp_down_loses_nothing_and_backoff_is_kept(app, ctx):
    port = free_port()  # nothing listens there yet
    use_smtp(app, port)
    carla = make_member(handle="carla")
    enqueue(carla)
    now = utcnow()

    counts = sender.deliver_due(now=now)
    assert (counts.claimed, counts.retried, counts.sent) == (1, 1, 0)
    [row] = db.session.scalars(select(OutboxMessage)).all()
    assert row.status == OutboxStatus.pending and row.attempts == 1
    assert row.last_error and "Connection" in row.last_error
    assert row.next_attempt_at - now == sender.backoff(1) == timedelta(minutes=1)
    db.session.rollback()

    with smtp_inbox(port) as (_controller, inbox):
        # the server is back, but the message waits for its time
        assert sender.deliver_due(now=now + timedelta(seconds=30)).claimed == 0
        assert inbox.messages == []
        assert sender.deliver_due(now=now + timedelta(minutes=1, seconds=1)).sent == 1
        assert len(inbox.messages) == 1
    assert statuses() == [(OutboxStatus.sent, 2)]


def test_after_the_last_attempt_the_message_is_failed(app, ctx):
    use_smtp(app, free_port())
    carla = make_member(handle="carla")
    enqueue(carla)
    now = utcnow()
    for attempt in range(1, sender.MAX_ATTEMPTS + 1):
        counts = sender.deliver_due(now=now)
        assert counts.claimed == 1
        now += sender.backoff(attempt)
    assert counts.failed == 1
    assert statuses() == [(OutboxStatus.failed, sender.MAX_ATTEMPTS)]
    assert sender.deliver_due(now=now + timedelta(days=30)).claimed == 0


def test_a_refused_address_fails_without_holding_up_the_others(app, ctx):
    with smtp_inbox(refuse={"gone@example.com"}) as (controller, inbox):
        use_smtp(app, controller.port)
        gone = make_member(handle="gone", email="gone@example.com")
        carla = make_member(handle="carla")
        enqueue(gone)
        enqueue(carla)
        counts = sender.deliver_due()
        assert (counts.failed, counts.sent) == (1, 1)
        assert [m["To"] for m in inbox.messages] == [carla.email]
    assert statuses() == [(OutboxStatus.failed, 1), (OutboxStatus.sent, 1)]


def test_a_member_suspended_after_the_enqueue_gets_none(app, ctx, inbox):
    ivan = make_member(handle="ivan")
    carla = make_member(handle="carla")
    enqueue(ivan)
    enqueue(carla)
    with write_transaction() as session:
        session.execute(
            update(Member).where(Member.id == ivan.id).values(status=MemberStatus.suspended)
        )
    counts = sender.deliver_due()
    assert (counts.dropped, counts.sent) == (1, 1)
    assert [m["To"] for m in inbox.messages] == [carla.email]
    dropped = db.session.scalar(select(OutboxMessage).where(OutboxMessage.member_id == ivan.id))
    assert dropped.status == OutboxStatus.dropped and "suspended" in dropped.last_error


def test_a_crashed_senders_claim_runs_out(app, ctx, inbox):
    carla = make_member(handle="carla")
    enqueue(carla)
    now = utcnow()
    with db.engine.connect() as connection:  # a sender that claims, then dies
        assert len(sender._claim(connection, "crashed", now, 10)) == 1
    assert sender.deliver_due(now=now).claimed == 0
    assert sender.deliver_due(now=now + sender.LEASE + timedelta(seconds=1)).sent == 1
    assert len(inbox.messages) == 1


def test_without_a_mail_server_messages_go_to_the_log(app, ctx, caplog):
    app.config["SMTP_HOST"] = None
    carla = make_member(handle="carla")
    enqueue(carla, body="the link http://localhost/verify/abc")
    assert "http://localhost/verify/abc" in caplog.text  # at the commit: no sender needed
    assert sender.deliver_due().sent == 1
    assert statuses() == [(OutboxStatus.sent, 1)]


def test_send_mail_command_delivers_what_is_due(app, runner, inbox):
    with app.app_context():
        carla = make_member(handle="carla")
        enqueue(carla)
        enqueue(carla)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "2 sent" in result.output
    assert len(inbox.messages) == 2


@pytest.mark.both_databases
def test_two_senders_at_once_send_each_message_once(app, db_backend, inbox):
    total = 60
    with app.app_context():
        members = [make_member(handle=f"reader{n}") for n in range(4)]
        with write_transaction():
            for n in range(total):
                mail.enqueue(
                    members[n % 4], "staff_reply", "plain", {"subject": f"m{n}", "body": "b"}
                )
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                start.wait()
                while sender.deliver_due(limit=7).claimed:
                    pass
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    ids = [message["Message-ID"] for message in inbox.messages]
    assert len(ids) == total
    assert len(set(ids)) == total
    with app.app_context():
        assert statuses() == [(OutboxStatus.sent, 1)] * total


def test_the_embedded_thread_delivers_soon_after_the_commit(app, inbox):
    app.config["MAIL_SENDER_SECONDS"] = 3600  # only the wake-up can explain a quick delivery
    from network.mail.sender import _Thread

    state = _Thread(app=app, interval=3600)
    app.extensions["network_mail_sender"] = state
    sender.start(app)
    try:
        with app.app_context():
            enqueue(make_member(handle="carla"))
        deadline = time.monotonic() + 10
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(inbox.messages) == 1
    finally:
        sender.stop(app)
    assert not state.thread.is_alive()


@pytest.mark.parametrize("app_settings", [{"MAIL_SENDER": "off"}])
def test_with_the_sender_off_the_server_runs_no_thread(app, inbox):
    assert "network_mail_sender" not in app.extensions
    with pytest.raises(RuntimeError):
        sender.start(app)
    with app.app_context():
        enqueue(make_member(handle="carla"))
    app.test_client().get("/healthz")
    time.sleep(0.3)
    assert inbox.messages == []  # a `flask send-mail` service delivers instead
    assert not any(thread.name == "mail-sender" for thread in threading.enumerate())


def test_old_finished_messages_are_forgotten_and_pending_ones_kept(app, ctx, inbox):
    carla = make_member(handle="carla")
    enqueue(carla)
    assert sender.deliver_due().sent == 1
    enqueue(carla)  # still pending
    later = utcnow() + timedelta(days=sender.KEEP_DAYS + 1)
    use_smtp(app, free_port())  # the server is gone: the second message keeps waiting
    sender._last_prune[0] = None
    sender.deliver_all(now=later)
    assert statuses() == [(OutboxStatus.pending, 1)]
    assert sender.prune(now=later) == 0
