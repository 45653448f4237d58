"""Pages rendered once and served again until something they show changes.

See pages.py for what a kept page is keyed by and generation.py for why a
kept page is never older than the data it shows (docs/architecture.md).
"""

from network.page_cache.pages import (
    cached,
    fresh_key,
    init_app,
    note_viewer,
    per_request,
    skip,
    stamp,
)

__all__ = ["cached", "fresh_key", "init_app", "note_viewer", "per_request", "skip", "stamp"]
