"""The feed benchmark's report: the Markdown tables, the targets' verdicts, the results file."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import fragment_hits
from diagnostics import PageProfile
from seed_cache import Facts
from seed_data import Shape
from servers import THREADS
from writes import Written
from wrk import Load, Measured

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_RATE = 1.0  # the targets are read at one comment a second
TARGETS = {"feed": 0.25, "post": 0.30}  # share of the floor's requests/second (issue 19)
GROWTH_LIMIT = 1.2  # feed p50 at 1M posts / at 100k posts
PLAN_FROM_MS = 1.0  # show the plan of a page's slowest statement when it takes this long
PAGE_NAMES = {
    "feed": "home feed (signed in)",
    "post": "post with 50 comments (signed in)",
    "front": "front page (anonymous)",
}
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Row:
    """One page at one write rate: the app under rotation and writes, its floor just before."""

    key: str
    path: str
    size: int  # bytes of the page the floor copies
    app: Measured
    floor: Measured
    written: Written
    hits: fragment_hits.HitRate | None
    load_average: float  # one-minute load average as the row began

    @property
    def rate(self) -> float:
        return self.written.rate

    @property
    def share(self) -> float:
        return self.app.rps / self.floor.rps if self.floor.rps else 0.0


@dataclass
class Run:
    backend: str  # sqlite or postgresql
    shape: Shape
    facts: Facts
    visitors: int  # distinct signed-in members in rotation
    rows: list[Row] = field(default_factory=list)
    profiles: list[PageProfile] = field(default_factory=list)

    def row(self, key: str, rate: float) -> Row | None:
        return next((r for r in self.rows if r.key == key and r.rate == rate), None)

    def profile(self, key: str) -> PageProfile | None:
        return next((p for p in self.profiles if p.key == key), None)


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory_kb = int(line.split()[1])
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB RAM, "
        f"Linux {platform.release()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def _one_line(sql: str, keep: int = 600) -> str:
    """The statement on one line, its long column list cut (the plan is what matters)."""
    text = " ".join(sql.split())
    start = text.find(" FROM ")
    if text.startswith("SELECT ") and start > 60:
        text = text[:60] + " ..." + text[start:]
    return text if len(text) <= keep else text[:keep] + " ..."


def posts_label(posts: int) -> str:
    return f"{posts // 1_000_000}M" if posts % 1_000_000 == 0 else f"{posts // 1000}k"


def _rate_label(rate: float) -> str:
    return f"{rate:g}"


def _sizes(runs: list[Run], backend: str) -> tuple[Run, Run] | None:
    by_size = {run.shape.posts: run for run in runs if run.backend == backend}
    small, large = by_size.get(100_000), by_size.get(1_000_000)
    return None if small is None or large is None else (small, large)


def _share_check(run: Run, key: str) -> tuple[str, str]:
    where = f"{BACKEND_NAMES[run.backend]}, {posts_label(run.shape.posts)} posts"
    wanted = (
        f"at {_rate_label(TARGET_RATE)} write/s, {PAGE_NAMES[key]} >= {TARGETS[key]:.0%} "
        "of the floor"
    )
    row = run.row(key, TARGET_RATE)
    if row is None:
        return f"{wanted} ({where}): not measured", "not measured"
    verdict = "PASS" if row.share >= TARGETS[key] else "FAIL"
    return f"{wanted} ({where}): {row.share:.1%}", verdict


def checks(runs: list[Run]) -> list[tuple[str, str]]:
    """(description, PASS / FAIL / not measured) for each of issue 19's targets."""
    found = []
    for run in runs:
        found += [_share_check(run, key) for key in TARGETS]
    for backend in dict.fromkeys(run.backend for run in runs):
        name = BACKEND_NAMES[backend]
        pair = _sizes(runs, backend)
        if pair is None:
            why = "needs 100k and 1M posts in one run (make bench-feed-1m)"
            found.append(
                (f"{name}: feed p50 at 1M <= {GROWTH_LIMIT}x at 100k: {why}", "not measured")
            )
            found.append(
                (
                    f"{name}: the same number of queries per page at 100k and 1M: {why}",
                    "not measured",
                )
            )
            continue
        small, large = pair
        before, after = small.row("feed", TARGET_RATE), large.row("feed", TARGET_RATE)
        if before is None or after is None:
            found.append((f"{name}: feed p50 growth: no 1 write/s rows", "not measured"))
        else:
            ratio = after.app.p50_ms / before.app.p50_ms
            found.append(
                (
                    f"{name}: feed p50 at 1M <= {GROWTH_LIMIT}x at 100k (1 write/s): "
                    f"{_ms(after.app.p50_ms)} ms vs {_ms(before.app.p50_ms)} ms = {ratio:.2f}x",
                    "PASS" if ratio <= GROWTH_LIMIT else "FAIL",
                )
            )
        counts = []
        for key in PAGE_NAMES:
            one, other = small.profile(key), large.profile(key)
            if one is not None and other is not None:
                counts.append((key, one.statements, other.statements))
        same = all(a == b for _, a, b in counts) and bool(counts)
        listed = ", ".join(f"{key} {a} vs {b}" for key, a, b in counts)
        found.append(
            (
                f"{name}: the same number of queries per page at 100k and 1M: {listed}",
                "PASS" if same else "FAIL",
            )
        )
    return found


