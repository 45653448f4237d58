"""The text rules (issue 16, item 3): what a line, a title or name and a body may hold, and XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from network import text_rules
from network.exceptions import Invalid

# What a member could paste into any field to break a feed or a terminal.
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]
NOT_TEXT = ["\ud800", "\udfff", "\ufdd0", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]
# Bidi overrides, embeddings and isolates, zero-width and other invisible characters.
HIDING = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200e", "\u2060", "\ufeff", "\u00ad"]
HIDING += ["\u180e", "\ue000", "\U000e0041"]  # Mongolian vowel separator, private use, a tag
# Text people really write: emoji (family, skin tone, subdivision flag), RTL, Zalgo,
# Japanese, Persian with its zero-width non-joiner.
LEGITIMATE = [
    "Family day 👨\u200d👩\u200d👧\u200d👦 and 👍🏽",
    "Go \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f!",
    "🇺🇸🇬🇧 flags",
    "مرحبا بالعالم",
    "שלום עולם",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "日本語のタイトル（テスト）",
    "𠮷野家の牛丼",  # beyond the BMP (CJK Extension B)
    "می\u200cخواهم",
]
KINDS = [text_rules.line, text_rules.title, text_rules.body]


def refusal(rule, text: str) -> Invalid:
    with pytest.raises(Invalid) as caught:
        rule(text, "title", "Title")
    return caught.value


@pytest.mark.parametrize("rule", KINDS, ids=lambda rule: rule.__name__)
@pytest.mark.parametrize("control", CONTROLS + NOT_TEXT, ids=ascii)
def test_every_kind_refuses_controls_and_what_is_not_text_naming_field_and_character(rule, control):
    refused = refusal(rule, f"Quarterly{control} report")
    assert refused.field == "title"
    message = str(refused.message)
    assert message.startswith("Title contains an invisible or control character")
    assert f"(U+{ord(control):04X})" in message


@pytest.mark.parametrize("hiding", HIDING, ids=ascii)
def test_titles_and_names_refuse_what_hides_or_reorders_text(hiding):
    refused = refusal(text_rules.title, f"Refund{hiding} policy")
    assert f"(U+{ord(hiding):04X})" in str(refused.message)


def test_bodies_may_quote_right_to_left_marks_and_zero_width_spaces():
    # A body can discuss or quote such text; it is sanitized Markdown, never a title.
    for hiding in HIDING:
        assert text_rules.body(f"a{hiding}b", "body", "Text") == f"a{hiding}b"


@pytest.mark.parametrize("text", LEGITIMATE)
def test_real_writing_is_accepted_as_a_title(text):
    assert text_rules.title(text, "title", "Title") == text


def test_bodies_keep_tabs_and_newlines_and_unify_line_endings():
    typed = "Steps:\r\n\t1. grind\r\n\t2. brew\rDone\n"
    assert text_rules.body(typed, "body", "Text") == "Steps:\n\t1. grind\n\t2. brew\nDone\n"


def test_lines_make_typed_white_space_one_space_but_refuse_whitespace_controls():
    assert text_rules.line("  Head\tof \r\n Espresso ", "title", "Title") == "Head of Espresso"
    assert text_rules.title("Head\u2028of\u3000Espresso", "title", "Title") == "Head of Espresso"
    # Python's split() counts these as white space: they must be refused, not made spaces.
    for control in ("\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\x0b", "\x0c"):
        refusal(text_rules.line, f"Head{control}of")


def test_blank_is_an_empty_string_for_the_services_to_judge():
    assert text_rules.title(None, "title", "Title") == ""
    assert text_rules.line(" \t ", "title", "Title") == ""
    assert text_rules.body(None, "body", "Text") == ""


def test_xml_text_drops_exactly_what_xml_forbids_or_discourages():
    everything = "".join(chr(code) for code in range(0x110000) if chr(code) not in "<&")
    kept = text_rules.xml_text(everything)
    parsed = ET.fromstring(f"<t>{kept}</t>".encode("utf-8", "surrogatepass")).text
    assert parsed == kept.replace("\r", "\n")  # the parser normalizes line ends
    gone = set(everything) - set(kept)
    c0 = {chr(code) for code in range(0x20)} - set("\t\n\r")
    c1 = {chr(code) for code in range(0x7F, 0xA0)}
    surrogates = {chr(code) for code in range(0xD800, 0xE000)}
    noncharacters = {chr(code) for code in range(0xFDD0, 0xFDF0)}
    noncharacters |= {
        chr(plane | low) for plane in range(0, 0x110000, 0x10000) for low in (0xFFFE, 0xFFFF)
    }
    assert gone == c0 | c1 | surrogates | noncharacters
    assert text_rules.xml_text("\u202eRTL\u200b, \U0001f600 and \ue000 stay") == (
        "\u202eRTL\u200b, \U0001f600 and \ue000 stay"
    )


def test_the_api_check_spares_the_white_space_a_body_or_line_may_carry():
    text_rules.check_storable("a\tb\nc\r\nd", "body", "body")
    with pytest.raises(Invalid) as refused:
        text_rules.check_storable("a\x01", "body", "body")
    assert "U+0001" in str(refused.value.message)
