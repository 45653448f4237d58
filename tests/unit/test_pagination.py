"""Opaque cursors: one codec (pagination.pack/unpack) under feeds and directory (issue 17)."""

import base64
import json
from datetime import UTC, datetime

import pytest

from network import pagination
from network.pagination import MAX_CURSOR, BadCursor, Position, pack, unpack
from network.profiles import cursors


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("value", [[1, 2], {"after": "ada"}, "text", 7, ["ü", "☃"], {"a": [1, {}]}])
def test_pack_and_unpack_agree(value):
    cursor = pack(value)
    assert "=" not in cursor
    assert unpack(cursor) == value


def test_a_packed_cursor_is_compact_json_in_unpadded_base64url():
    assert pack([1, "a"]) == _b64(b'[1,"a"]')


@pytest.mark.parametrize("cursor", [None, ""])
def test_no_cursor_is_the_first_page(cursor):
    assert unpack(cursor) is None
    assert pagination.decode(cursor) is None
    assert cursors.decode(cursor) is None


HOSTILE = [
    "!!!!",  # not base64url
    "a",  # impossible length
    _b64(b"\xff\xfe\xfd"),  # not UTF-8
    _b64(b"{not json"),
    _b64(b"null"),  # would read as "first page"
    "=" * 8,
    "../../etc/passwd",
    "<script>",
    "\x00\x00\x00\x00",
    "ü" * 4,
]


@pytest.mark.parametrize("cursor", HOSTILE)
def test_unpack_refuses_what_we_did_not_make(cursor):
    with pytest.raises(BadCursor, match="malformed cursor"):
        unpack(cursor)


def test_unpack_refuses_an_overlong_cursor_before_reading_it():
    with pytest.raises(BadCursor, match="cursor too long"):
        unpack("A" * (MAX_CURSOR + 1))
    with pytest.raises(BadCursor, match="cursor too long"):
        unpack(pack(["x" * MAX_CURSOR]))


def test_a_cursor_at_the_cap_is_read():
    value = "x" * 100
    cursor = pack(value)
    cursor = pack(value + "y" * ((MAX_CURSOR - len(cursor)) * 3 // 4))
    assert len(cursor) <= MAX_CURSOR
    assert unpack(cursor).startswith(value)


def test_deep_nesting_under_the_cap_is_a_value_not_a_crash():
    assert unpack(_b64(b"[" * 70 + b"]" * 70)) is not None


def test_position_round_trips():
    moment = datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    assert pagination.decode(pagination.encode(moment, 42)) == Position(moment, 42)


@pytest.mark.parametrize(
    "value",
    [
        ["2026-01-02T03:04:05+00:00", True],  # a bool is not an id
        ["2026-01-02T03:04:05+00:00", "42"],
        ["2026-01-02T03:04:05", 42],  # naive time
        ["yesterday", 42],
        [42, 42],
        ["2026-01-02T03:04:05+00:00"],
        ["2026-01-02T03:04:05+00:00", 1, 2],
        {"created": "2026-01-02T03:04:05+00:00", "id": 1},
        "ab",
        42,
        [],
    ],
)
def test_decode_refuses_a_position_of_the_wrong_shape(value):
    with pytest.raises(BadCursor, match="malformed cursor"):
        pagination.decode(pack(value))


def test_directory_cursor_round_trips():
    assert cursors.decode(cursors.encode("ada_lovelace")) == "ada_lovelace"
    assert cursors.encode("ada") == pack({"after": "ada"})


@pytest.mark.parametrize(
    "value",
    [{"after": "Not A Handle!"}, {"after": 7}, {"before": "ada"}, ["ada"], "ada", {"after": None}],
)
def test_directory_cursor_refuses_the_wrong_shape(value):
    with pytest.raises(BadCursor, match="malformed cursor"):
        cursors.decode(pack(value))


def test_directory_cursor_shares_the_length_cap():
    with pytest.raises(BadCursor, match="cursor too long"):
        cursors.decode("A" * (MAX_CURSOR + 1))


def test_bad_cursor_is_a_400():
    assert BadCursor("x").status == 400
    assert json.loads(base64.urlsafe_b64decode(pack([1]) + "==")) == [1]
