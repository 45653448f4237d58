"""The feed benchmark (not in `make test`): what a busy community sees, against a floor.

    make bench-feed     # 100k posts on SQLite, and PostgreSQL if NETWORK_TEST_DATABASE_URL is set
    make bench-feed-1m  # 100k and 1M posts, and the checks that compare them
    .venv/bin/python benchmarks/bench_feed.py [--posts N]... [--postgres URL] [--no-sqlite]

For each database and size: a seeded database (seed_cache.py keeps them between
runs), 250 members signed in through the sign-in form, the three pages profiled
in-process (queries per page), then one gunicorn process of the app and one of
the floor (floor_app.py), under the same settings. Each row -- a page at 0, 1 or
5 comments a second -- runs the floor, then the app under wrk with every request
a different member's session cookie in turn, while comments are POSTed through
the app's API (writes.py). The report goes to stdout and to
benchmarks/results/<date>-feed-<databases>-<sizes>.md. Exit status 1 when a
target fails.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import diagnostics
import fragment_hits
import report
import requests
import seed_cache
import seed_data
import servers
import visitors
import writes
import wrk
from sqlalchemy import create_engine, select

from network import create_app
from network.extensions import db
from network.models import Post

migrate = seed_cache.migrate  # profile_page.py migrates its kept database with it
_DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_COMMENT = re.compile(r'<li class="comment[" ]')
PAGES = ("feed", "post", "front")


def say(line: str) -> None:
    print(line, flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--posts", type=int, action="append", help="posts to seed (repeat for several sizes)"
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=float, default=5.0)
    parser.add_argument("--follows", type=int, default=50, help="how many others each follows")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument(
        "--visitors", type=int, default=250, help="distinct signed-in members in rotation"
    )
    parser.add_argument(
        "--writes",
        type=float,
        action="append",
        help="comments a second during the app's runs (repeat; default 0, 1 and 5)",
    )
    parser.add_argument("--writers", type=int, default=10, help="members whose tokens write")
    parser.add_argument(
        "--write-window", type=int, default=5_000, help="comments go to the newest N posts"
    )
    parser.add_argument("--page", choices=PAGES, action="append", help="default: all three")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("NETWORK_TEST_DATABASE_URL"),
        help="a PostgreSQL server URL (default: NETWORK_TEST_DATABASE_URL); its database is "
        "not used: the benchmark creates --pg-database (and bench_seed_* templates) there",
    )
    parser.add_argument("--pg-database", default="bench_feed")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--keep", action="store_true", help="keep the run's databases and logs")
    parser.add_argument(
        "--schema-experiment",
        metavar="SQL",
        action="append",
        default=[],
        help="SQL run on the run's copy after seeding, to try a schema change (an index) "
        "before writing its migration; the report says so",
    )
    args = parser.parse_args(argv)
    args.posts = sorted(set(args.posts or [100_000]))
    args.writes = sorted(set(args.writes if args.writes is not None else [0.0, 1.0, 5.0]))
    args.page = [key for key in PAGES if key in (args.page or PAGES)]
    if args.visitors < 1 or args.writers < 1:
        parser.error("--visitors and --writers must be at least 1")
    bad_name = not _DATABASE_NAME.match(args.pg_database)
    if bad_name or args.pg_database == "test" or args.pg_database.startswith("bench_seed_"):
        parser.error("--pg-database must be a plain name other than 'test' and bench_seed_*")
    return args


# Set-up -----------------------------------------------------------------------------------------


def postgres_version(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar()
    engine.dispose()
    return f"PostgreSQL {str(version).split()[0]} on the same machine"


def server_env(instance: Path, secret: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETWORK_")}
    env.update(NETWORK_INSTANCE_PATH=str(instance), NETWORK_SECRET_KEY=secret, PYTHONUNBUFFERED="1")
    return env


def code_version() -> str:
    """The commit measured, and whether the app's code differed from it when the run began."""
    git = shutil.which("git")
    if git is None:
        return ""
    run = partial(
        subprocess.run, cwd=servers.PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    head = run([git, "rev-parse", "--short", "HEAD"]).stdout.strip()
    changed = run(
        [git, "status", "--porcelain", "--", "network", "templates", "migrations", "wsgi.py"]
    ).stdout
    if not head:
        return ""
    return f"commit {head}" + (" with uncommitted changes to the app" if changed.strip() else "")


def recent_posts(url: str, window: int, hot_post_id: int) -> list[int]:
    """The newest `window` visible posts but the measured one: where the comments go."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.scalars(
            select(Post.id)
            .where(Post.state == "visible", Post.id != hot_post_id)
            .order_by(Post.id.desc())
            .limit(window)
        ).all()
    engine.dispose()
    return list(found)


# Pages ------------------------------------------------------------------------------------------


def headers() -> dict[str, str]:
    return {"User-Agent": visitors.USER_AGENT}


def check_page(key: str, html: str) -> None:
    """Say so when a page is not the one meant (a template change may move the markers)."""
    if key == "feed" and html.count("post-card") < 20:
        say("  warning: the home feed shows fewer than 20 post cards")
    if key == "post" and len(_COMMENT.findall(html)) != 50:
        say(f"  warning: the post page shows {len(_COMMENT.findall(html))} comments, not 50")


def save_pages(base: str, paths: dict[str, str], cookie: str, folder: Path) -> dict[str, int]:
    """Fetch each page once as the viewer (the front page anonymously), keep it for the floor."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for key, path in paths.items():
        sent = headers() | ({"Cookie": cookie} if key != "front" else {})
        answer = requests.get(base + path, headers=sent, allow_redirects=False, timeout=60)
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}, not 200")
        check_page(key, answer.text)
        (folder / f"{key}.html").write_bytes(answer.content)
        sizes[key] = len(answer.content)
    return sizes


