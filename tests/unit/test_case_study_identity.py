"""The guard's folding and what counts as naming a customer (issue 15, items 1 and 3)."""

from __future__ import annotations

import pytest

from network.case_studies import identity
from network.models import CompanyScope, Member, NameScope, Role


@pytest.mark.parametrize(
    ("disguised", "plain"),
    [
        ("Ja\u200bke", "jake"),  # a zero-width space inside
        ("Ja\u2060ke\u200d", "jake"),  # word joiner, zero-width joiner
        ("J\u0430ke", "jake"),  # a Cyrillic а
        ("\u0420eter", "peter"),  # a Cyrillic Р
        ("ＪＡＫＥ", "jake"),  # fullwidth letters (NFKC)
        ("Café Müller", "cafe muller"),  # accents
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # casefold
        ("Łódź", "lodz"),  # letters without a decomposition
        ("Иван", "ivan"),  # transliterated
        ("\u202eJake", "jake"),  # a bidi override
    ],
)
def test_fold_sees_through_each_trick(disguised, plain):
    assert identity.folded(disguised) == plain


def test_fold_leads_each_character_back_to_where_it_stood():
    text = "Dear Ja\u200bke!"
    folded = identity.fold(text)
    start = folded.text.index("jake")
    end = start + len("jake")
    assert text[folded.where[start] : folded.where[end - 1] + 1] == "Ja\u200bke"


def test_a_company_is_checked_whole_without_its_city_and_by_its_distinctive_words():
    terms = identity.company_terms("Northwind Coffee Traders, Kraków")
    assert "Northwind Coffee Traders, Kraków" in terms
    assert "Northwind Coffee Traders" in terms
    assert "Northwind" in terms
    # Common words alone would refuse every story that mentions coffee.
    assert "Coffee" not in terms
    assert "Traders" not in terms


@pytest.mark.parametrize(
    ("company", "distinctive", "not_alone"),
    [
        ("Northwind GmbH", "Northwind", "GmbH"),
        ("Kawa Corner Sp. z o.o.", "Kawa Corner", "Corner"),
        ("Kawa Corner Sp. z o.o.", "Kawa", "Sp"),
        ("ООО Ромашка", "Ромашка", "ООО"),
        ("The Golden Bakery Ltd", "Golden Bakery", "Ltd"),
    ],
)
def test_legal_forms_and_common_words_are_not_words_of_the_name(company, distinctive, not_alone):
    terms = identity.company_terms(company)
    assert distinctive in terms
    assert not_alone not in terms


def test_the_common_word_rule():
    for word in ("the", "and", "coffee", "bakery", "corner", "кофе", "угол"):
        assert identity.common_word(word), word
    for word in ("Northwind", "Brewbird", "Kawa", "Ромашка"):
        assert not identity.common_word(word), word


def customer(**fields):
    values = {
        "id": 7,
        "handle": "jmiller",
        "display_name": "Jake Miller",
        "email": "jake@northwind-traders.example",
        "role": Role.customer,
    }
    return Member(**(values | fields))


def test_addresses_give_away_the_mail_domain_the_website_and_names_on_social_sites():
    hosts, names = identity.address_terms(
        "jake@northwind-traders.example",
        ["https://www.kawacorner.example/menu", "https://www.linkedin.com/in/jake-m-1984/"],
    )
    assert "northwind-traders.example" in hosts
    assert "kawacorner.example" in hosts and "kawacorner" in hosts
    assert names == ["jake-m-1984"]


def test_a_public_mail_provider_says_nothing():
    hosts, _ = identity.address_terms("jake@gmail.com", [])
    assert hosts == []


def test_first_name_and_initial_keeps_the_first_name_out_of_the_terms():
    who = identity.Identity(customer(), company=None)
    words = {term.word for term in identity.terms(who, NameScope.initial, CompanyScope.name)}
    assert "jake" not in words
    assert "miller" in words and "jake miller" in words and "jmiller" in words


def test_a_full_name_and_a_named_company_leave_only_the_customers_own_words():
    who = identity.Identity(customer(), company="Northwind", own_words=("Baker Street",))
    terms = identity.terms(who, NameScope.full, CompanyScope.name)
    assert [(term.kind, term.compact) for term in terms] == [("own", "bakerstreet")]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (["a"] * 3, "short"),
        (["word"] * 0 + [f"word{n}" for n in range(21)], "count"),
        (["x" * 61], "length"),
        ([1, 2], "type"),
        ({"a": 1}, "type"),
    ],
)
def test_own_words_are_checked(value, reason):
    with pytest.raises(ValueError, match=reason):
        identity.own_words(value)


def test_own_words_come_one_per_line_or_comma():
    assert identity.own_words("Baker Street\n  Sunny  ,the Big Oven\n\n") == (
        "Baker Street",
        "Sunny",
        "the Big Oven",
    )
