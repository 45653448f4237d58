"""Business cards: a vCard 4.0 (RFC 6350) holding only the fields the member chose to share."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from network.models import CardField, Member, Profile

CONTENT_TYPE = "text/vcard; charset=utf-8"
MAX_LINE_OCTETS = 75  # RFC 6350 3.2: longer lines are folded


def escape_text(value: str) -> str:
    """A TEXT value: \\ , ; and line breaks escaped (RFC 6350 3.4), other controls dropped.

    After this no value can end its line early and start a property of its own.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(
        ch for ch in value if ch == "\n" or unicodedata.category(ch) not in {"Cc", "Zl", "Zp"}
    )
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def escape_uri(value: str) -> str:
    """A URI value: anything that vCard or a line break would read specially is percent-encoded."""
    return quote(value, safe="/:?#[]@!$&'()*+=-._~%")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    limit = MAX_LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = MAX_LINE_OCTETS - 1  # continuation lines begin with a space
        current += ch
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def card(member: Member, profile: Profile) -> str:
    """The member's card as vCard text with CRLF line ends."""
    shared = set(profile.card_fields or [])
    # FN is required by vCard 4.0; without the name shared, the public handle stands in.
    name = member.display_name if CardField.name in shared else f"@{member.handle}"
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:individual", f"FN:{escape_text(name)}"]
    if CardField.title in shared and profile.title:
        lines.append(f"TITLE:{escape_text(profile.title)}")
    if CardField.company in shared and profile.company:
        lines.append(f"ORG:{escape_text(profile.company)}")
    if CardField.email in shared and member.email:
        lines.append(f"EMAIL;TYPE=work:{escape_text(member.email)}")
    if CardField.phone in shared and profile.phone:
        lines.append(f"TEL;VALUE=text;TYPE=work:{escape_text(profile.phone)}")
    if CardField.links in shared:
        lines.extend(_urls(profile.links or []))
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def _urls(links: Iterable[str]) -> list[str]:
    return [f"URL:{escape_uri(link)}" for link in links]
