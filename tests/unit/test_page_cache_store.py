"""The in-process page store: one generation at a time, bounded in bytes (network/page_cache)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from network.page_cache.store import Page, Store, Viewer

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=1)


def page(body: str = "x" * 1000, ends_at: datetime = LATER) -> Page:
    return Page.from_html(body, (("Content-Type", "text/html; charset=utf-8"),), ends_at)


def test_a_page_is_served_in_its_generation_and_gone_in_the_next():
    store = Store(1 << 20)
    store.keep_page(1, "feed", page("first"))
    assert store.page(1, "feed", NOW).html == "first"
    assert store.page(2, "feed", NOW) is None
    # The generation after a write never brings the old page back.
    assert store.page(1, "feed", NOW) is None


def test_a_page_ends_at_its_time_even_with_no_write():
    store = Store(1 << 20)
    store.keep_page(1, "front", page(ends_at=LATER))
    assert store.page(1, "front", NOW) is not None
    assert store.page(1, "front", LATER) is None


def test_a_slow_request_of_an_older_generation_does_not_keep_its_page():
    store = Store(1 << 20)
    store.keep_page(2, "feed", page("new"))
    store.keep_page(1, "feed", page("old, rendered before the write"))
    assert store.page(2, "feed", NOW).html == "new"


def test_a_number_gone_back_after_a_restore_empties_the_store():
    store = Store(1 << 20)
    store.keep_page(7, "feed", page("before the restore"))
    assert store.page(5, "feed", NOW) is None  # the restored database says 5
    store.keep_page(5, "feed", page("after the restore"))
    assert store.page(7, "feed", NOW) is None  # 7 again later: nothing from before
    assert len(store) == 0


def test_the_least_recently_used_pages_go_when_the_store_is_full():
    store = Store(8 * 1400)  # room for about seven pages of ~1.3 kB
    for number in range(7):
        store.keep_page(1, number, page())
    assert store.page(1, 0, NOW) is not None  # page 0 is now the most recently used
    store.keep_page(1, "new", page())
    store.keep_page(1, "newer", page())
    assert store.size <= store.max_bytes
    assert store.page(1, 0, NOW) is not None
    assert store.page(1, 1, NOW) is None
    assert store.page(1, "newer", NOW) is not None


def test_a_page_bigger_than_an_eighth_of_the_store_is_not_kept():
    store = Store(8000)
    store.keep_page(1, "huge", page("x" * 2000))
    assert store.page(1, "huge", NOW) is None


def test_a_session_is_known_only_in_its_generation_and_until_it_ends():
    store = Store(1 << 20)
    viewer = Viewer(member_id=3, language="ru", expires_at=LATER, last_seen_at=NOW, ends_at=LATER)
    store.keep_viewer(1, "1:abc", viewer)
    assert store.viewer(1, "1:abc", NOW) == viewer
    assert store.viewer(1, "1:abc", LATER) is None
    assert store.viewer(1, "1:other", NOW) is None
    assert store.viewer(2, "1:abc", NOW) is None


def test_a_page_is_kept_in_pieces_around_its_holes():
    kept = page('<form>\x00csrf\x00<input value="\x00key\x00">\x00key\x00</form>é')
    assert kept.holes == ("csrf", "key", "key")
    assert kept.parts == (b"<form>", b'<input value="', b'">', "</form>é".encode())
    assert kept.html == '<form>\x00csrf\x00<input value="\x00key\x00">\x00key\x00</form>é'
