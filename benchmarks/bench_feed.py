"""The feed benchmark (not in `make test`): a big community served by gunicorn, against a floor.

    make bench-feed     # 100k posts on SQLite, and PostgreSQL if NETWORK_TEST_DATABASE_URL is set
    make bench-feed-1m  # 100k and 1M posts in one run, and the latency-growth check
    .venv/bin/python benchmarks/bench_feed.py [--posts N]... [--postgres URL] [--no-sqlite]

For each database and size: a fresh database migrated with `flask db upgrade`,
bulk-seeded (seed_data.py), profiled in-process (diagnostics.py), then served
by gunicorn and measured with wrk next to the floor (floor_app.py) under the
same settings in the same run. The report goes to stdout and to
benchmarks/results/<date>-<db>.md. Exit status 1 when a target fails.
PostgreSQL runs in its own database (`bench` unless --pg-database), created
and dropped here; never the `test` database the test suite owns.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import corpus
import diagnostics
import report
import requests
import seed_data
import servers
import wrk
from sqlalchemy import create_engine, make_url

from network import create_app
from network.extensions import db

USER_AGENT = "feed-benchmark"  # the same for sign-in and wrk, so the session stays as signed in
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


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
        "--postgres",
        default=os.environ.get("NETWORK_TEST_DATABASE_URL"),
        help="a PostgreSQL server URL (default: NETWORK_TEST_DATABASE_URL); its database is "
        "not used: the benchmark creates --pg-database on that server",
    )
    parser.add_argument("--pg-database", default="bench")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--keep", action="store_true", help="keep the databases and server logs")
    parser.add_argument(
        "--schema-experiment",
        metavar="SQL",
        action="append",
        default=[],
        help="SQL run after seeding, to try a schema change (an index) before writing its "
        "migration; the report says so",
    )
    args = parser.parse_args(argv)
    args.posts = sorted(set(args.posts or [100_000]))
    if not _DATABASE_NAME.match(args.pg_database) or args.pg_database == "test":
        parser.error("--pg-database must be a plain name other than 'test' (the tests own it)")
    return args


# Databases --------------------------------------------------------------------------------------


def fresh_postgres(server_url: str, name: str) -> str:
    """Drop and create the benchmark's own database on that server; returns its URL."""
    url = make_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_postgres(server_url: str, name: str) -> None:
    admin = create_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def postgres_version(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar()
    engine.dispose()
    return f"PostgreSQL {str(version).split()[0]} on the same machine"


def server_env(instance: Path, url: str, secret: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETWORK_")}
    env.update(
        NETWORK_INSTANCE_PATH=str(instance),
        NETWORK_DATABASE_URL=url,
        NETWORK_SECRET_KEY=secret,
        PYTHONUNBUFFERED="1",
    )
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
    changed = run([git, "status", "--porcelain", "--", "network", "templates", "wsgi.py"]).stdout
    if not head:
        return ""
    return f"commit {head}" + (" with uncommitted changes to the app" if changed.strip() else "")


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [str(servers.BIN / "flask"), "--app", "network", "db", "upgrade"],
        cwd=servers.PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


# Pages ------------------------------------------------------------------------------------------


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the real form; returns the Cookie header that carries the session."""
    browser = requests.Session()
    browser.headers["User-Agent"] = USER_AGENT
    token = _CSRF.search(browser.get(base + "/signin", timeout=30).text)
    assert token, "no CSRF token on the sign-in page"
    answer = browser.post(
        base + "/signin",
        data={"login": email, "password": password, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in failed with {answer.status_code}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in browser.cookies)


def headers(cookie: str | None) -> dict[str, str]:
    return {"User-Agent": USER_AGENT} | ({"Cookie": cookie} if cookie else {})


def save_pages(base: str, pages: list[tuple[str, str, str | None]], folder: Path) -> dict[str, int]:
    """Fetch each page once, check it is the page meant, and keep it for the floor."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for key, path, cookie in pages:
        answer = requests.get(
            base + path, headers=headers(cookie), allow_redirects=False, timeout=60
        )
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}, not 200")
        html = answer.text
        if key == "feed" and html.count('class="card post-card') < 20:
            raise RuntimeError("the home feed shows fewer than 20 posts")
        if key == "post" and html.count('<li class="comment"') != 50:
            raise RuntimeError("the post page does not show 50 comments")
        (folder / f"{key}.html").write_bytes(answer.content)
        sizes[key] = len(answer.content)
    return sizes


def measure(
    app: servers.Server,
    floor: servers.Server,
    pages: list[tuple[str, str, str | None]],
    sizes: dict[str, int],
    load: wrk.Load,
) -> list[report.PageResult]:
    results = []
    for key, path, cookie in pages:
        floor_run = wrk.run(f"{floor.url}/{key}", load, headers(None))
        app_run = wrk.run(app.url + path, load, headers(cookie))
        for name, run in (("floor", floor_run), ("app", app_run)):
            if run.failed or (run.requests and run.bytes_per_request < 0.9 * sizes[key]):
                raise RuntimeError(
                    f"{name} {key}: {run.failed} failed answers, "
                    f"{run.bytes_per_request:.0f} bytes per answer (page: {sizes[key]})"
                )
        say(
            f"  {key:<5} app {app_run.rps:7.0f} req/s p50 {app_run.p50_ms:6.1f} ms"
            f" | floor {floor_run.rps:7.0f} req/s p50 {floor_run.p50_ms:6.1f} ms"
            f" | {app_run.rps / floor_run.rps:.0%}"
        )
        results.append(report.PageResult(key, path, sizes[key], app_run, floor_run))
    return results


def measure_rendered(
    app: servers.Server,
    floor: servers.Server,
    pages: list[tuple[str, str, str | None]],
    sizes: dict[str, int],
    kept: list[report.PageResult],
    load: wrk.Load,
) -> list[report.PageResult]:
    """The feed and post page from a server that keeps no pages, against the same floors."""
    floors = {result.key: result.floor for result in kept}
    results = []
    for key, path, cookie in pages:
        if key == "front":
            continue
        run = wrk.run(app.url + path, load, headers(cookie))
        if run.failed or (run.requests and run.bytes_per_request < 0.9 * sizes[key]):
            raise RuntimeError(f"rendered {key}: {run.failed} failed answers")
        say(f"  {key:<5} rendered every time {run.rps:7.0f} req/s p50 {run.p50_ms:6.1f} ms")
        results.append(report.PageResult(f"{key}-rendered", path, sizes[key], run, floors[key]))
    return results


# One size on one database -----------------------------------------------------------------------


def run_size(
    backend: str, posts: int, args: argparse.Namespace, work: Path, load: wrk.Load
) -> report.Run:
    say(f"\n== {backend}, {posts:,} posts")
    instance = work / f"{backend}-{posts}"
    instance.mkdir()
    if backend == "postgresql":
        url = fresh_postgres(args.postgres, args.pg_database)
    else:
        url = f"sqlite:///{instance / 'network.sqlite'}"
    secret = secrets.token_urlsafe(48)
    env = server_env(instance, url, secret)
    migrate(env)
    password = secrets.token_urlsafe(16)
    shape = seed_data.Shape(
        members=args.members,
        posts=posts,
        comments=round(posts * args.comments_per_post),
        follows_each=args.follows,
    )
    # In-process profiles show what rendering costs: with kept pages (network/page_cache)
    # every request after the first would be served from the store.
    local = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": secret,
            "INSTANCE_PATH": str(instance),
            "PAGE_CACHE_MB": 0,
        }
    )
    texts = corpus.make_texts(local, password)
    engine = create_engine(url)
    say("seeding")
    seeded = seed_data.seed(engine, shape, texts, say)
    for sql in args.schema_experiment:
        say(f"schema experiment: {sql}")
        with engine.begin() as connection:
            connection.exec_driver_sql(sql)
    engine.dispose()
    say(f"seeded in {seeded.seconds:.0f} s: {seeded.counts}")

    pages = [
        ("feed", "/feed", "signed in"),
        ("front", "/", None),
        ("post", f"/posts/{seeded.hot_post_id}", "signed in"),
    ]
    say("profiling in-process")
    client = diagnostics.signed_in_client(local, seeded.viewer_email, password, USER_AGENT)
    profiles = []
    for key, path, cookie in pages:
        browser = client if cookie else local.test_client()
        profiles.append(diagnostics.profile_page(local, browser, key, path))
    with local.app_context():
        db.engine.dispose()

    say("serving and measuring")
    app_server = servers.start("wsgi:app", env, instance / "app.log")
    floor_server = None
    try:
        cookie = sign_in(app_server.url, seeded.viewer_email, password)
        pages = [(key, path, cookie if who else None) for key, path, who in pages]
        sizes = save_pages(app_server.url, pages, instance / "pages")
        floor_env = env | {"BENCH_FLOOR_PAGES": str(instance / "pages")}
        floor_server = servers.start(
            "floor_app:app", floor_env, instance / "floor.log", cwd=Path(__file__).parent
        )
        results = measure(app_server, floor_server, pages, sizes, load)
        app_server.stop()
        # The same pages with the page cache off: what a request costs when nothing is
        # kept (the first look after a write), beside the same floor; no target.
        cold_server = servers.start(
            "wsgi:app", env | {"NETWORK_PAGE_CACHE_MB": "0"}, instance / "app-rendered.log"
        )
        try:
            results += measure_rendered(cold_server, floor_server, pages, sizes, results, load)
        finally:
            cold_server.stop()
    finally:
        app_server.stop()
        if floor_server is not None:
            floor_server.stop()
    return report.Run(backend, shape, seeded, results, profiles)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    wrk.wrk_path()  # fail early, with the install hint
    started = time.monotonic()
    busy = os.getloadavg()[0]
    if busy > 0.5:
        say(f"Note: the load average is {busy:.2f}; other work on the machine skews the numbers.")
    load = wrk.Load(seconds=args.seconds)
    backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    if not backends:
        raise SystemExit("nothing to measure: --no-sqlite without --postgres")
    work = Path(tempfile.mkdtemp(prefix="bench-feed-"))
    command = shlex.join([".venv/bin/python", "benchmarks/bench_feed.py", *argv])
    code = code_version()
    failed = False
    try:
        for backend in backends:
            runs = [run_size(backend, posts, args, work, load) for posts in args.posts]
            server = f"load average {busy:.2f} when the run started" + (
                f"; {postgres_version(args.postgres)}" if backend == "postgresql" else ""
            )
            seconds = time.monotonic() - started
            text = report.markdown(
                backend, runs, load, command, seconds, server, args.schema_experiment, code
            )
            path = report.save(backend, runs, text, experiment=bool(args.schema_experiment))
            say("\n" + text)
            say(f"Written to {path.relative_to(servers.PROJECT_ROOT)}")
            failed |= any(verdict == "FAIL" for _, verdict in report.checks(runs))
    finally:
        if args.keep:
            say(f"Kept {work}" + (f" and the database {args.pg_database}" if args.postgres else ""))
        else:
            shutil.rmtree(work, ignore_errors=True)
            if args.postgres:
                drop_postgres(args.postgres, args.pg_database)
    say(f"The whole run took {(time.monotonic() - started) / 60:.1f} minutes.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
