"""The realtime benchmark (not in `make test`): comments over HTTP to N subscribers, vs a floor.

    make bench-realtime        # threading and gevent: N = 100 and 500, and 2,000 on gevent
    make bench-realtime BENCH_ARGS="--subscribers 20 --comments 20 --hold 0"   # a quick run
    .venv/bin/python benchmarks/bench_realtime.py [--mode M]... [--subscribers N]... [--hold K]

For each mode (threading, gevent) and each N, two servers under the shipped
gunicorn.conf.py (NETWORK_ASYNC_MODE=mode, NETWORK_EXPECTED_SOCKETS=N), one after the
other in the same run: the app (wsgi:app on a fresh SQLite database) and the floor
(realtime_floor.py, a bare Flask-SocketIO server in the same mode broadcasting the same
payload). In gevent mode, one more pair holds --hold (2,000) subscribed sockets and
hears --hold-comments (5) comments. Against each:

1. warm up (one socket subscribes, one comment goes round), read the worker's RSS;
2. N python-socketio clients, each a member with a personal API token, connect over
   the websocket transport and send `subscribe {"post_id", "after"}` as the post page does
   (static/js/conversation.js); wait until the presence updates stop; read the RSS again:
   (RSS after - RSS before) / N is the memory per idle subscribed socket;
3. a burst: several members (the first --writers subscribers) POST comments over the
   JSON API, each on its own pace (the same schedule for both servers); every subscriber
   notes when each `comment` event arrives. Latency = arrival - the moment its POST was
   sent; a (subscriber, comment) pair with no arrival within --wait seconds is lost.

The report goes to stdout and to benchmarks/results/<date>-realtime.md (the modes and
sizes in the name when they are not the default ones). Exit status 1 when a target fails.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import multiprocessing
import os
import random
import secrets
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from importlib.util import find_spec
from pathlib import Path

import realtime_clients
import report
import requests
import servers

from network import create_app
from network.accounts import members, tokens
from network.database import write_transaction
from network.extensions import db
from network.models import ApiToken, Member, MemberStatus, utcnow
from network.models.member import Role
from network.posts import service as posts

HERE = Path(__file__).resolve().parent
GEVENT = find_spec("gevent") is not None
CONF = servers.PROJECT_ROOT / "gunicorn.conf.py"
TARGET_P99_RATIO = 1.5  # app p99 / floor p99
TARGET_KB_PER_SOCKET = 120
TARGET_HELD = 2000  # sockets one gevent process holds
MODES = ("threading", "gevent")


def say(line: str) -> None:
    print(line, flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--subscribers", type=int, action="append", help="N (repeat for several; 100 and 500)"
    )
    parser.add_argument("--comments", type=int, default=50, help="comments in each burst")
    parser.add_argument("--writers", type=int, default=10, help="members writing the burst")
    parser.add_argument(
        "--pace", type=float, default=1.0, help="mean seconds between one writer's comments"
    )
    parser.add_argument("--wait", type=float, default=30.0, help="seconds to wait for stragglers")
    parser.add_argument(
        "--client-processes",
        type=int,
        default=4,
        help="processes the subscribers are spread over (one GIL for 500 clients is too few)",
    )
    parser.add_argument(
        "--mode",
        "--async-mode",
        dest="modes",
        action="append",
        choices=MODES,
        help="NETWORK_ASYNC_MODE of both servers (repeat for both; default: threading and "
        "gevent, gevent only where it is installed)",
    )
    parser.add_argument(
        "--hold",
        type=int,
        default=TARGET_HELD,
        help="gevent mode: sockets one process must hold and reach (0 skips the row)",
    )
    parser.add_argument(
        "--hold-comments", type=int, default=5, help="comments sent to the --hold sockets"
    )
    parser.add_argument(
        "--client-kind",
        choices=["bare", "threads"],
        default="bare",
        help="the subscribers: bare Engine.IO websockets read by one thread per client "
        "process (bare), or python-socketio clients with three threads each (threads)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and server logs")
    args = parser.parse_args(argv)
    args.subscribers = sorted(set(args.subscribers or [100, 500]))
    args.default_modes = not args.modes
    args.modes = list(dict.fromkeys(args.modes or (MODES if GEVENT else MODES[:1])))
    # The app allows 10 comments a minute per member over sockets; keep the API burst
    # realistic as well: no writer posts more than that.
    args.writers = max(args.writers, math.ceil(args.comments / 10))
    if not GEVENT and "gevent" in args.modes:
        parser.error("gevent is not installed (pip install -e '.[gevent]')")
    if "gevent" not in args.modes:
        args.hold = 0
    return args


# Servers ----------------------------------------------------------------------------------------


@dataclass
class Served:
    server: servers.Server
    payload: dict = field(default_factory=dict)  # the warm-up comment as the server answered it

    @property
    def worker_pid(self) -> int:
        """The one worker's pid (gunicorn.conf.py runs one worker per process)."""
        pid = self.server.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return int(children[0])

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.worker_pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")


