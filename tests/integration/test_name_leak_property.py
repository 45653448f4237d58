"""A property of the name-leak guard (issue 15): the customer's name or company, disguised
by any mix of the tricks the review used, anywhere in any story, is refused.

Drawn stories are built as staff would write them (content.clean renders and
sanitizes the Markdown), and checked under the most private scopes with the
quote and figures shown, so every field counts.
"""

from __future__ import annotations

import dataclasses
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.case_studies import content, guard, identity, scopes
from network.models import CaseStudyRevision, Member, MemberStatus, Role

CUSTOMERS = [
    ("Jake Miller", "jmiller", "Northwind Coffee Traders"),
    ("Zoë Bjørnsdóttir", "zoe_b", "Café Müller"),
    ("Carla Núñez", "carla_n", "Kawa Corner, Kraków"),
]
# Words that name nobody: the story around the disguised name.
STORY_WORDS = (
    "the morning shift ovens espresso machine team service plan downtime fell quarter "
    "bread before sunrise bakery coffee corner traders answers live staff we our"
)
WORDS = tuple(STORY_WORDS.split())
CYRILLIC = dict(zip("aeopcxyAEOPCXHKMTB", "аеорсхуАЕОРСХНКМТВ", strict=True))
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
SCOPES = dataclasses.replace(scopes.PRIVATE, quote=True, figures=True)


def person(name: str, handle: str) -> Member:
    return Member(
        id=1,
        display_name=name,
        handle=handle,
        email=f"{handle}@gmail.com",
        role=Role.customer,
        status=MemberStatus.active,
    )


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@st.composite
def disguised(draw, term: str) -> str:
    """The term with a random mix of the tricks: accents dropped, words joined, case,
    look-alike letters, invisible characters, fullwidth letters."""
    if draw(st.booleans()):
        term = strip_accents(term)
    if " " in term and draw(st.booleans()):
        term = draw(st.sampled_from(["", "-", "_", "."])).join(term.split())
    letters = []
    for ch in term:
        trick = draw(st.sampled_from(["keep", "keep", "case", "cyrillic", "invisible", "wide"]))
        if trick == "case":
            ch = ch.swapcase()
        elif trick == "cyrillic":
            ch = CYRILLIC.get(ch, ch)
        elif trick == "wide" and "!" <= ch <= "~":
            ch = chr(ord(ch) + 0xFEE0)
        letters.append(ch)
        if trick == "invisible":
            letters.append(draw(st.sampled_from(INVISIBLE)))
    return "".join(letters)


def placed(draw, word: str) -> str:
    """The disguised words as plain text, a link, a link address or an image description."""
    how = draw(st.sampled_from(["text", "link", "address", "alt", "reference"]))
    address = "-".join(word.split())
    if how == "link":
        return f"[{word}](https://example.org/page)"
    if how == "address":
        return f"[our site](https://example.org/{address})"
    if how == "alt":
        return f"![{word}](/uploads/Zk3mQ9xYp2.webp)"
    if how == "reference":
        return f"see [the page][ref]\n\n[ref]: https://example.org/{address}\n"
    return word


@st.composite
def leaking_story(draw):
    name, handle, company = draw(st.sampled_from(CUSTOMERS))
    kind = draw(st.sampled_from(["name", "company"]))
    if kind == "name":
        term = draw(st.sampled_from([name, *name.split()]))
    else:
        term = draw(st.sampled_from(identity.company_terms(company)))
    leak = placed(draw, draw(disguised(term)))
    fields = {
        field: " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12)))
        for field in ("challenge", "solution", "results", "quote")
    }
    where = draw(st.sampled_from(["challenge", "solution", "results", "quote", "figures"]))
    figures = [{"label": "Downtime", "value": "-66", "unit": "%"}]
    if where == "figures":
        figures = [{"label": draw(disguised(term))[:60], "value": "1", "unit": ""}]
    else:
        words = fields[where].split(" ")
        at = draw(st.integers(min_value=0, max_value=len(words)))
        fields[where] = " ".join([*words[:at], leak, *words[at:]])
    draft = content.Draft(title="A better morning", figures=figures, **fields)
    return draft, identity.Identity(person(name, handle), company=company), kind


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=leaking_story())
def test_a_disguised_name_or_company_anywhere_is_refused(ctx, case):
    draft, who, kind = case
    revision = CaseStudyRevision(**content.clean(draft))
    found = guard.leaks(revision, who, SCOPES)
    assert kind in found, (draft, kind)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.sampled_from(WORDS), min_size=3, max_size=40))
def test_a_story_that_names_nobody_passes(ctx, words):
    text = " ".join(words)
    draft = content.Draft(title="A better morning", challenge=text, solution=text, results=text)
    revision = CaseStudyRevision(**content.clean(draft))
    for name, handle, company in CUSTOMERS:
        customer = person(name, handle)
        assert guard.leaks(revision, identity.Identity(customer, company=company), SCOPES) == {}


def test_the_guard_is_not_fooled_by_one_known_hard_case(ctx):
    """A shrunk example kept as a plain test: joined, look-alike and invisible at once."""
    draft = content.Draft(
        title="A better morning",
        challenge="[our site](https://example.org/J\u0430ke\u200b_Mi\u200dller)",
        solution="We fixed it.",
        results="It works.",
    )
    revision = CaseStudyRevision(**content.clean(draft))
    customer = person("Jake Miller", "jmiller")
    found = guard.leaks(revision, identity.Identity(customer, company=None), SCOPES)
    assert [leak.place for leak in found["name"]][:1] == ["href"]