def check_cookies(base: str, cookies: list[str]) -> None:
    """Every member's cookie opens their home feed (200, not a redirect to sign in)."""

    def status(cookie: str) -> int:
        sent = headers() | {"Cookie": cookie}
        return requests.get(
            base + "/feed", headers=sent, allow_redirects=False, timeout=120
        ).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(status, cookies))
    bad = [s for s in statuses if s != 200]
    if bad:
        raise RuntimeError(
            f"{len(bad)} of {len(cookies)} session cookies do not open /feed: {bad[:5]}"
        )


def measure_row(
    key: str,
    path: str,
    rate: float,
    app: servers.Server,
    floor: servers.Server,
    cookies: list[str],
    community: tuple[list[str], list[int]],
    size: int,
    load: wrk.Load,
) -> report.Row:
    """The floor, then the app under rotation with comments written at `rate` a second."""
    load_average = os.getloadavg()[0]
    floor_run = wrk.run(f"{floor.url}/{key}", load, headers())
    before = fragment_hits.read(app.url)
    tokens, post_ids = community
    with writes.Writer(app.url, tokens, post_ids, rate) as writer:
        app_run = wrk.run(app.url + path, load, headers(), cookies if key != "front" else None)
    after = fragment_hits.read(app.url)
    # Members' pages differ in length (their feeds differ); a redirect or an error page is
    # far shorter than any of them.
    least = 0.5 * size
    for name, run in (("floor", floor_run), ("app", app_run)):
        if run.failed or (run.requests and run.bytes_per_request < least):
            raise RuntimeError(
                f"{name} {key}: {run.failed} answers not 200, "
                f"{run.bytes_per_request:.0f} bytes per answer (page: {size})"
            )
    hits = fragment_hits.between(before, after)
    row = report.Row(key, path, size, app_run, floor_run, writer.written, hits, load_average)
    say(
        f"  {key:<5} {rate:g} w/s ({writer.written.made} made)  app {app_run.rps:6.0f} req/s "
        f"p50 {app_run.p50_ms:7.1f} ms p99 {app_run.p99_ms:7.1f} | floor {floor_run.rps:6.0f} "
        f"req/s | {row.share:6.1%} | hits {fragment_hits.label(hits)} | load {load_average:.2f}"
    )
    return row


# One size on one database -----------------------------------------------------------------------


