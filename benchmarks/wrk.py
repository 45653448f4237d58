"""Running wrk and reading its report: requests per second and latency percentiles.

With `cookies`, a Lua script gives every request the next member's Cookie header
in turn (thread t of T sends cookies t, t + T, t + 2T, ...), so a run is many
members in rotation rather than one visitor asking again; it also counts answers
other than 200 (a signed-out cookie would be redirected, which wrk itself counts
as a success).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "wrk is missing: apt-get install -y wrk (make bench-feed installs it)"
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s+(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_BYTES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
_NOT_200 = re.compile(r"^BENCH_NOT_200 (\d+)$", re.MULTILINE)
ROTATION = """
local cookies = %(cookies)s
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  nth = offset
  step = %(threads)d
  not_200 = 0
end

function request()
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Cookie"] = cookies[(nth %% #cookies) + 1]
  nth = nth + step
  return wrk.format(nil, nil, headers)
end

function response(status, headers, body)
  if status ~= 200 then not_200 = not_200 + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_200") end
  io.write(string.format("BENCH_NOT_200 %%d\\n", total))
end
"""


@dataclass(frozen=True)
class Load:
    threads: int = 2
    connections: int = 16
    seconds: int = 10
    timeout: int = 30


@dataclass(frozen=True)
class Measured:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    failed: int  # non-2xx/3xx answers and socket errors: a run with any is not a measurement
    bytes_per_request: float  # headers included; tells a page from a redirect


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(INSTALL_HINT)
    return path


def rotation_script(cookies: list[str], threads: int) -> str:
    """The Lua script that sends each request with the next cookie (JSON strings are Lua ones)."""
    listed = ", ".join(json.dumps(cookie) for cookie in cookies)
    return ROTATION % {"cookies": "{" + listed + "}", "threads": threads}


def run(
    url: str,
    load: Load,
    headers: dict[str, str] | None = None,
    cookies: list[str] | None = None,
) -> Measured:
    """One wrk run; with `cookies`, each request carries the next one in rotation."""
    command = [
        wrk_path(),
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.seconds}s",
        f"--timeout={load.timeout}s",  # a slow answer is a latency to report, not an error
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.TemporaryDirectory(prefix="wrk-") as folder:
        if cookies:
            script = Path(folder) / "rotation.lua"
            script.write_text(rotation_script(cookies, load.threads))
            command += ["--script", str(script)]
        result = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=load.seconds + 60
        )
    if cookies and not _NOT_200.search(result.stdout):
        # wrk runs on without a script it could not load: that would be one visitor, unsigned
        raise RuntimeError(f"wrk did not run the rotation script:\n{result.stderr}")
    return parse(result.stdout)


def parse(report: str) -> Measured:
    """Read wrk's --latency report."""
    rps = _RPS.search(report)
    total = _TOTAL.search(report)
    if not rps or not total:
        raise ValueError(f"not a wrk report:\n{report}")
    failed = int(m.group(1)) if (m := _NON_2XX.search(report)) else 0
    if errors := _ERRORS.search(report):
        failed += sum(int(value) for value in errors.groups())
    if not_200 := _NOT_200.search(report):  # the rotation script's count (redirects too)
        failed = max(failed, int(not_200.group(1)))
    requests = int(total.group(1))
    read = float(total.group(2)) * _BYTES[total.group(3)]
    none = float("nan")  # no answer came back within the run: no latency to speak of
    return Measured(
        rps=float(rps.group(1)),
        p50_ms=_percentile(report, "50%") if requests else none,
        p99_ms=_percentile(report, "99%") if requests else none,
        requests=requests,
        failed=failed,
        bytes_per_request=read / requests if requests else 0.0,
    )


def _percentile(report: str, which: str) -> float:
    found = re.search(rf"^\s+{re.escape(which)}\s+([\d.]+)(us|ms|s|m)\s*$", report, re.MULTILINE)
    if not found:
        raise ValueError(f"no {which} latency in the wrk report:\n{report}")
    return float(found.group(1)) * _UNITS[found.group(2)]
