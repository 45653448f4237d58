"""The fragment cache's hit rate over a measurement, from the app's own /metrics counters.

`network_fragment_cache_requests_total{kind, result}` (result "hit" or "miss") is
read before and after a row; the row's hit rate is the hits' share of the
difference. /metrics answers only addresses in NETWORK_METRICS_FROM (127.0.0.1 by
default, which is where the benchmark asks from). When the app has no such
counter, the rate is None and the report says "n/a".
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from prometheus_client.parser import text_string_to_metric_families

SAMPLE = "network_fragment_cache_requests_total"

Counts = dict[tuple[str, str], float]  # (kind, result) -> requests so far


def parse(text: str) -> Counts | None:
    """The counter's samples in a /metrics answer; None when the app exports no such counter."""
    found: Counts | None = None
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name != SAMPLE:
                continue
            found = {} if found is None else found
            key = (sample.labels.get("kind", ""), sample.labels.get("result", ""))
            found[key] = found.get(key, 0.0) + sample.value
    return found


def read(base: str) -> Counts | None:
    try:
        answer = requests.get(base + "/metrics", timeout=10)
    except requests.RequestException:
        return None
    if answer.status_code != 200:
        return None
    return parse(answer.text)


@dataclass(frozen=True)
class HitRate:
    hits: float
    misses: float
    by_kind: dict[str, tuple[float, float]]  # kind -> (hits, misses)

    @property
    def rate(self) -> float | None:
        total = self.hits + self.misses
        return self.hits / total if total else None


def between(before: Counts | None, after: Counts | None) -> HitRate | None:
    """The hits and misses counted from `before` to `after` (None when either has no counter)."""
    if before is None or after is None:
        return None
    by_kind: dict[str, tuple[float, float]] = {}
    for (kind, result), value in after.items():
        grown = value - before.get((kind, result), 0.0)
        hits, misses = by_kind.get(kind, (0.0, 0.0))
        if result == "hit":
            hits += grown
        elif result == "miss":
            misses += grown
        by_kind[kind] = (hits, misses)
    return HitRate(
        hits=sum(hits for hits, _ in by_kind.values()),
        misses=sum(misses for _, misses in by_kind.values()),
        by_kind=by_kind,
    )


def label(rate: HitRate | None) -> str:
    if rate is None or rate.rate is None:
        return "n/a"
    return f"{rate.rate:.1%}"
