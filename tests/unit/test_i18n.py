"""Translations: every source string has a Russian translation; babel formatting of money and dates."""

from datetime import date
from decimal import Decimal

from app import i18n
from tools.i18n import missing, source_messages


def test_no_untranslated_source_strings():
    gaps = missing("ru")
    assert gaps == {}, "untranslated:\n" + "\n".join(f"{w}: {m!r}" for m, w in gaps.items())


def test_catalog_entries_are_complete_and_not_fuzzy():
    from importlib import resources

    from babel.messages.pofile import read_po

    folder = resources.files("i18n").joinpath("ru", "LC_MESSAGES")
    for po in folder.iterdir():
        if not po.name.endswith(".po"):
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale="ru")
        for message in catalog:
            if message.id:
                assert message.string, f"{po.name}: empty translation for {message.id!r}"
                assert not message.fuzzy, f"{po.name}: fuzzy {message.id!r}"


def test_extraction_finds_real_strings():
    assert "INN is required." in source_messages()


def test_language_switch():
    i18n.set_language("en")
    try:
        assert i18n._("INN is required.") == "INN is required."
    finally:
        i18n.set_language("ru")
    assert i18n._("INN is required.") == "ИНН обязателен."


def test_money_date_plural_formats():
    assert i18n.format_money(Decimal("1500"), locale="ru_RU") == "1 500,00 ₽"
    assert i18n.format_amount(Decimal("26250"), locale="ru_RU") == "26 250,00"
    assert i18n.format_date(date(2024, 7, 1), locale="ru_RU") == "1 июля 2024 г."
    assert i18n.format_date(date(2024, 7, 1), "short", locale="ru_RU") == "01.07.2024"
    assert [i18n.plural(n, "день", "дня", "дней") for n in (1, 2, 5, 11, 21, 22)] == \
        ["день", "дня", "дней", "дней", "день", "дня"]
