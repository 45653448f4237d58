"""The name-leak guard: where a revision, shown with some scopes, still names its customer.

It reads every place a story reaches the page: the title, the prose as
rendered text, every attribute the prose's HTML carries (link addresses and
titles, image descriptions, titles and addresses), the raw Markdown
(reference definitions included), the quote, the figures, the industry
description and the logo's file name. It runs when the customer consents,
when staff publish, and at every render of a published story.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from network import sanitize
from network.case_studies import identity
from network.case_studies.identity import Identity, Term
from network.case_studies.scopes import FIELD_NAMES, Scopes
from network.exceptions import Invalid
from network.models import CaseStudyRevision, CompanyScope, NameScope

CONTEXT = 30  # characters shown either side of a leak
MAX_PLACES = 5  # leaks quoted in one refusal
PROSE = ("challenge", "solution", "results")
# A run of letters this long, once separators are gone, is a name wherever it stands
# ("jakemiller" in "jakemillercoffee.example"); shorter ones must start and end a word.
COMPACT_ANYWHERE = 8
# In addresses words run together ("northwindcoffee.example"): a single word this long
# is sought inside them too.
IN_ADDRESS = 5
ADDRESSES = frozenset({"href", "src", "file"})

PLACE_MESSAGES = {
    "text": _l("“%(term)s” appears in %(field)s: “%(context)s”"),
    "href": _l("“%(term)s” appears in a link address in %(field)s: “%(context)s”"),
    "src": _l("“%(term)s” appears in an image address in %(field)s: “%(context)s”"),
    "alt": _l("“%(term)s” appears in an image description in %(field)s: “%(context)s”"),
    "link_title": _l("“%(term)s” appears in a link title in %(field)s: “%(context)s”"),
    "image_title": _l("“%(term)s” appears in an image title in %(field)s: “%(context)s”"),
    "source": _l(
        "“%(term)s” is written in the Markdown of %(field)s, where it is not shown as text "
        "but reaches the page: “%(context)s”"
    ),
    "file": _l("“%(term)s” appears in the logo's file name: “%(context)s”"),
}
_ATTRIBUTE_PLACES = {
    ("a", "href"): "href",
    ("a", "title"): "link_title",
    ("img", "src"): "src",
    ("img", "alt"): "alt",
    ("img", "title"): "image_title",
}


@dataclass(frozen=True)
class Place:
    field: str  # the revision's field: title, challenge, …, logo
    kind: str  # a key of PLACE_MESSAGES
    text: str


@dataclass(frozen=True)
class Leak:
    term: str  # the words as written there
    field: str
    place: str
    context: str

    def describe(self) -> str:
        return str(PLACE_MESSAGES[self.place]) % (
            {
                "term": self.term,
                "field": FIELD_NAMES.get(self.field, self.field),
                "context": self.context,
            }
        )


def places(revision: CaseStudyRevision, scopes: Scopes) -> Iterator[Place]:
    """Every text of the revision that these scopes let reach a page."""
    yield Place("title", "text", revision.title)
    for name in PROSE:
        html = getattr(revision, f"{name}_html")
        yield Place(name, "text", sanitize.plain_text(html))
        for tag, attribute, value in sanitize.attribute_values(html):
            kind = _ATTRIBUTE_PLACES.get((tag, attribute))
            if kind in ADDRESSES:
                value = unquote(value)  # Markdown percent-encodes: "J%D0%B0ke" is "Jаke"
            if kind is not None:
                yield Place(name, kind, value)
        yield Place(name, "source", getattr(revision, name))
    if scopes.quote and revision.quote:
        yield Place("quote", "text", revision.quote)
    if scopes.figures:
        for row in revision.figures:
            yield Place("figures", "text", " ".join(value for value in row.values() if value))
    if scopes.industry:
        yield Place("industry", "text", scopes.industry)
    if scopes.logo and revision.logo:
        yield Place("logo", "file", revision.logo)


def _compacted(folded: identity.Folded) -> tuple[str, list[int]]:
    """The folded text without separators, and for each letter its folded index."""
    keep = [index for index, ch in enumerate(folded.text) if ch.isalnum()]
    return "".join(folded.text[index] for index in keep), keep


@lru_cache(maxsize=4096)
def _word_pattern(words: str) -> re.Pattern[str]:
    inner = r"[\W_]+".join(re.escape(word) for word in words.split())
    return re.compile(rf"(?<![^\W_]){inner}(?![^\W_])")


def _spans(term: Term, folded: identity.Folded, compact: tuple[str, list[int]], address: bool):
    """Where a term stands in a folded text, as (start, end) in the folded text."""
    yield from (match.span() for match in _word_pattern(term.word).finditer(folded.text))
    letters, keep = compact
    anywhere = len(term.compact) >= COMPACT_ANYWHERE or (
        address and len(term.compact) >= IN_ADDRESS
    )
    if " " not in term.word and not anywhere:
        return  # one short word: only on word boundaries, found above
    start = letters.find(term.compact)
    while start != -1:
        first, last = keep[start], keep[start + len(term.compact) - 1] + 1
        bounded = (first == 0 or not folded.text[first - 1].isalnum()) and (
            last == len(folded.text) or not folded.text[last].isalnum()
        )
        if anywhere or bounded:
            yield first, last
        start = letters.find(term.compact, start + 1)


def _context(text: str, start: int, end: int) -> str:
    start, end = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    return (
        ("…" if start else "")
        + " ".join(text[start:end].split())
        + ("…" if end < len(text) else "")
    )


def leaks(revision: CaseStudyRevision, who: Identity, scopes: Scopes) -> dict[str, list[Leak]]:
    """Where the shown text still names the customer, by the kind of term: name, company, own."""
    sought = identity.terms(who, scopes.name, scopes.company)
    found: dict[str, list[Leak]] = {}
    if not sought:
        return found
    seen_in_field: set[tuple[str, str, str]] = set()
    for place in places(revision, scopes):
        folded = identity.fold(place.text)
        compact = _compacted(folded)
        taken: list[tuple[int, int]] = []
        for term in sought:
            if place.kind == "source" and (place.field, term.kind, term.compact) in seen_in_field:
                continue  # already quoted where it shows; the source says it again
            for start, end in _spans(term, folded, compact, place.kind in ADDRESSES):
                start, end = folded.where[start], folded.where[end - 1] + 1
                seen_in_field.add((place.field, term.kind, term.compact))
                if any(start < other_end and other_start < end for other_start, other_end in taken):
                    continue
                taken.append((start, end))
                leak = Leak(place.text[start:end], place.field, place.kind,
                            _context(place.text, start, end))  # fmt: skip
                found.setdefault(term.kind, []).append(leak)
    return found


def refuse_leaks(found: dict[str, list[Leak]]) -> None:
    """Raise Invalid on the first kind of term that leaks, listing its places (five at most)."""
    for kind in ("name", "company", "own"):
        items = found.get(kind)
        if not items:
            continue
        places_text = "; ".join(item.describe() for item in items[:MAX_PLACES])
        if len(items) > MAX_PLACES:
            more = len(items) - MAX_PLACES
            places_text += "; " + ngettext(
                "and %(num)d more place", "and %(num)d more places", more
            )
        if kind == "name":
            message = _l(
                "Your name still appears in the text, so it cannot be shown as you chose: "
                "%(places)s. Ask for changes, or choose another option.",
                places=places_text,
            )
            field = "name"
        elif kind == "company":
            message = _l(
                "Your company's name still appears in the text, so it cannot be hidden: "
                "%(places)s. Ask for changes, or choose another option.",
                places=places_text,
            )
            field = "company"
        else:
            message = _l(
                "A word you said identifies you still appears in the text: %(places)s. "
                "Ask for changes, or take the word off your list.",
                places=places_text,
            )
            field = "identifying_words"
        raise Invalid(message, field=field)


def _scopes_key(scopes: Scopes) -> tuple[Any, ...]:
    return (scopes.name, scopes.company, scopes.industry, scopes.logo, scopes.quote,
            scopes.figures)  # fmt: skip


_verdicts: dict[tuple[Any, ...], bool] = {}
MAX_VERDICTS = 4096


def would_leak(revision: CaseStudyRevision, who: Identity, scopes: Scopes) -> bool:
    """Whether a published story would name its customer against its consent.

    Kept per revision hash, scopes and identity, so a busy feed asks once: a new
    revision, consent or profile makes a new key, and nothing needs invalidating.
    """
    if scopes.name == NameScope.full and scopes.company == CompanyScope.name and not who.own_words:
        return False
    key = (revision.content_hash, _scopes_key(scopes), who.key())
    verdict = _verdicts.get(key)
    if verdict is None:
        verdict = bool(leaks(revision, who, scopes))
        if len(_verdicts) >= MAX_VERDICTS:
            _verdicts.clear()
        _verdicts[key] = verdict
    return verdict
