"""Safe redirects: a `next` target only ever leads to a path on this site (SEC-08)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

# Characters that browsers strip or treat as separators before resolving a URL
_INVISIBLE = {chr(c) for c in range(0x00, 0x20)} | {"\x7f"}


def safe_next(target: str | None, default: str = "/") -> str:
    """Return ``target`` when it is a plain path on this site, else ``default``.

    Refuses scheme-relative (``//evil``), backslash tricks (``/\\evil``),
    any scheme (``https:``, ``javascript:``), and the same once percent-decoded.
    """
    if not target:
        return default
    for candidate in (target, unquote(target), unquote(unquote(target))):
        if not _is_local_path(candidate):
            return default
    return target


def _is_local_path(candidate: str) -> bool:
    if any(ch in _INVISIBLE for ch in candidate):
        return False
    if "\\" in candidate:
        return False
    if not candidate.startswith("/") or candidate.startswith("//"):
        return False
    parts = urlsplit(candidate)
    return not parts.scheme and not parts.netloc