def headline(runs: list[Run]) -> list[str]:
    lines = [
        "| database | posts | page | writes/s (made) | req/s | p50 ms | p99 ms | floor req/s "
        "| share of floor | fragment hit rate | queries per page | target |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in runs:
        for row in run.rows:
            profile = run.profile(row.key)
            target = TARGETS.get(row.key) if row.rate == TARGET_RATE else None
            verdict = "-"
            if target is not None:
                verdict = f">= {target:.0%}: {'PASS' if row.share >= target else 'FAIL'}"
            lines.append(
                f"| {BACKEND_NAMES[run.backend]} | {posts_label(run.shape.posts)} "
                f"| {PAGE_NAMES[row.key]} | {_rate_label(row.rate)} ({row.written.made}) "
                f"| {row.app.rps:.0f} | {_ms(row.app.p50_ms)} | {_ms(row.app.p99_ms)} "
                f"| {row.floor.rps:.0f} | {row.share:.1%} | {fragment_hits.label(row.hits)} "
                f"| {profile.statements if profile else '-'} | {verdict} |"
            )
    return lines


def details(runs: list[Run]) -> list[str]:
    lines = [
        "| database | posts | page | writes/s | KiB | floor p50 ms | floor p99 ms | comments "
        "made / asked | comment POST p50 ms | refused | hits by kind | load average |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    for run in runs:
        for row in run.rows:
            refused = ", ".join(f"{n} x {s or 'no answer'}" for s, n in row.written.refused.items())
            kinds = "-"
            if row.hits is not None and row.hits.by_kind:
                kinds = (
                    ", ".join(
                        f"{kind} {hits / (hits + misses):.1%} of {hits + misses:.0f}"
                        for kind, (hits, misses) in sorted(row.hits.by_kind.items())
                        if hits + misses
                    )
                    or "none asked"
                )
            lines.append(
                f"| {BACKEND_NAMES[run.backend]} | {posts_label(run.shape.posts)} "
                f"| {PAGE_NAMES[row.key]} | {_rate_label(row.rate)} | {row.size / 1024:.0f} "
                f"| {_ms(row.floor.p50_ms)} | {_ms(row.floor.p99_ms)} "
                f"| {row.written.made} / {row.written.attempted} "
                f"| {_ms(row.written.post_p50_ms)} | {refused or '-'} | {kinds} "
                f"| {row.load_average:.2f} |"
            )
    return lines


def in_process(runs: list[Run]) -> list[str]:
    lines = [
        "| database | posts | page | queries per page | request ms (median) | CPU ms (least) "
        "| SQL ms (each re-run alone) | slowest statement ms |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for profile in run.profiles:
            slowest = f"{profile.slowest.ms:.2f}" if profile.slowest else "-"
            lines.append(
                f"| {BACKEND_NAMES[run.backend]} | {posts_label(run.shape.posts)} "
                f"| {PAGE_NAMES[profile.key]} | {profile.statements} | {profile.request_ms:.1f} "
                f"| {profile.cpu_ms:.1f} | {profile.sql_ms:.2f} | {slowest} |"
            )
    return lines


def plans(runs: list[Run]) -> list[str]:
    lines: list[str] = []
    for run in runs:
        for profile in run.profiles:
            if profile.slowest is None or profile.slowest.ms < PLAN_FROM_MS:
                continue
            lines += [
                "",
                f"Plan of the slowest statement of the {PAGE_NAMES[profile.key]}, "
                f"{BACKEND_NAMES[run.backend]} at {posts_label(run.shape.posts)} posts "
                f"({profile.slowest.ms:.2f} ms):",
                "",
                "```",
                _one_line(profile.slowest.sql),
                "",
                *profile.plan,
                "```",
            ]
    return lines


@dataclass
class Context:
    """How the run was made, for the report's opening lines."""

    command: str
    code: str
    seconds: float
    load: Load
    load_before: float
    load_after: float
    writers: int
    write_window: int
    servers: list[str] = field(default_factory=list)  # "PostgreSQL 15 on the same machine"
    experiments: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # parts not measured (yet)


def markdown(runs: list[Run], context: Context) -> str:
    shape = runs[0].shape
    seeded = "; ".join(
        f"{BACKEND_NAMES[run.backend]} {run.shape.posts:,} posts / "
        f"{run.facts.counts.get('comment', 0):,} comments "
        + (
            f"(a kept database, seeded in {run.facts.seconds:.0f} s when made)"
            if run.facts.reused
            else f"(seeded in {run.facts.seconds:.0f} s)"
        )
        for run in runs
    )
    load = context.load
    lines = [
        f"# Feed benchmark, {date.today().isoformat()}: a busy community",
        "",
        f"- Machine: {machine()}{''.join('; ' + s for s in context.servers)}",
        f"- Load average: {context.load_before:.2f} when the run began, {context.load_after:.2f} "
        "when it ended (one minute; each row's is in the details). Other work on the machine "
        "(other sessions' tests and builds) shares the two cores: compare a row with its own "
        "floor, measured just before it.",
        f"- Command: `{context.command}`{' on ' + context.code if context.code else ''}; the "
        f"whole run took {context.seconds / 60:.1f} minutes",
        f"- Data: {shape.members:,} members, each following {shape.follows_each}; {seeded}; "
        f"posts over the last year, {shape.public_share:.0%} public; one public post with "
        "exactly 50 comments",
        f"- Visitors: {runs[0].visitors} distinct members signed in through `POST /signin`, in "
        f"rotation: `wrk -t{load.threads} -c{load.connections} -d{load.seconds}s --latency` "
        "with a Lua script giving each request the next member's session cookie "
        "(benchmarks/wrk.py); the front page is anonymous",
        f"- Writes: 0, 1 or 5 comments a second during the app's run, POSTed to "
        f"`/api/v1/posts/<id>/comments` with {context.writers} members' API tokens, each on a "
        f"random post among the newest {context.write_window:,} (the ones feeds show), never the "
        "measured 50-comment post; 'made' counts the 201 answers",
        f"- Servers: gunicorn gthread, 1 worker, {THREADS} threads, --no-control-socket, for "
        "the app (wsgi:app, its default settings) and for the floor (benchmarks/floor_app.py: "
        "a bare Flask app rendering a Jinja loop as big as the measured page, no database). "
        "Interleaved: for each row the floor runs, then the app; rows go page by page for 0, "
        "then 1, then 5 writes a second, against one app process that stays up",
        "- Fragment hit rate: the change of `network_fragment_cache_requests_total` (hits / "
        "(hits + misses)) read from the app's /metrics around the app's run; n/a when the app "
        "exports no such counter",
        "- Queries per page: in-process, one request after warm-up requests, counted with "
        "SQLAlchemy's before_cursor_execute",
        *[
            f"- **Schema experiment**, not in the migrations: `{sql}`"
            for sql in context.experiments
        ],
        "",
        *headline(runs),
        "",
        "## Targets (issue 19)",
        "",
        *[f"- {verdict}: {description}" for description, verdict in checks(runs)],
        "",
        "## Details of each row",
        "",
        *details(runs),
        "",
        "## In-process, one request at a time (median of 20 requests, least CPU time)",
        "",
        *in_process(runs),
        *plans(runs),
    ]
    return "\n".join(lines) + "\n"


def save(backends: list[str], sizes: list[int], text: str, *, experiment: bool = False) -> Path:
    """Write results/<date>-feed-<databases>-<sizes>.md (the run's plan names the file)."""
    RESULTS.mkdir(exist_ok=True)
    labels = "-".join(posts_label(posts) for posts in sizes)
    stem = f"{date.today().isoformat()}-feed-{'-'.join(backends)}-{labels}"
    stem += "-experiment" if experiment else ""
    path = RESULTS / f"{stem}.md"
    path.write_text(text, encoding="utf-8")
    return path