def start(app_path: str | None, env: dict[str, str], log_path: Path) -> Served:
    """gunicorn -c gunicorn.conf.py on a free port (the floor names its own app)."""
    port = servers.free_port()
    url = f"http://127.0.0.1:{port}"
    env = env | {"NETWORK_PUBLIC_URL": url, "NETWORK_BIND": f"127.0.0.1:{port}"}
    command = [str(servers.BIN / "gunicorn"), "-c", str(CONF)] + ([app_path] if app_path else [])
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        command,
        cwd=HERE if app_path else servers.PROJECT_ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = servers.Server(url=url, process=process, log_path=log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{server.log()}")
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                return Served(server)
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.process.send_signal(signal.SIGTERM)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{server.log()}")


# The community ----------------------------------------------------------------------------------


@dataclass
class Community:
    tokens: list[str]  # one personal API token per member, index = member
    posts: dict[int, int]  # N -> the post its subscribers watch
    warmup_post: int


def seed(env: dict[str, str], people: int, sizes: list[int]) -> Community:
    """Members with tokens and one public post per N (cheap hashes, nobody signs in).

    The first member and token go through the services; the other members are the same
    account under other names, with tokens made as tokens.create_api_token makes them,
    in one transaction: 2,000 members one commit each took minutes on a busy machine.
    """
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["NETWORK_DATABASE_URL"],
            "SECRET_KEY": env["NETWORK_SECRET_KEY"],
            "INSTANCE_PATH": env["NETWORK_INSTANCE_PATH"],
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
        }
    )
    logging.getLogger("network").setLevel(logging.WARNING)  # a line per member is noise here
    password = secrets.token_urlsafe(16)
    with app.app_context():
        author = members.create_member(
            email="viewer0@bench.example",
            handle="viewer0",
            password=password,
            role=Role.admin,
            display_name="Viewer 0",
        )
        raw_tokens = [tokens.create_api_token(author, "realtime benchmark")[1]]
        password_hash = author.password_hash
        with write_transaction() as session:
            others = [
                Member(
                    email=f"viewer{number}@bench.example",
                    handle=f"viewer{number}",
                    display_name=f"Viewer {number}",
                    password_hash=password_hash,
                    email_verified=True,
                    role=Role.customer,
                    status=MemberStatus.active,
                )
                for number in range(1, people)
            ]
            session.add_all(others)
            session.flush()
            now = utcnow()
            for member in others:
                raw = tokens.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
                session.add(
                    ApiToken(
                        member_id=member.id,
                        name="realtime benchmark",
                        token_hash=tokens.digest(raw),
                        prefix=raw[:10],
                        created_at=now,
                    )
                )
                raw_tokens.append(raw)
        posted = {
            size: posts.create_post(
                author, title=f"Live for {size}", body="Grind size and dose, live."
            ).id
            for size in [0, *sizes]
        }
        db.session.remove()
        db.engine.dispose()
    warmup = posted.pop(0)
    return Community(raw_tokens, posted, warmup)