def run_size(
    backend: str, posts: int, args: argparse.Namespace, work: Path, load: wrk.Load
) -> report.Run:
    say(f"\n== {backend}, {posts:,} posts")
    instance = work / f"{backend}-{posts}"
    instance.mkdir()
    secret = secrets.token_urlsafe(48)
    env = server_env(instance, secret)
    shape = seed_data.Shape(
        members=args.members,
        posts=posts,
        comments=round(posts * args.comments_per_post),
        follows_each=args.follows,
    )
    if backend == "postgresql":
        url, facts = seed_cache.postgres_database(args.postgres, args.pg_database, env, shape, say)
    else:
        url, facts = seed_cache.sqlite_database(instance, env, shape, say)
    env["NETWORK_DATABASE_URL"] = url
    seed_cache.migrate(env)  # a no-op unless the schema moved on since the copy was keyed
    for sql in args.schema_experiment:
        say(f"schema experiment: {sql}")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql(sql)
        engine.dispose()

    local = create_app(seed_cache.local_config(url, secret, instance))
    logging.getLogger("network").setLevel(logging.WARNING)  # a line per sign-in is noise here
    chosen = visitors.choose_members(
        shape.members, args.visitors + args.writers, shape.employees_every
    )
    viewers, writer_ids = chosen[: args.visitors], chosen[args.visitors :]
    started = time.monotonic()
    cookies = [
        visitors.sign_in(local, seed_data.email_of(member_id), facts.password)
        for member_id in viewers
    ]
    tokens = visitors.api_tokens(local, writer_ids)
    spent = time.monotonic() - started
    say(f"{len(cookies)} members signed in, {len(tokens)} API tokens ({spent:.0f} s)")
    post_ids = recent_posts(url, args.write_window, facts.hot_post_id)
    paths = {
        "feed": "/feed",
        "post": f"/posts/{facts.hot_post_id}",
        "front": "/",
    }
    paths = {key: paths[key] for key in args.page}

    say("profiling in-process")
    client = diagnostics.signed_in_client(
        local, facts.viewer_email, facts.password, visitors.USER_AGENT
    )
    profiles = [
        diagnostics.profile_page(
            local, client if key != "front" else local.test_client(), key, path
        )
        for key, path in paths.items()
    ]
    with local.app_context():
        db.session.remove()
        db.engine.dispose()

    say("serving and measuring")
    app_server = servers.start("wsgi:app", env, instance / "app.log")
    floor_server = None
    try:
        check_cookies(app_server.url, cookies)
        sizes = save_pages(app_server.url, paths, cookies[0], instance / "pages")
        floor_env = env | {"BENCH_FLOOR_PAGES": str(instance / "pages")}
        floor_server = servers.start(
            "floor_app:app", floor_env, instance / "floor.log", cwd=Path(__file__).parent
        )
        rows = [
            measure_row(
                key,
                path,
                rate,
                app_server,
                floor_server,
                cookies,
                (tokens, post_ids),
                sizes[key],
                load,
            )
            for rate in args.writes
            for key, path in paths.items()
        ]
    finally:
        app_server.stop()
        if floor_server is not None:
            floor_server.stop()
        if backend == "postgresql" and not args.keep:
            seed_cache.drop_postgres(args.postgres, args.pg_database)
    return report.Run(backend, shape, facts, len(cookies), rows, profiles)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    wrk.wrk_path()  # fail early, with the install hint
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        say(f"Note: the load average is {load_before:.2f}; other work skews the numbers.")
    load = wrk.Load(seconds=args.seconds)
    backends = ([] if args.no_sqlite else ["sqlite"]) + (
        ["postgresql"] if args.postgres and not args.no_postgres else []
    )
    if not backends:
        raise SystemExit("nothing to measure: --no-sqlite without --postgres")
    work = Path(tempfile.mkdtemp(prefix="bench-feed-"))
    command = shlex.join(["benchmarks/bench_feed.py", *argv])
    code = code_version()
    planned = [(backend, posts) for backend in backends for posts in args.posts]
    runs: list[report.Run] = []

    def write_report() -> tuple[str, Path, float]:
        """The report of what is measured so far (rewritten after each part, so a run that
        stops early still leaves its figures)."""
        seconds = time.monotonic() - started
        context = report.Context(
            command=command,
            code=code,
            seconds=seconds,
            load=load,
            load_before=load_before,
            load_after=os.getloadavg()[0],
            writers=args.writers,
            write_window=args.write_window,
            servers=[postgres_version(args.postgres)] if "postgresql" in backends else [],
            experiments=args.schema_experiment,
            pending=failed
            + [
                f"{report.BACKEND_NAMES[backend]} {report.posts_label(posts)}"
                for backend, posts in planned[len(runs) + len(failed) :]
            ],
        )
        text = report.markdown(runs, context)
        path = report.save(backends, args.posts, text, experiment=bool(args.schema_experiment))
        return text, path, seconds

    failed: list[str] = []
    try:
        for number, (backend, posts) in enumerate(planned, start=1):
            try:
                runs.append(run_size(backend, posts, args, work, load))
            except Exception as error:  # the other parts still run, and the report says so
                traceback.print_exc()
                failed.append(f"{backend} {report.posts_label(posts)}: {error}")
            if number < len(planned) and runs:
                write_report()
    finally:
        if args.keep:
            say(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if not runs:
        say("Nothing was measured.")
        return 1
    text, path, seconds = write_report()
    say("\n" + text)
    say(f"Written to {path.relative_to(servers.PROJECT_ROOT)}")
    say(f"The whole run took {seconds / 60:.1f} minutes.")
    return 1 if failed or any(verdict == "FAIL" for _, verdict in report.checks(runs)) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
