"""Redis as the fragments' second tier (network/fragments): shared by processes, never required.

A process with an empty memory finds what another process rendered in Redis;
with Redis unreachable, or killed while pages are served, every page still
renders (the tier rests and the fragments are rendered instead).
"""

from __future__ import annotations

import shutil
import socket

import pytest
import redis

from network.fragments import EXTENSION
from network.fragments.store import COUNTS, MemoryTier, RedisTier
from tests.conftest import REDIS_URL
from tests.support.content import follow, make_comment, make_post
from tests.support.faults import PrivateRedis

PAGES = ("/", "/feed", "/posts/{post}")


def _pages(app, customer, employee):
    post = make_post(app, employee, "Shared across processes")
    make_comment(app, customer, post, "A comment in Redis")
    follow(app, customer, employee)
    return [path.format(post=post.id) for path in PAGES]


def _forget_memory(app) -> None:
    """What a second process has: the same Redis, nothing in its own memory."""
    tiers = app.extensions[EXTENSION]
    tiers.memory = MemoryTier(tiers.memory.max_bytes)


@pytest.mark.skipif(not REDIS_URL, reason="needs NETWORK_TEST_REDIS_URL (a real Redis)")
def test_a_process_with_empty_memory_gets_the_fragments_another_rendered(
    app, client, customer, employee, as_member
):
    shared = redis.Redis.from_url(REDIS_URL)
    for key in shared.scan_iter(f"{RedisTier.PREFIX}*"):
        shared.delete(key)
    app.extensions[EXTENSION].shared = RedisTier(REDIS_URL)
    member = as_member(customer)
    paths = _pages(app, customer, employee)
    browsers = [client, member, member]
    first = [
        browser.get(path).get_data(as_text=True)
        for browser, path in zip(browsers, paths, strict=True)
    ]
    assert any(True for _ in shared.scan_iter(f"{RedisTier.PREFIX}post:*"))
    assert any(True for _ in shared.scan_iter(f"{RedisTier.PREFIX}comment:*"))
    _forget_memory(app)
    before = {kind: COUNTS.get(kind, "miss") for kind in ("post", "comment", "post_page")}
    hits = COUNTS.get("comment", "hit")
    again = [
        browser.get(path).get_data(as_text=True)
        for browser, path in zip(browsers, paths, strict=True)
    ]
    assert {kind: COUNTS.get(kind, "miss") for kind in before} == before  # nothing rendered
    assert COUNTS.get("comment", "hit") == hits + 1
    assert "A comment in Redis" in again[2]
    assert [len(page) for page in first] == [len(page) for page in again]
    for key in shared.scan_iter(f"{RedisTier.PREFIX}*"):
        shared.delete(key)
    shared.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_pages_render_with_redis_unreachable(app, client, customer, employee, as_member):
    app.extensions[EXTENSION].shared = RedisTier(f"redis://127.0.0.1:{_closed_port()}/0")
    member = as_member(customer)
    paths = _pages(app, customer, employee)
    for browser, path in zip([client, member, member], paths, strict=True):
        answer = browser.get(path)
        assert answer.status_code == 200, path
        assert "Shared across processes" in answer.get_data(as_text=True), path


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server to kill")
def test_pages_keep_rendering_when_redis_dies_under_them(
    app, client, customer, employee, as_member, tmp_path
):
    private = PrivateRedis(tmp_path)
    private.start()
    try:
        app.extensions[EXTENSION].shared = RedisTier(private.url)
        member = as_member(customer)
        paths = _pages(app, customer, employee)
        browsers = [client, member, member]
        for browser, path in zip(browsers, paths, strict=True):
            assert browser.get(path).status_code == 200, path
        private.kill()
        _forget_memory(app)  # every fragment must come from Redis, which is gone
        for browser, path in zip(browsers, paths, strict=True):
            answer = browser.get(path)
            assert answer.status_code == 200, path
            assert "Shared across processes" in answer.get_data(as_text=True), path
    finally:
        private.kill()
