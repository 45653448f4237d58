"""The public bad-input lists in tests/data (sources and licence: its README)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def lines(name: str) -> list[str]:
    """The entries of one list: its lines, less the blank ones and the `#` comments."""
    text = (DATA / name).read_text(encoding="utf-8").split("\n")
    return [line for line in text if line and not line.startswith("#")]
