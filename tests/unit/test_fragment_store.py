"""The fragment store: memory bounded in bytes, least recently used out (network/fragments)."""

from __future__ import annotations

import socket
import time

from network.fragments.store import Counts, MemoryTier, RedisTier, entry_size


def test_the_memory_tier_never_holds_more_bytes_than_allowed():
    value = "x" * 1000
    one = entry_size("key-000", value)
    store = MemoryTier(max_bytes=one * 10)
    for number in range(100):
        store.put(f"key-{number:03d}", value)
        assert store.size <= store.max_bytes
    assert len(store) == 10
    assert store.size == one * 10
    # The newest ten are kept, the older ones fell out.
    assert store.get("key-099") == value
    assert store.get("key-089") is None


def test_a_fragment_read_recently_outlives_one_kept_before_it():
    value = "y" * 500
    store = MemoryTier(max_bytes=entry_size("k0", value) * 10)
    for number in range(10):
        store.put(f"k{number}", value)
    assert store.get("k0") == value  # now the most recently used
    store.put("k10", value)
    assert "k1" not in store  # the least recently used went instead
    assert store.get("k0") == value
    assert store.get("k10") == value


def test_a_fragment_larger_than_an_eighth_of_the_store_is_not_kept():
    store = MemoryTier(max_bytes=80_000)
    store.put("small", "s" * 100)
    store.put("huge", "h" * 20_000)
    assert store.get("huge") is None
    assert store.get("small") == "s" * 100


def test_keeping_a_key_again_replaces_it_and_its_size():
    store = MemoryTier(max_bytes=1_000_000)
    store.put("k", "a" * 1000)
    store.put("k", "b" * 10)
    assert store.get("k") == "b" * 10
    assert store.size == entry_size("k", "b" * 10)
    assert len(store) == 1


def test_non_ascii_fragments_count_the_memory_they_take():
    # A Russian fragment takes two bytes a letter in memory: the bound must see them.
    assert entry_size("k", "ж" * 1000) > entry_size("k", "z" * 1000) + 900


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_redis_answers_nothing_and_rests_instead_of_failing_each_time():
    tier = RedisTier(f"redis://127.0.0.1:{_closed_port()}/0", rest=30)
    assert tier.get_many(["a", "b"]) == [None, None]
    assert not tier.available  # resting: the next pages do not wait on it
    started = time.perf_counter()
    assert tier.get_many(["a"]) == [None]
    tier.put_many([("a", "<p>x</p>")])  # nothing raised
    assert time.perf_counter() - started < 0.01
    tier.close()


def test_counts_add_up_by_kind_and_result():
    counts = Counts()
    counts.add("post", 3, 1)
    counts.add("post", 2, 0)
    counts.add("comment", 0, 5)
    assert counts.snapshot() == {("post", "hit"): 5, ("post", "miss"): 1, ("comment", "miss"): 5}
