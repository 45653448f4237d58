"""Which characters a single line, a title or name, and a body may hold; and what XML may carry."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l

from network.exceptions import Invalid

# Typed or pasted white space that a single line turns into one space; every other
# control character is refused rather than silently changed.
_LINE_SPACES = frozenset("\t\n\r")
# The only controls a body keeps (after \r\n and a lone \r become \n).
_BODY_CONTROLS = frozenset("\t\n")
# Format characters a title or name keeps: they join or separate letters and
# emoji (Persian and Indic scripts, family emoji) and move nothing around.
_JOINERS = frozenset("\u200c\u200d")
# A subdivision flag (England, Scotland, Wales) is a black flag, tag letters and
# a cancel tag; tag letters anywhere else are invisible text.
_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
# XML 1.0 (section 2.2) forbids C0 controls but tab, newline and return, the
# surrogates, U+FFFE and U+FFFF; it discourages C1 controls and the other
# noncharacters, which some feed readers refuse too, so they go as well.
_NOT_FOR_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _never_text(ch: str) -> bool:
    """Refused in every field: controls, lone surrogates and noncharacters."""
    category = unicodedata.category(ch)
    return category in {"Cc", "Cs"} or _noncharacter(ord(ch))


def _hides_or_reorders(ch: str) -> bool:
    """Refused in titles and names: bidi overrides, zero-width and other invisible characters."""
    return unicodedata.category(ch) in {"Cf", "Co"} and ch not in _JOINERS


def _refuse(ch: str, field: str, label: Any) -> Invalid:
    code = f"U+{ord(ch):04X}"
    return Invalid(
        _l(
            "%(label)s contains an invisible or control character (%(code)s) that is not allowed.",
            label=label,
            code=code,
        ),
        field=field,
    )


def check_storable(text: str, field: str, label: Any) -> None:
    """Refuse what no text field holds, sparing tab, newline and return; raises Invalid.

    The JSON API runs this on every string it reads, before any service sees it.
    """
    for ch in text:
        if ch not in _LINE_SPACES and _never_text(ch):
            raise _refuse(ch, field, label)


def line(raw: str | None, field: str, label: Any) -> str:
    """One line of text, runs of white space made one space ("" when blank); raises Invalid.

    Controls are checked before white space is collapsed, since Python counts
    \\x1c-\\x1f and \\x85 as white space and would quietly make them spaces.
    """
    text = raw or ""
    check_storable(text, field, label)
    return " ".join(text.split())


def title(raw: str | None, field: str, label: Any) -> str:
    """A title or name: a line that also holds no character hiding or reordering text.

    Raises Invalid naming the field and the character (U+202E, U+200B, ...).
    """
    text = line(raw, field, label)
    for ch in _FLAG.sub("", text):
        if _hides_or_reorders(ch):
            raise _refuse(ch, field, label)
    return text


def body(raw: str | None, field: str, label: Any) -> str:
    """Multi-line text with line endings made \\n; tab and newline are the controls it keeps.

    Raises Invalid naming the field and the first refused character.
    """
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    for ch in text:
        if ch not in _BODY_CONTROLS and _never_text(ch):
            raise _refuse(ch, field, label)
    return text


def xml_text(document: str) -> str:
    """The document less every character XML 1.0 forbids or discourages.

    Rules on the way in keep new text clean; this keeps rows stored before
    them (or written by other means) from breaking a feed for every reader.
    """
    return _NOT_FOR_XML.sub("", document)
