"""Background writes during a measurement: comments POSTed to the app's JSON API at a set rate.

Through the app itself, as a member's client would: `POST /api/v1/posts/<id>/comments`
with a personal API token (tests/integration/test_api_comments.py), on a random
post of a given list, at `rate` a second on a fixed schedule. Each POST runs in
a small pool of threads, so a slow answer does not delay the next one.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

WORDS = ("grind", "dose", "ratio", "crema", "shot", "milk", "foam", "timer", "beans", "steam")


@dataclass
class Written:
    """What one row's writer did."""

    rate: float  # comments a second asked for
    seconds: float = 0.0
    made: int = 0  # answered 201
    refused: dict[int, int] = field(default_factory=dict)  # status (0: no answer) -> count
    post_ms: list[float] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.made + sum(self.refused.values())

    @property
    def per_second(self) -> float:
        return self.made / self.seconds if self.seconds else 0.0

    @property
    def post_p50_ms(self) -> float:
        return statistics.median(self.post_ms) if self.post_ms else float("nan")


class Writer:
    """Comments at `rate` a second from the given members' tokens until stopped."""

    def __init__(
        self, base: str, tokens: list[str], post_ids: list[int], rate: float, seed: int = 19
    ) -> None:
        self.base = base
        self.tokens = tokens
        self.post_ids = post_ids
        self.written = Written(rate)
        self._rng = random.Random(seed)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._schedule, daemon=True)
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="writer")
        self._local = threading.local()

    def __enter__(self) -> Writer:
        self._started = time.monotonic()
        if self.written.rate > 0:
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._pool.shutdown(wait=True)
        self.written.seconds = time.monotonic() - self._started

    def _schedule(self) -> None:
        gap = 1.0 / self.written.rate
        due = self._started + gap / 2
        number = 0
        while not self._stop.is_set():
            wait = due - time.monotonic()
            if wait > 0 and self._stop.wait(wait):
                break
            token = self.tokens[number % len(self.tokens)]
            post_id = self._rng.choice(self.post_ids)
            body = " ".join(self._rng.choices(WORDS, k=8)).capitalize() + f" ({number})."
            self._pool.submit(self._post, token, post_id, body)
            number += 1
            due += gap

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _post(self, token: str, post_id: int, body: str) -> None:
        started = time.perf_counter()
        try:
            answer = self._session().post(
                f"{self.base}/api/v1/posts/{post_id}/comments",
                json={"body": body},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            status = answer.status_code
        except requests.RequestException:
            status = 0
        spent = (time.perf_counter() - started) * 1000
        with self._lock:
            if status == 201:
                self.written.made += 1
                self.written.post_ms.append(spent)
            else:
                self.written.refused[status] = self.written.refused.get(status, 0) + 1
