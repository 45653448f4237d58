"""Where one page's milliseconds go, in-process, on a kept benchmark database (not in `make test`).

    .venv/bin/python benchmarks/profile_page.py --posts 100000            # median ms per page
    .venv/bin/python benchmarks/profile_page.py --posts 100000 --profile feed
    .venv/bin/python benchmarks/profile_page.py --posts 1000000 --sql
    .venv/bin/python benchmarks/profile_page.py --posts 100000 --fragments warm

Fragments (network/fragments) are cold by default: every request renders every
fragment, which is what a page costs after writes. `--fragments warm` keeps them
as a server does. Each page's line also says how many statements one request ran
(counted with a SQLAlchemy event), which must not grow with the data.

The first run for a size seeds a SQLite database like bench_feed.py does and keeps it
(default /tmp/perfdb/<posts>/, with what it needs to sign in); later runs reuse it,
migrating it to the current head first. One request at a time through the test client,
so the numbers are per-request CPU and SQL, free of wrk's and gunicorn's noise.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import corpus
import diagnostics
import seed_data
from bench_feed import migrate
from sqlalchemy import create_engine, event

from network import create_app
from network.extensions import db

USER_AGENT = "feed-benchmark"
PAGES = ("feed", "front", "post")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "perfdb")
    parser.add_argument("--repeat", type=int, default=50, help="requests per page")
    parser.add_argument("--page", choices=PAGES, action="append", help="default: all three")
    parser.add_argument("--profile", choices=PAGES, help="cProfile this page's requests")
    parser.add_argument("--top", type=int, default=40, help="lines of the profile to print")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--sql", action="store_true", help="statements, their ms and the plan")
    parser.add_argument(
        "--fragments",
        choices=("cold", "warm"),
        default="cold",
        help="cold (default): no fragment cache, every fragment rendered on every request; "
        "warm: fragments kept in memory as the server keeps them",
    )
    return parser.parse_args(argv)


def prepare(folder: Path, posts: int) -> dict[str, str]:
    """The kept database for this size (seeded on first use) and how to sign in to it."""
    folder.mkdir(parents=True, exist_ok=True)
    facts_file = folder / "facts.json"
    url = f"sqlite:///{folder / 'network.sqlite'}"
    facts = json.loads(facts_file.read_text()) if facts_file.exists() else None
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETWORK_")}
    env.update(NETWORK_INSTANCE_PATH=str(folder), NETWORK_DATABASE_URL=url)
    env["NETWORK_SECRET_KEY"] = facts["secret"] if facts else secrets.token_urlsafe(48)
    migrate(env)
    if facts is None:
        password = secrets.token_urlsafe(16)
        app = create_app(_config(url, env["NETWORK_SECRET_KEY"], folder))
        engine = create_engine(url)
        shape = seed_data.Shape(posts=posts, comments=posts * 5)
        seeded = seed_data.seed(engine, shape, corpus.make_texts(app, password))
        engine.dispose()
        facts = {
            "url": url,
            "secret": env["NETWORK_SECRET_KEY"],
            "password": password,
            "email": seeded.viewer_email,
            "hot_post_id": str(seeded.hot_post_id),
        }
        facts_file.write_text(json.dumps(facts))
    return facts


def _config(url: str, secret: str, folder: Path, warm: bool = False) -> dict[str, object]:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": secret,
        "INSTANCE_PATH": str(folder),
        "FRAGMENT_CACHE_MB": 64 if warm else 0,
        "REDIS_URL": None,
    }


class StatementCounter:
    """Statements the app's engine runs (a SQLAlchemy event), to say queries per page."""

    def __init__(self, app) -> None:
        self.count = 0
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def per_request(self, client, path: str, repeat: int = 5) -> set[int]:
        """The statement counts of `repeat` requests (one number when the page is fixed)."""
        found = set()
        for _ in range(repeat):
            before = self.count
            assert client.get(path).status_code == 200, path
            found.add(self.count - before)
        return found


def median_ms(client, path: str, repeat: int) -> tuple[float, float]:
    """Median wall-clock milliseconds per request, and the least CPU time one took.

    Other work on the machine inflates both medians; the least CPU time (this
    thread's) moves far less, so it is the steadier number to compare changes by.
    """
    for _ in range(3):  # warm templates, caches and the connection pool
        assert client.get(path).status_code == 200, path
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.thread_time()
        answer = client.get(path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        assert answer.status_code == 200, path
    return statistics.median(wall), min(cpu)


def profile(client, path: str, repeat: int, sort: str, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.strip_dirs().sort_stats(sort).print_stats(top)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    folder = args.folder / str(args.posts)
    facts = prepare(folder, args.posts)
    app = create_app(_config(facts["url"], facts["secret"], folder, args.fragments == "warm"))
    statements = StatementCounter(app)
    member = diagnostics.signed_in_client(app, facts["email"], facts["password"], USER_AGENT)
    visitor = app.test_client()
    paths = {
        "feed": (member, "/feed"),
        "front": (visitor, "/"),
        "post": (member, f"/posts/{facts['hot_post_id']}"),
    }
    for key in args.page or PAGES:
        client, path = paths[key]
        wall, cpu = median_ms(client, path, args.repeat)
        counted = ", ".join(str(n) for n in sorted(statements.per_request(client, path)))
        print(
            f"{key:<5} {path:<14} {wall:7.2f} ms median, {cpu:7.2f} ms CPU at best, "
            f"{counted} statements per request ({args.fragments} fragments)"
        )
        if args.sql:
            found = diagnostics.profile_page(app, client, key, path)
            print(f"      {found.statements} statements, {found.sql_ms:.2f} ms run alone")
            if found.slowest:
                print(f"      slowest {found.slowest.ms:.2f} ms: {found.slowest.sql[:300]}")
                print("\n".join(f"        {line}" for line in found.plan))
    if args.profile:
        client, path = paths[args.profile]
        profile(client, path, args.repeat, args.sort, args.top)
    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
