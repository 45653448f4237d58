"""The mail benchmark (not in `make test`): 1,000 queued messages delivered to a local SMTP server.

    make bench-mail
    make bench-mail BENCH_ARGS="--messages 200 --senders 2"
    .venv/bin/python benchmarks/bench_mail.py [--messages N] [--senders K] [--database URL]

1. a fresh SQLite database (or --database, the URL of a scratch PostgreSQL database: its
   outbox is emptied, the tables are made if missing), 100 members;
2. N messages queued through `network.mail.enqueue` (rendered text and HTML, unsubscribe
   and threading headers: what the app writes), timed on their own;
3. an aiosmtpd server in a process of its own (so it does not share this one's GIL) counts
   what it accepts; K senders (threads, each `deliver_due` passes until nothing is due, as
   `flask send-mail` or the server's thread would) deliver the outbox to it;
4. prints messages per second and the time for all of them, checks the server counted each
   Message-ID exactly once. Target: all N in under 60 s. Exit status 1 when it fails.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_server(port: int, ready, seen_ids, count) -> None:
    """aiosmtpd in its own process: counts messages and keeps their Message-IDs."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            message = message_from_bytes(envelope.content, policy=policy.default)
            seen_ids.append(message["Message-ID"])
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(1)
    finally:
        controller.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--senders", type=int, default=1)
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()

    os.environ.setdefault("NETWORK_LOG_LEVEL", "warning")
    from sqlalchemy import text

    from network import create_app
    from network.database import write_transaction
    from network.extensions import db
    from network.mail import enqueue, sender
    from network.models import Base, Member, MemberStatus, OutboxMessage, OutboxStatus, Role

    folder = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    url = args.database or f"sqlite:///{folder}/network.sqlite"
    port = free_port()
    app = create_app(
        {
            "SECRET_KEY": "bench-mail-secret-key-that-is-long-enough",
            "INSTANCE_PATH": str(folder),
            "SQLALCHEMY_DATABASE_URI": url,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_SECURITY": "none",
            "SMTP_FROM": "community@example.com",
            "PUBLIC_URL": "https://community.example.com",
            "MAIL_SENDER": "off",
        }
    )
    manager = multiprocessing.Manager()
    seen_ids = manager.list()
    count = multiprocessing.Value("i", 0)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(
        target=smtp_server, args=(port, ready, seen_ids, count), daemon=True
    )
    server.start()
    if not ready.wait(20):
        print("the SMTP server did not start", file=sys.stderr)
        return 1
    try:
        with app.app_context():
            Base.metadata.create_all(db.engine)
            run_id = os.urandom(4).hex()  # a scratch database may keep the members of other runs
            with write_transaction() as session:
                session.execute(text("DELETE FROM outbox_message"))
                members = [
                    Member(
                        email=f"bench-reader-{run_id}-{n}@example.com",
                        handle=f"bench_{run_id}_{n}",
                        display_name=f"Reader {n}",
                        password_hash="!",  # noqa: S106 (no password: nobody signs in)
                        role=Role.customer,
                        status=MemberStatus.active,
                        email_verified=True,
                        language="ru" if n % 2 else "en",
                    )
                    for n in range(100)
                ]
                session.add_all(members)
            started = time.perf_counter()
            with write_transaction():
                for n in range(args.messages):
                    enqueue(
                        members[n % len(members)],
                        "staff_reply",
                        "plain",
                        {"subject": f"Staff replied ({n})", "body": f"Reply {n}: read it."},
                        thread_key=f"post:{n % 50}",
                    )
            queued = time.perf_counter() - started

        errors: list[BaseException] = []

        def run() -> None:
            if os.environ.get("BENCH_PROFILE"):
                import cProfile

                cProfile.runctx("work()", globals(), {"work": work}, sort="tottime")
            else:
                work()

        def work() -> None:
            try:
                with app.app_context():
                    while sender.deliver_due().claimed:
                        pass
                    db.session.remove()
            except BaseException as error:
                errors.append(error)

        started = time.perf_counter()
        threads = [threading.Thread(target=run) for _ in range(args.senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        delivered = time.perf_counter() - started
        deadline = time.monotonic() + 10
        while count.value < args.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        with app.app_context():
            sent = db.session.query(OutboxMessage).filter_by(status=OutboxStatus.sent).count()
    finally:
        server.terminate()
    ids = list(seen_ids)
    once = len(ids) == len(set(ids)) == args.messages
    load = os.getloadavg()[0]
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    print(
        f"bench-mail: {args.messages} messages, {args.senders} sender(s), {database}, "
        f"load average {load:.2f} at the end"
    )
    print(f"  queued (rendered, in one transaction): {queued:.2f} s")
    print(f"  delivered to aiosmtpd: {delivered:.2f} s, {args.messages / delivered:.0f} messages/s")
    print(
        f"  SMTP server counted {len(ids)} ({len(set(ids))} distinct Message-IDs); "
        f"outbox rows sent: {sent}"
    )
    passed = once and sent == args.messages and not errors and delivered < TARGET_SECONDS
    verdict = "passes" if passed else "FAILS"
    print(f"  target: all {args.messages} in under {TARGET_SECONDS:.0f} s, each once: {verdict}")
    for error in errors:
        print(f"  sender error: {error!r}", file=sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