# Clients ----------------------------------------------------------------------------------------


def schedule(comments: int, writers: int, pace: float, seed_value: int) -> list[list[float]]:
    """When each writer sends each of its comments (seconds from the burst's start)."""
    rng = random.Random(seed_value)
    plan: list[list[float]] = [[] for _ in range(writers)]
    for number in range(comments):
        plan[number % writers].append(0.0)
    for times in plan:
        moment = rng.uniform(0, pace)
        for index in range(len(times)):
            times[index] = moment
            moment += rng.expovariate(1 / pace)
    return plan


@dataclass
class Sent:
    sent_at: float
    comment_id: int
    payload: dict
    answered_ms: float  # how long the POST took to answer 201


def burst(
    endpoint: str, writer_tokens: list[str], plan: list[list[float]]
) -> tuple[list[Sent], list[str]]:
    """Several members POST their comments on their own pace: what was acknowledged (201),
    and the answers of those refused."""
    sent: list[Sent] = []
    failures: list[str] = []
    lock = threading.Lock()
    start_at = time.monotonic() + 0.2

    def write(token: str, moments: list[float]) -> None:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        for number, moment in enumerate(moments):
            time.sleep(max(0.0, start_at + moment - time.monotonic()))
            sent_at = time.monotonic()
            try:
                answer = http.post(
                    endpoint,
                    json={"body": f"Shot {number}: 18 g in, 36 g out, 28 s. How does yours taste?"},
                    timeout=60,
                )
            except requests.RequestException as error:  # no answer at all: refused too
                with lock:
                    failures.append(f"no answer: {type(error).__name__}: {error}")
                continue
            with lock:
                if answer.status_code == 201:
                    sent.append(
                        Sent(
                            sent_at,
                            int(answer.json()["id"]),
                            answer.json(),
                            (time.monotonic() - sent_at) * 1000,
                        )
                    )
                else:
                    failures.append(f"{answer.status_code} {answer.text[:200]}")

    threads = [
        threading.Thread(target=write, args=(token, moments))
        for token, moments in zip(writer_tokens, plan, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent, failures


# One server, one N ------------------------------------------------------------------------------


@dataclass
class Measured:
    who: str  # app or floor
    mode: str  # threading or gevent
    subscribers: int
    comments: int
    expected: int
    lost: int
    latencies_ms: list[float]
    kb_per_socket: float
    connect_seconds: float
    presence_events: int
    burst_seconds: float
    post_p50_ms: float
    errors: list[str] = field(default_factory=list)  # subscribers that never joined
    dropped: int = 0  # subscribed, then disconnected by the server before the burst was heard
    refused: list[str] = field(default_factory=list)  # comment POSTs not answered 201

    def percentile(self, share: float) -> float:
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def measure(
    who: str,
    served: Served,
    api_prefix: str,
    post_id: int,
    warmup_post: int,
    community: Community,
    size: int,
    plan: list[list[float]],
    args: argparse.Namespace,
) -> Measured:
    url = served.server.url
    writers = community.tokens[: len(plan)]
    # Warm up: the first socket, the first comment and its broadcast load what is loaded lazily.
    probe = realtime_clients.Subscriber(url, community.tokens[-1], warmup_post)
    probe.join()
    warmed, refused = burst(url + api_prefix.format(post=warmup_post), writers[:1], [[0.0]])
    if refused:
        raise RuntimeError(f"{who}: the warm-up comment was refused: {refused[0]}")
    served.payload = warmed[0].payload
    time.sleep(1.0)
    probe.leave()
    time.sleep(1.0)
    before = served.rss_kb()

    processes = max(1, min(args.client_processes, size))
    shares = [community.tokens[i:size:processes] for i in range(processes)]
    context = multiprocessing.get_context("spawn")
    groups = []
    for share in shares:
        ours, theirs = context.Pipe()
        process = context.Process(
            target=realtime_clients.run_group,
            args=(url, share, post_id, theirs, args.client_kind),
            daemon=True,
        )
        process.start()
        groups.append((process, ours))
    errors: list[str] = []
    connect_seconds = 0.0  # the slowest group's, from its first connect to its last ack
    for _process, pipe in groups:
        _tag, failures, seconds = pipe.recv()
        errors += failures
        connect_seconds = max(connect_seconds, seconds)
    if errors:
        say(f"  {who}: {len(errors)} of {size} subscribers failed to join; first: {errors[0]}")
    # Idle: each group waits until the presence updates set off by the joins stop arriving.
    presence_events = dropped_idle = 0
    for _process, pipe in groups:
        _tag, presence, dropped = pipe.recv()
        presence_events += presence
        dropped_idle += dropped
    after = served.rss_kb()
    held = size - len(errors) - dropped_idle
    kb_per_socket = (after - before) / held if held else math.nan
    say(
        f"  {who}: {size - len(errors)} subscribed in {connect_seconds:.1f} s, "
        f"{dropped_idle} dropped by the server since, {presence_events} presence events, "
        f"RSS {before / 1024:.0f} -> {after / 1024:.0f} MB = {kb_per_socket:.0f} KB per socket"
    )

    burst_started = time.monotonic()
    sent, refused = burst(url + api_prefix.format(post=post_id), writers, plan)
    burst_seconds = time.monotonic() - burst_started
    until = time.monotonic() + args.wait
    arrivals: list[dict[int, float]] = []
    dropped = 0
    for _process, pipe in groups:
        pipe.send(("collect", [item.comment_id for item in sent], until))
    for process, pipe in groups:
        _tag, got, gone = pipe.recv()
        arrivals += got
        dropped += gone
        process.join(timeout=30)
    latencies = [
        (seen[item.comment_id] - item.sent_at) * 1000
        for seen in arrivals
        for item in sent
        if item.comment_id in seen
    ]
    expected = size * len(sent)
    result = Measured(
        who,
        args.mode,
        size,
        len(sent),
        expected,
        expected - len(latencies),
        latencies,
        kb_per_socket,
        connect_seconds,
        presence_events,
        burst_seconds,
        statistics.median(item.answered_ms for item in sent) if sent else math.nan,
        errors,
        dropped,
        refused,
    )
    say(
        f"  {who}: {result.comments} comments, {expected - result.lost}/{expected} delivered, "
        f"p50 {result.percentile(0.5):.0f} ms, p99 {result.percentile(0.99):.0f} ms, "
        f"max {result.percentile(1.0):.0f} ms; {dropped} sockets dropped by the server"
        + (f"; {len(refused)} POSTs refused, first: {refused[0]}" if refused else "")
    )
    return result


# The report -------------------------------------------------------------------------------------

Pair = tuple[Measured, Measured]  # the app and the floor, same mode and N


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def _ratio(app: Measured, floor: Measured) -> float:
    return app.percentile(0.99) / floor.percentile(0.99)


def checks(pairs: list[Pair], args: argparse.Namespace) -> list[tuple[str, str]]:
    found = []
    for app, floor in pairs:
        where = f"{app.mode}, N={app.subscribers}"
        if app.subscribers == args.hold and app.mode == "gevent":
            held = app.subscribers - len(app.errors) - app.dropped
            found.append(
                (
                    f"{where}: one gevent process holds {args.hold:,} subscribed sockets and "
                    f"reaches each: {held:,} held, {len(app.errors)} never joined, "
                    f"{app.dropped} dropped, {app.lost} of {app.expected:,} deliveries lost "
                    f"(floor: {floor.lost}); {app.kb_per_socket:.0f} KB per idle socket "
                    f"(floor: {floor.kb_per_socket:.0f} KB)",
                    "PASS"
                    if held == args.hold and app.lost == 0 and not app.refused and app.comments
                    else "FAIL",
                )
            )
            continue
        ratio = _ratio(app, floor)
        # A p99 over the deliveries that arrived says nothing when many never did.
        whole = app.lost == 0 and floor.lost == 0
        found.append(
            (
                f"{where}: p99 <= {TARGET_P99_RATIO}x the floor's: "
                f"{_ms(app.percentile(0.99))} ms vs {_ms(floor.percentile(0.99))} ms "
                f"= {ratio:.2f}x"
                + ("" if whole else f" over the deliveries that arrived ({app.lost} lost)"),
                "PASS" if whole and ratio <= TARGET_P99_RATIO else "FAIL",
            )
        )
        found.append(
            (
                f"{where}: every comment POST answered 201: "
                f"{len(app.refused)} of {app.comments + len(app.refused)} refused "
                f"(floor: {len(floor.refused)})",
                "PASS" if not app.refused else "FAIL",
            )
        )
        found.append(
            (
                f"{where}: 0 lost deliveries: {app.lost} of {app.expected} lost "
                f"(floor: {floor.lost})",
                "PASS" if app.lost == 0 else "FAIL",
            )
        )
        found.append(
            (
                f"{where}: <= {TARGET_KB_PER_SOCKET} KB per idle socket: "
                f"{app.kb_per_socket:.0f} KB (floor: {floor.kb_per_socket:.0f} KB)",
                "PASS" if app.kb_per_socket <= TARGET_KB_PER_SOCKET else "FAIL",
            )
        )
    if not args.hold:
        found.append(
            (
                f"One gevent process holds {TARGET_HELD:,} subscribed sockets: "
                + (
                    "gevent is not installed on this machine, row skipped"
                    if not GEVENT
                    else "not asked for (--mode gevent --hold 2000 measures it)"
                ),
                "not measured",
            )
        )
    return found


def table(pairs: list[Pair]) -> list[str]:
    lines = [
        "| mode | N | server | comments | deliveries | lost | sockets dropped "
        "| p50 ms | p95 ms | p99 ms | max ms "
        "| p99 / floor | POST p50 ms | KB per idle socket | subscribe s | presence events |",
        "| --- | ---: | --- |" + " ---: |" * 13,
    ]
    for app, floor in pairs:
        for row in (app, floor):
            lines.append(
                f"| {row.mode} | {row.subscribers} | {row.who} | {row.comments}"
                + (f" (+{len(row.refused)} refused)" if row.refused else "")
                + f" | {row.expected} "
                f"| {row.lost} | {row.dropped + len(row.errors)} "
                f"| {_ms(row.percentile(0.5))} | {_ms(row.percentile(0.95))} "
                f"| {_ms(row.percentile(0.99))} | {_ms(row.percentile(1.0))} "
                f"| {_ratio(row, floor):.2f}x | {_ms(row.post_p50_ms)} | {row.kb_per_socket:.0f} "
                f"| {row.connect_seconds:.1f} | {row.presence_events} |"
            )
    return lines


def markdown(
    pairs: list[Pair],
    args: argparse.Namespace,
    command: str,
    seconds: float,
    load: tuple[float, float],
    code: str,
    sizes: dict[tuple[str, int], str],
) -> str:
    sized = "; ".join(f"{mode} N={n}: {what}" for (mode, n), what in sizes.items())
    modes = " and ".join(args.modes)
    clients = (
        "bare Engine.IO 4 / Socket.IO 5 websockets as socket.io-client speaks them, each "
        "client process reading its sockets from one thread and a selector"
        if args.client_kind == "bare"
        else "python-socketio clients (three threads each)"
    )
    lines = [
        f"# Realtime benchmark, {date.today().isoformat()}, sqlite, {modes}",
        "",
        f"- Machine: {report.machine()}; load average {load[0]:.2f} when the run started, "
        f"{load[1]:.2f} when it ended (other work on the machine counts in it: compare the "
        "app with the floor of the same mode and N only)",
        f"- Command: `{command}`{' on ' + code if code else ''}; the whole run took "
        f"{seconds / 60:.1f} minutes",
        f"- Servers: `gunicorn -c gunicorn.conf.py` (NETWORK_ASYNC_MODE=mode, "
        f"NETWORK_EXPECTED_SOCKETS=N; {sized}) for the app (wsgi:app, SQLite) and for the "
        "floor (benchmarks/realtime_floor.py: bare Flask-SocketIO in the same mode, "
        "`subscribe` joins the room, a POST emits the app's own comment payload to it), one "
        "after the other in the same run",
        f"- Load: N subscribers (websocket transport, each a member with an API token, "
        f"`subscribe {{post_id, after}}` as static/js/conversation.js does), {clients}, in "
        f"{args.client_processes} processes (--client-processes); then {args.comments} "
        f"comments POSTed over the JSON API by {args.writers} of those members, each at its "
        f"own pace (about one every {args.pace:.1f} s, the same schedule for both servers)"
        + (
            f"; the gevent N={args.hold} row: {args.hold_comments} comments by as many writers"
            if args.hold
            else ""
        )
        + ". The clients, the writers and the server share the machine's cores",
        "- Latency: from the moment a comment's POST is sent to its `comment` event's arrival, "
        "per subscriber and comment. Lost: a pair with no arrival within "
        f"{args.wait:.0f} s of the burst (no periodic re-sync during the burst). "
        "Sockets dropped: subscribers that failed to join or that the server disconnected "
        "before the burst ended. KB per idle socket: the worker's RSS after all N subscribed "
        "and presence went quiet, minus its RSS after a warm-up (one socket, closed again), "
        "divided by the sockets still open",
        "",
        *table(pairs),
        "",
        "## Targets",
        "",
        *[f"- {verdict}: {description}" for description, verdict in checks(pairs, args)],
    ]
    for measured in (m for pair in pairs for m in pair if m.refused):
        lines += [
            "",
            f"{measured.who} ({measured.mode}) at N={measured.subscribers}: "
            f"{len(measured.refused)} of the burst's {measured.comments + len(measured.refused)} "
            f"comment POSTs were refused (not counted as deliveries); first: "
            f"`{measured.refused[0][:300]}`",
        ]
    for measured in (m for pair in pairs for m in pair if m.errors):
        lines += [
            "",
            f"{measured.who} ({measured.mode}) at N={measured.subscribers}: "
            f"{len(measured.errors)} subscribers never joined; first: "
            f"`{measured.errors[0][:300]}`",
        ]
    return "\n".join(lines) + "\n"


def save(text: str, args: argparse.Namespace) -> Path:
    report.RESULTS.mkdir(exist_ok=True)
    stem = f"{date.today().isoformat()}-realtime"
    if not args.default_modes:
        stem += "-" + "-".join(args.modes)
    if args.subscribers != [100, 500]:
        stem += "-" + "-".join(str(size) for size in args.subscribers)
    if args.hold not in (0, TARGET_HELD):
        stem += f"-hold{args.hold}"
    path = report.RESULTS / f"{stem}.md"
    path.write_text(text, encoding="utf-8")
    return path


# The run ----------------------------------------------------------------------------------------


def code_version() -> str:
    """The commit measured, and whether the app's code differed from it when the run began."""
    run = partial(
        subprocess.run, cwd=servers.PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    head = run(["git", "rev-parse", "--short", "HEAD"]).stdout.strip()
    changed = run(["git", "status", "--porcelain", "--", "network", "templates", "wsgi.py"]).stdout
    if not head:
        return ""
    return f"commit {head}" + (" with uncommitted changes to the app" if changed.strip() else "")


def pair(
    mode: str,
    size: int,
    comments: int,
    env: dict[str, str],
    work: Path,
    community: Community,
    args: argparse.Namespace,
) -> tuple[Pair, str]:
    """The app, then the floor, in one mode with N subscribers; and the app's gunicorn sizes."""
    say(f"\n== {mode}, N = {size}")
    sized = env | {"NETWORK_ASYNC_MODE": mode, "NETWORK_EXPECTED_SOCKETS": str(size)}
    writers = min(args.writers, comments)
    plan = schedule(comments, writers, args.pace, seed_value=size)
    run_args = argparse.Namespace(**vars(args), mode=mode)
    app = start(None, sized, work / f"app-{mode}-{size}.log")
    try:
        gunicorn = _sizes(app)
        results_app = measure(
            "app",
            app,
            "/api/v1/posts/{post}/comments",
            community.posts[size],
            community.warmup_post,
            community,
            size,
            plan,
            run_args,
        )
        # The floor broadcasts exactly what the app broadcasts: the warm-up comment.
        payload = app.payload
    finally:
        app.server.stop()
    floor = start(
        "realtime_floor:app",
        sized | {"BENCH_FLOOR_PAYLOAD": json.dumps(payload)},
        work / f"floor-{mode}-{size}.log",
    )
    try:
        results_floor = measure(
            "floor",
            floor,
            "/posts/{post}/comments",
            community.posts[size],
            community.warmup_post,
            community,
            size,
            plan,
            run_args,
        )
    finally:
        floor.server.stop()
    return (results_app, results_floor), gunicorn


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # kill (SIGTERM) ends the run through its finally blocks: no server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    busy = os.getloadavg()[0]
    if busy > 0.5:
        say(f"Note: the load average is {busy:.2f}; other work on the machine skews the numbers.")
    work = Path(tempfile.mkdtemp(prefix="bench-realtime-"))
    command = shlex.join([".venv/bin/python", "benchmarks/bench_realtime.py", *argv])
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETWORK_")}
    env.update(
        NETWORK_INSTANCE_PATH=str(work),
        NETWORK_DATABASE_URL=f"sqlite:///{work / 'network.sqlite'}",
        NETWORK_SECRET_KEY=secrets.token_urlsafe(48),
        PYTHONUNBUFFERED="1",
    )
    subprocess.run(
        [str(servers.BIN / "flask"), "--app", "network", "db", "upgrade"],
        cwd=servers.PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    every_size = sorted({*args.subscribers, *([args.hold] if args.hold else [])})
    people = max(every_size) + 1  # and one for the warm-up socket
    say(f"seeding {people} members with tokens")
    community = seed(env, people, every_size)
    pairs: list[Pair] = []
    sizes: dict[tuple[str, int], str] = {}
    try:
        for mode in args.modes:
            runs = [(size, args.comments) for size in args.subscribers]
            if mode == "gevent" and args.hold:
                runs.append((args.hold, args.hold_comments))
            for size, comments in runs:
                measured, gunicorn = pair(mode, size, comments, env, work, community, args)
                pairs.append(measured)
                sizes[(mode, size)] = gunicorn
        load = (busy, os.getloadavg()[0])
        text = markdown(
            pairs, args, command, time.monotonic() - started, load, code_version(), sizes
        )
        path = save(text, args)
        say("\n" + text)
        say(f"Written to {path.relative_to(servers.PROJECT_ROOT)}")
    finally:
        if args.keep:
            say(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    failed = any(verdict == "FAIL" for _, verdict in checks(pairs, args))
    return 1 if failed else 0


def _sizes(served: Served) -> str:
    """The worker's class and sizes as gunicorn.conf.py set them (its log line says so)."""
    for line in served.server.log().splitlines():
        if "worker_class=" in line:
            fields = dict(item.split("=", 1) for item in line.split() if "=" in item)
            if fields.get("worker_class") == "gevent":
                return f"gevent, {fields.get('worker_connections')} connections"
            return f"{fields.get('threads')} threads"
    return "?"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
