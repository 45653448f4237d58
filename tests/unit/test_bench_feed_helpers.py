"""The feed benchmark's helpers (benchmarks/): cookie rotation, background writes, hit rates.

The benchmark itself is not part of `make test`; these check the pieces it is
built from, against real wrk and a real local HTTP server where they talk HTTP.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import fragment_hits
import visitors
import writes
import wrk

WRK_REPORT = """Running 1s test @ http://127.0.0.1:1/feed
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    40.00ms   10.00ms 100.00ms   70.00%
  Latency Distribution
     50%   38.50ms
     75%   45.00ms
     90%   60.00ms
     99%    1.20s
  250 requests in 1.00s, 12.50MB read
Requests/sec:    250.00
Transfer/sec:     12.50MB
"""


class _Recorder(BaseHTTPRequestHandler):
    """Answers 200 to a request with a cookie, 302 without; notes what came."""

    seen: list[tuple[str, str | None, str | None, bytes]]

    def _answer(self, body: bytes = b"") -> None:
        self.seen.append(
            (self.command, self.headers.get("Cookie"), self.headers.get("Authorization"), body)
        )
        status = 201 if self.command == "POST" else (200 if self.headers.get("Cookie") else 302)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def log_message(self, *_args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, *_args: object) -> None:
        pass  # wrk closes its connections mid-answer when its time is up


@pytest.fixture
def server() -> Iterator[tuple[str, list]]:
    seen: list = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_a_wrk_report_is_read_with_the_rotation_scripts_count_of_answers_not_200():
    measured = wrk.parse(WRK_REPORT + "BENCH_NOT_200 3\n")

    assert (measured.rps, measured.p50_ms, measured.p99_ms) == (250.0, 38.5, 1200.0)
    assert measured.requests == 250
    assert measured.failed == 3
    assert wrk.parse(WRK_REPORT).failed == 0


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_gives_each_request_the_next_members_cookie_and_counts_redirects(server):
    url, seen = server
    cookies = ["session=a; device=1", "session=b", "session=c", ""]  # "" is signed out

    measured = wrk.run(url + "/feed", wrk.Load(threads=2, connections=2, seconds=1), {}, cookies)

    sent = Counter(cookie for _method, cookie, _auth, _body in seen)
    assert set(sent) == {"session=a; device=1", "session=b", "session=c", ""}
    # Thread 1 of 2 sends cookies 1 and 3 in turn, thread 2 cookies 2 and 4 (threads differ
    # in speed, so only each thread's own pair is even): never one cookie over and over.
    assert abs(sent["session=a; device=1"] - sent["session=c"]) <= 2
    assert abs(sent["session=b"] - sent[""]) <= 2
    assert measured.failed >= sent[""] - 4  # the signed-out answers (302) are failures
    assert sent[""] > 10


def test_background_writes_post_comments_at_the_rate_with_the_members_tokens(server):
    url, seen = server

    with writes.Writer(url, ["token-a", "token-b"], [7, 8, 9], rate=10) as writer:
        time.sleep(1.0)

    posts = [entry for entry in seen if entry[0] == "POST"]
    assert 8 <= writer.written.made <= 11
    assert writer.written.made == len(posts)
    assert writer.written.attempted == writer.written.made
    assert {auth for _m, _c, auth, _b in posts} == {"Bearer token-a", "Bearer token-b"}
    assert all(json.loads(body)["body"] for _m, _c, _a, body in posts)


def test_no_writes_at_rate_zero(server):
    url, seen = server

    with writes.Writer(url, ["token-a"], [7], rate=0) as writer:
        time.sleep(0.2)

    assert (writer.written.made, seen) == (0, [])


METRICS = """# HELP network_fragment_cache_requests_total Fragment lookups.
# TYPE network_fragment_cache_requests_total counter
network_fragment_cache_requests_total{kind="post",result="hit"} %s
network_fragment_cache_requests_total{kind="post",result="miss"} %s
network_fragment_cache_requests_total{kind="comment",result="hit"} %s
network_fragment_cache_requests_created{kind="post",result="hit"} 1.7e9
"""


def test_the_hit_rate_is_the_share_of_hits_in_the_counters_change():
    before = fragment_hits.parse(METRICS % (10, 5, 0))
    after = fragment_hits.parse(METRICS % (40, 15, 20))

    rate = fragment_hits.between(before, after)

    assert (rate.hits, rate.misses) == (50.0, 10.0)
    assert rate.by_kind == {"post": (30.0, 10.0), "comment": (20.0, 0.0)}
    assert fragment_hits.label(rate) == "83.3%"


def test_without_the_counter_the_hit_rate_is_not_available():
    other = "# TYPE network_http_requests_total counter\nnetwork_http_requests_total 3\n"

    assert fragment_hits.parse(other) is None
    assert fragment_hits.between(None, None) is None
    assert fragment_hits.label(None) == "n/a"
    same = fragment_hits.parse(METRICS % (1, 1, 1))
    assert fragment_hits.label(fragment_hits.between(same, same)) == "n/a"  # nothing asked


def test_the_cookie_header_is_what_a_browser_sends_after_the_answers():
    header = visitors.cookie_header(
        [
            "session=first; HttpOnly; Path=/",
            "session=second; HttpOnly; Path=/",
            "device=d1; Max-Age=31536000; Path=/",
            "gone=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
        ]
    )

    assert header == "session=second; device=d1"


def test_the_visitors_are_distinct_ordinary_members():
    chosen = visitors.choose_members(1000, 250, staff_every=100)

    assert len(set(chosen)) == 250
    assert 1 not in chosen
    assert all(member_id % 100 for member_id in chosen)
    assert chosen == visitors.choose_members(1000, 250, staff_every=100)
    with pytest.raises(ValueError):
        visitors.choose_members(10, 250, staff_every=100)
