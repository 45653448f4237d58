"""What valid profile fields are: lengths, characters, links and phone numbers (SEC-22)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from network import text_rules
from network.exceptions import Invalid
from network.models import CardField, ProfileVisibility

MAX_TITLE = 100
MAX_COMPANY = 100
MAX_BIO = 4000
MAX_LINK = 500
MAX_LINKS = 5
MAX_PHONE = 40
MAX_SEARCH = 100

# Digits with the usual separators, an optional leading +, an optional extension.
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-/]*(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}


def _too_long(limit: int, field: str) -> Invalid:
    return Invalid(_l("Use at most %(max)d characters.", max=limit), field=field)


def one_line(raw: str | None, limit: int, field: str, label: Any) -> str | None:
    """A title-like line (job title, company), spaces collapsed; None when blank. Raises Invalid."""
    text = text_rules.title(raw, field, label)
    if len(text) > limit:
        raise _too_long(limit, field)
    return text or None


def bio(raw: str | None, field: str = "bio") -> str:
    """Markdown as typed, line endings unified; tabs and newlines are the only controls kept."""
    text = text_rules.body(raw, field, _l("About you")).strip()
    if len(text) > MAX_BIO:
        raise _too_long(MAX_BIO, field)
    return text


def link(raw: str, field: str = "links") -> str:
    """One http or https address with a host and no user name in it. Raises Invalid."""
    url = raw.strip()
    if len(url) > MAX_LINK:
        raise Invalid(
            _l("Each link may have at most %(max)d characters.", max=MAX_LINK), field=field
        )
    bad = _l("%(link)s is not a web address: links start with https:// or http://.", link=url)
    if any(ch.isspace() or unicodedata.category(ch) in _INVISIBLE for ch in url):
        raise Invalid(bad, field=field)
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        raise Invalid(bad, field=field) from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname or not port_ok:
        raise Invalid(bad, field=field)
    if parts.username is not None or parts.password is not None:
        # "https://bank.example@evil.example" reads as the bank and leads elsewhere.
        raise Invalid(bad, field=field)
    return url


def links(raw: str | Iterable[str] | None, field: str = "links") -> list[str]:
    """Up to MAX_LINKS distinct links, one per line (or an iterable). Raises Invalid."""
    lines = raw.splitlines() if isinstance(raw, str) else list(raw or [])
    found: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        url = link(line, field)
        if url not in found:
            found.append(url)
    if len(found) > MAX_LINKS:
        raise Invalid(_l("Add at most %(max)d links.", max=MAX_LINKS), field=field)
    return found


def phone(raw: str | None, field: str = "phone") -> str | None:
    text = " ".join((raw or "").split())
    if not text:
        return None
    if len(text) > MAX_PHONE:
        raise _too_long(MAX_PHONE, field)
    if not _PHONE.match(text):
        raise Invalid(
            _l("Use digits, spaces and + ( ) - . / only, e.g. +1 555 010 2030."), field=field
        )
    return text


def visibility(raw: str | None, field: str = "visibility") -> ProfileVisibility:
    try:
        return ProfileVisibility(raw or "")
    except ValueError:
        raise Invalid(_l("Choose who can see your profile."), field=field) from None


def card_fields(raw: Iterable[str] | None, field: str = "card_fields") -> list[str]:
    """The chosen card fields in a fixed order; unknown names are refused."""
    chosen = set(raw or [])
    known = {item.value for item in CardField}
    if chosen - known:
        raise Invalid(_l("Choose only from the offered card fields."), field=field)
    return [item.value for item in CardField if item.value in chosen]


def search_term(raw: str | None, field: str = "q") -> str:
    text = " ".join((raw or "").split())
    if len(text) > MAX_SEARCH:
        raise _too_long(MAX_SEARCH, field)
    return text


def like_pattern(term: str) -> str:
    """A LIKE pattern that finds the term anywhere, its own % and _ taken literally (escape \\)."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
