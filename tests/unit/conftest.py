"""Fixtures of the unit tests that build apps from the configuration alone."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No NETWORK_* variable of the machine's leaks into the app under test."""
    for name in list(os.environ):
        if name.startswith("NETWORK_"):
            monkeypatch.delenv(name)
    return monkeypatch
