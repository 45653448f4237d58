"""Which characters a single line, a title or name, and a body may hold; and what XML may carry."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l

from network.exceptions import Invalid

# What no field holds, which is also what XML 1.0 (section 2.2) forbids or
# discourages: C0 controls but tab, newline and return, C1 controls, lone
# surrogates and noncharacters (some feed readers refuse the discouraged ones
# too).  Ranges only: a class listing the 34 astral noncharacters one by one made
# a 2 MB sitemap cost 85-155 ms instead of 13-17 ms, so _never_text tells those
# apart.  A line turns tab, newline and return into one space; a body keeps only
# tab and newline, after \r\n and a lone \r became \n.  Every other control
# is refused, never silently changed.
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe-\U0010ffff]"
)
_NOT_IN_BODY = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
)
# Format characters a title or name keeps: they join or separate letters and
# emoji (Persian and Indic scripts, family emoji) and move nothing around.
_JOINERS = frozenset("\u200c\u200d")
# A subdivision flag (England, Scotland, Wales) is a black flag, tag letters and
# a cancel tag; tag letters anywhere else are invisible text.
_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _never_text(ch: str) -> bool:
    # The patterns match every astral code point from U+1FFFE; few are noncharacters.
    return ch <= "\uffff" or _noncharacter(ord(ch))


def _first_never_text(pattern: re.Pattern[str], text: str) -> str | None:
    for found in pattern.finditer(text):
        if _never_text(found.group()):
            return found.group()
    return None


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
    refused = _first_never_text(_NOT_TEXT, text)
    if refused is not None:
        raise _refuse(refused, field, label)


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
    refused = _first_never_text(_NOT_IN_BODY, text)
    if refused is not None:
        raise _refuse(refused, field, label)
    return text


def xml_text(document: str) -> str:
    """The document less every character XML 1.0 forbids or discourages.

    Rules on the way in keep new text clean; this keeps rows stored before
    them (or written by other means) from breaking a feed for every reader.
    """
    return _NOT_TEXT.sub(
        lambda found: "" if _never_text(found.group()) else found.group(), document
    )
