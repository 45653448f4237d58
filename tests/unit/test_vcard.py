"""Business cards (vCard 4.0): only what the member shares, and nothing can inject a line."""

from __future__ import annotations

import pytest

from network.models import Member, Profile
from network.profiles.vcard import card, escape_text, fold


def person(**member_values) -> Member:
    values = {"handle": "carla", "display_name": "Carla Customer", "email": "carla@example.com"}
    return Member(**{**values, **member_values})


def profile(card_fields: list[str], **values) -> Profile:
    defaults = {
        "title": "Head of Espresso",
        "company": "Bean & Co",
        "phone": "+1 555 010 2030",
        "links": ["https://example.com/carla", "https://blog.example.org/a,b;c"],
    }
    return Profile(card_fields=card_fields, **{**defaults, **values})


def lines_of(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # no bare line feeds
    unfolded = text.replace("\r\n ", "")
    return unfolded.split("\r\n")[:-1]


def properties(text: str) -> list[str]:
    return [line.split(":", 1)[0].split(";", 1)[0] for line in lines_of(text)]


def test_a_card_with_everything_shared():
    text = card(person(), profile(["name", "title", "company", "email", "phone", "links"]))
    assert lines_of(text) == [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:individual",
        "FN:Carla Customer",
        "TITLE:Head of Espresso",
        "ORG:Bean & Co",
        "EMAIL;TYPE=work:carla@example.com",
        "TEL;VALUE=text;TYPE=work:+1 555 010 2030",
        "URL:https://example.com/carla",
        "URL:https://blog.example.org/a%2Cb%3Bc",
        "END:VCARD",
    ]


@pytest.mark.parametrize(
    ("shared", "present", "absent"),
    [
        (["name"], {"FN"}, {"TITLE", "ORG", "EMAIL", "TEL", "URL"}),
        (["title", "company"], {"FN", "TITLE", "ORG"}, {"EMAIL", "TEL", "URL"}),
        (["email"], {"FN", "EMAIL"}, {"TITLE", "ORG", "TEL", "URL"}),
        (["phone", "links"], {"FN", "TEL", "URL"}, {"TITLE", "ORG", "EMAIL"}),
        ([], {"FN"}, {"TITLE", "ORG", "EMAIL", "TEL", "URL"}),
    ],
)
def test_only_the_shared_fields_are_on_the_card(shared, present, absent):
    text = card(person(), profile(shared))
    found = set(properties(text))
    assert present <= found
    assert not (absent & found)
    assert ("carla@example.com" in text) is ("email" in shared)
    assert ("555" in text) is ("phone" in shared)


def test_without_the_name_shared_the_public_handle_stands_in():
    text = card(person(), profile(["title"]))
    assert "FN:@carla" in lines_of(text)
    assert "Carla Customer" not in text


def test_empty_fields_are_left_out_even_when_shared():
    text = card(
        person(),
        profile(
            ["title", "company", "phone", "links"], title=None, phone=None, company=None, links=[]
        ),
    )
    assert properties(text) == ["BEGIN", "VERSION", "KIND", "FN", "END"]


@pytest.mark.parametrize(
    "hostile",
    [
        "Eve\r\nEMAIL:eve@evil.example",
        "Eve\nEMAIL:eve@evil.example",
        "Eve\rEMAIL:eve@evil.example",
        "Eve\u2028EMAIL:eve@evil.example",
        "Eve\x0bEMAIL:eve@evil.example",
        "Eve\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory",
    ],
)
def test_no_field_can_inject_a_line(hostile):
    text = card(
        person(display_name=hostile),
        profile(["name", "title", "company"], title=hostile, company=hostile),
    )
    assert properties(text) == ["BEGIN", "VERSION", "KIND", "FN", "TITLE", "ORG", "END"]
    assert lines_of(text).count("BEGIN:VCARD") == 1 and lines_of(text).count("END:VCARD") == 1


def test_special_characters_are_escaped():
    assert escape_text("a\\b,c;d\ne") == "a\\\\b\\,c\\;d\\ne"
    text = card(person(display_name="Smith, John; Jr."), profile(["name"]))
    assert "FN:Smith\\, John\\; Jr." in lines_of(text)


def test_long_lines_are_folded_without_splitting_a_character():
    long_line = "NOTE:" + "ж" * 100  # two octets each
    folded = fold(long_line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == long_line
    text = card(person(display_name="Ж" * 80), profile(["name"]))
    assert f"FN:{'Ж' * 80}" in lines_of(text)
