"""The benchmark's report: the Markdown table, the targets' verdicts, the results files."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from diagnostics import PageProfile
from seed_data import Seeded, Shape
from servers import THREADS
from wrk import Load, Measured

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"feed": 0.50, "post": 0.40}  # share of the floor's requests/second
GROWTH_LIMIT = 1.2  # feed p50 at 1M posts / at 100k posts
PLAN_FROM_MS = 1.0  # show the plan of a page's slowest statement when it takes this long
PAGE_NAMES = {
    "feed": "Home feed (signed in)",
    "front": "Front page (anonymous)",
    "post": "Post with 50 comments (signed in)",
    "feed-rendered": "Home feed, rendered every time (page cache off)",
    "post-rendered": "Post with 50 comments, rendered every time (page cache off)",
}


@dataclass
class PageResult:
    key: str
    path: str
    size: int  # bytes of the page
    app: Measured
    floor: Measured

    @property
    def share(self) -> float:
        return self.app.rps / self.floor.rps if self.floor.rps else 0.0

    @property
    def verdict(self) -> str:
        target = TARGETS.get(self.key)
        if target is None:
            return "(no target)"
        return "PASS" if self.share >= target else "FAIL"


@dataclass
class Run:
    backend: str  # sqlite or postgresql
    shape: Shape
    seeded: Seeded
    pages: list[PageResult] = field(default_factory=list)
    profiles: list[PageProfile] = field(default_factory=list)

    def page(self, key: str) -> PageResult:
        return next(page for page in self.pages if page.key == key)


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
    return "none answered" if math.isnan(value) else f"{value:.1f}"


def _one_line(sql: str, keep: int = 600) -> str:
    """The statement on one line, its long column list cut (the plan is what matters)."""
    text = " ".join(sql.split())
    start = text.find(" FROM ")
    if text.startswith("SELECT ") and start > 60:
        text = text[:60] + " ..." + text[start:]
    return text if len(text) <= keep else text[:keep] + " ..."


def _posts_label(posts: int) -> str:
    return f"{posts // 1_000_000}M" if posts % 1_000_000 == 0 else f"{posts // 1000}k"


def growth(runs: list[Run]) -> tuple[Run, Run] | None:
    """The 100k and 1M runs, when both were measured."""
    by_size = {run.shape.posts: run for run in runs}
    small, large = by_size.get(100_000), by_size.get(1_000_000)
    return None if small is None or large is None else (small, large)


def _in_process_feed_ms(run: Run) -> float:
    return next((p.request_ms for p in run.profiles if p.key == "feed"), math.nan)


def checks(runs: list[Run]) -> list[tuple[str, str]]:
    """(description, PASS/FAIL/not measured) for each target."""
    found = []
    for run in runs:
        label = f"{_posts_label(run.shape.posts)} posts"
        for page in run.pages:
            if page.key in TARGETS:
                found.append(
                    (
                        f"{PAGE_NAMES[page.key]} >= {TARGETS[page.key]:.0%} of the floor's "
                        f"requests/second ({label}): {page.share:.0%}",
                        page.verdict,
                    )
                )
    grown = growth(runs)
    if grown is None:
        found.append(
            (
                f"Feed latency at 1M posts <= {GROWTH_LIMIT}x the latency at 100k: "
                "needs both sizes in one run (make bench-feed-1m)",
                "not measured",
            )
        )
    else:
        small, large = grown
        before, after = small.page("feed").app.p50_ms, large.page("feed").app.p50_ms
        ratio = after / before  # NaN when no answer came back at 1M: that fails too
        measured = (
            f"p50 {_ms(after)} ms vs {_ms(before)} ms = {ratio:.2f}x"
            if not math.isnan(ratio)
            else "no answer came back within the wrk run at 1M"
        )
        found.append(
            (
                f"Feed latency at 1M posts <= {GROWTH_LIMIT}x the latency at 100k: {measured} "
                f"(in-process, one request at a time: {_in_process_feed_ms(large):.0f} ms vs "
                f"{_in_process_feed_ms(small):.0f} ms)",
                "PASS" if ratio <= GROWTH_LIMIT else "FAIL",
            )
        )
        if any(page.key == "feed-rendered" for page in large.pages):
            # Served pages are kept ones, whatever the database holds; this says how
            # a page rendered every time grows, beside the target (not part of it).
            cold = large.page("feed-rendered").app.p50_ms / small.page("feed-rendered").app.p50_ms
            found.append(
                (
                    "For information: the home feed rendered every time (page cache off), "
                    f"p50 at 1M posts {_ms(large.page('feed-rendered').app.p50_ms)} ms vs "
                    f"{_ms(small.page('feed-rendered').app.p50_ms)} ms at 100k = {cold:.2f}x",
                    "INFO",
                )
            )
    return found


def table(runs: list[Run]) -> list[str]:
    lines = [
        "| posts | page | KiB | req/s | p50 ms | p99 ms | floor req/s | floor p50 ms "
        "| floor p99 ms | share of floor | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in runs:
        for page in run.pages:
            target = TARGETS.get(page.key)
            lines.append(
                f"| {_posts_label(run.shape.posts)} | {PAGE_NAMES[page.key]} "
                f"| {page.size / 1024:.0f} | {page.app.rps:.0f} | {_ms(page.app.p50_ms)} "
                f"| {_ms(page.app.p99_ms)} | {page.floor.rps:.0f} | {_ms(page.floor.p50_ms)} "
                f"| {_ms(page.floor.p99_ms)} | {page.share:.0%} "
                f"| {f'>= {target:.0%}: ' + page.verdict if target else '-'} |"
            )
    return lines


def where_time_goes(runs: list[Run]) -> list[str]:
    lines = [
        "| posts | page | request ms | SQL statements | SQL ms (each re-run alone) "
        "| slowest statement ms |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for profile in run.profiles:
            slowest = f"{profile.slowest.ms:.2f}" if profile.slowest else "-"
            lines.append(
                f"| {_posts_label(run.shape.posts)} | {PAGE_NAMES[profile.key]} "
                f"| {profile.request_ms:.1f} | {profile.statements} | {profile.sql_ms:.2f} "
                f"| {slowest} |"
            )
    return lines


def markdown(
    backend: str,
    runs: list[Run],
    load: Load,
    command: str,
    seconds: float,
    server: str,
    experiments: list[str],
    code: str = "",
) -> str:
    first = runs[0]
    shape = first.shape
    sizes = ", ".join(
        f"{run.shape.posts:,} posts / {run.seeded.counts.get('comment', 0):,} comments "
        f"seeded in {run.seeded.seconds:.0f} s"
        for run in runs
    )
    lines = [
        f"# Feed benchmark, {date.today().isoformat()}, {backend}",
        "",
        f"- Machine: {machine()}{'; ' + server if server else ''}",
        f"- Command: `{command}`{' on ' + code if code else ''}; the whole run took "
        f"{seconds / 60:.1f} minutes",
        f"- Data: {shape.members:,} members, each following {shape.follows_each}; {sizes}; "
        "one conversation event per comment; posts over the last year, "
        f"{shape.public_share:.0%} public",
        f"- Load: `wrk -t{load.threads} -c{load.connections} -d{load.seconds}s --latency`, "
        "one run per cell; wrk and gunicorn share the machine's cores",
        f"- Servers: gunicorn gthread, 1 worker, {THREADS} threads, --no-control-socket, for "
        "the app (wsgi:app) and for the floor (benchmarks/floor_app.py: a bare Flask app "
        "rendering a Jinja loop as big as the measured page, no database), measured back to "
        "back in the same run",
        *[f"- **Schema experiment**, not in the app's migrations: `{sql}`" for sql in experiments],
        "",
        *table(runs),
        "",
        "## Targets",
        "",
        *[f"- {verdict}: {description}" for description, verdict in checks(runs)],
        "",
        "## Where the time goes (in-process, one request at a time: median of 20 requests)",
        "",
        *where_time_goes(runs),
    ]
    for run in runs:
        for profile in run.profiles:
            if profile.slowest is None or profile.slowest.ms < PLAN_FROM_MS:
                continue
            lines += [
                "",
                f"Plan of the slowest statement of the {PAGE_NAMES[profile.key].lower()} at "
                f"{_posts_label(run.shape.posts)} posts ({profile.slowest.ms:.2f} ms):",
                "",
                "```",
                _one_line(profile.slowest.sql),
                "",
                *profile.plan,
                "```",
            ]
    return "\n".join(lines) + "\n"


def save(backend: str, runs: list[Run], text: str, *, experiment: bool = False) -> Path:
    """Write results/<date>-<backend>.md (the sizes in the name when not just 100k)."""
    RESULTS.mkdir(exist_ok=True)
    sizes = "-".join(_posts_label(run.shape.posts) for run in runs)
    stem = f"{date.today().isoformat()}-{backend}" + ("" if sizes == "100k" else f"-{sizes}")
    stem += "-experiment" if experiment else ""
    path = RESULTS / f"{stem}.md"
    path.write_text(text, encoding="utf-8")
    return path
