"""Every string ships in English and Russian (issue 2, item 5)."""

from __future__ import annotations

from gettext import c2py
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUSSIAN = PROJECT_ROOT / "network/translations/ru/LC_MESSAGES/messages.po"


def extract(tmp_path: Path):
    """The strings in the code right now, extracted as `make i18n-extract` does."""
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(PROJECT_ROOT / "babel.cfg"),
            "--ignore-dirs=.* node_modules",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "-o",
            str(pot),
            str(PROJECT_ROOT),
        ]
    )
    with pot.open("rb") as handle:
        return read_po(handle)


def russian():
    with RUSSIAN.open("rb") as handle:
        return read_po(handle, locale="ru")


def test_every_string_in_the_code_has_a_russian_translation(tmp_path):
    catalogue = russian()
    untranslated = []
    for message in extract(tmp_path):
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        strings = (
            []
            if translated is None
            else [translated.string]
            if isinstance(translated.string, str)
            else list(translated.string)
        )
        if not strings or not all(strings) or translated.fuzzy:
            untranslated.append(message.id)
    assert untranslated == [], "run `make i18n-update` and translate these"


def test_plural_strings_have_all_three_russian_forms():
    catalogue = russian()
    plural = c2py(catalogue.plural_expr)
    assert [plural(n) for n in (1, 3, 5, 21, 22, 25, 11, 14)] == [0, 1, 2, 0, 1, 2, 2, 2]
    plurals = [m for m in catalogue if m.id and isinstance(m.id, tuple)]
    assert plurals, "the catalogue should carry at least one plural string"
    for message in plurals:
        assert len(message.string) == 3 and all(message.string), message.id


def test_the_javascript_catalogue_reaches_the_page_translated(client):
    import json
    import re

    page = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="i18n-catalogue">(.*?)</script>', page)
    assert block, "the layout carries the JS catalogue"
    catalogue = json.loads(block.group(1))
    assert catalogue["reconnecting"] == "Восстанавливаем соединение…"
