"""A card's phone and e-mail are parsed once for the check and the stored form; the text check's fast path
judges every kind of character as the character loop does (issue 15: a CSV import of 5 000 clients)."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pytest

from app.domain import normalize as n
from app.domain import validation as v
from app.errors import UserError
from app.services.clients import ClientInput, PersonInput, _normalise, field_errors


def _card(phone: str, email: str) -> ClientInput:
    return ClientInput(name="ООО «Ромашка»", inn="7707083893", approach="remote",
                       contacts=[PersonInput(name="Иванов Иван", phone=phone, email=email)])


def test_a_card_parses_its_phone_and_email_once(monkeypatch):
    calls = {"phone": 0, "email": 0}
    real_parse = phonenumbers.parse
    import email_validator

    real_validate = email_validator.validate_email

    def parse(*args, **kwargs):
        calls["phone"] += 1
        return real_parse(*args, **kwargs)

    def validate(*args, **kwargs):
        calls["email"] += 1
        return real_validate(*args, **kwargs)

    n.phone_parts.cache_clear()  # another test may have read the same cells
    n.email_parts.cache_clear()
    monkeypatch.setattr(phonenumbers, "parse", parse)
    monkeypatch.setattr(email_validator, "validate_email", validate)
    card = _card("8 (495) 765-43-21", "Petrov.Once@Example.RU")
    assert field_errors(card) == {}
    stored = _normalise(card).contacts[0]
    assert (stored.phone, stored.email) == ("+7 495 765-43-21", "Petrov.Once@example.ru")
    assert calls == {"phone": 1, "email": 1}


@pytest.mark.parametrize("phone", ["123-45-67", "+7 495 12", "телефон"])
def test_an_invalid_phone_is_still_refused_and_kept_as_typed(phone):
    assert v.phone_error(phone)
    assert n.normalize_phone(phone) == phone


@pytest.mark.parametrize("email", ["ivan@", "ivan@@example.ru", "ivan example.ru"])
def test_an_invalid_email_is_still_refused(email):
    assert v.email_error(email)
    assert n.normalize_email(email) == email


@pytest.mark.parametrize("value, problem", [
    ("ООО «Ромашка» № 5", None),
    ("ООО\u00a0«Ромашка»", None),  # a no-break space: not printable for Python, no problem for us
    ("ООО\u3164Ромашка", "blank"),  # a Hangul filler: printable for Python, invisible on paper
    ("ООО\u2800Ромашка", "blank"),  # the braille blank
    ("ООО\u200bРомашка", "invisible"),
    ("ООО\tРомашка", "tab"),
    ("ООО\nРомашка", "break"),
    ("ООО\x1b[31mРомашка", "control"),
    ("ООО\ue000Ромашка", "control"),  # private use
])
def test_the_text_check_agrees_with_the_character_rules(value, problem):
    message = v.text_problem(value, "Поле")
    expected = next((p for p in (v._char_problem(ch, multiline=False) for ch in value) if p), None)
    assert expected == problem
    assert (message is None) == (problem is None)


def test_a_dotted_date_is_read_and_an_impossible_one_refused():
    assert v.parse_date("15.03.2026", "Дата") == date(2026, 3, 15)
    assert v.parse_date("2026-03-15", "Дата") == date(2026, 3, 15)
    assert v.parse_date("1.3.2026", "Дата") == date(2026, 3, 1)
    with pytest.raises(UserError, match=r"30\.02\.2026"):
        v.parse_date("30.02.2026", "Дата")


@pytest.mark.parametrize("phone", ["8 495 ABC-45-67", "8 800 MICROSOFT"])
def test_a_phone_spelt_with_letters_is_refused_not_dialled_on_a_keypad(phone):
    """Trial 15m: «8 495 ABC-45-67» was stored as «+7 495 222-45-67» (the library reads letters as keypad digits)."""
    assert v.phone_error(phone)
    assert n.normalize_phone(phone) == phone


def test_a_csv_contact_error_names_the_file_line_once():
    """Trial 15m: «Строка 2: Строка 1: Номер телефона … неверен» — the inner «Строка 1» was the contact's row in a
    card, not a line of the file."""
    errors = field_errors(_card("123-45-67", ""), person_rows=False)
    assert list(errors) == ["contacts[1]"]
    assert not errors["contacts[1]"].startswith(("Строка", "Row")) and "123-45-67" in errors["contacts[1]"]
    assert field_errors(_card("123-45-67", ""))["contacts[1]"].startswith(("Строка 1", "Row 1"))


def test_a_csv_line_with_a_bad_phone_is_named_once():
    from app.services.import_rows import parse_rows

    raw = ("Наименование;ИНН;Подход;Контактное лицо;Телефон\n"
           "ООО «Ромашка»;7707083893;remote;Иванов Иван;123-45-67\n").encode()
    with pytest.raises(UserError) as err:
        parse_rows(raw)
    text = err.value.full_text()
    assert "Строка 2" in text and "Строка 1" not in text and text.count("Строка") == 1, text


@pytest.mark.parametrize("value, says", [("ООО\u3164Ромашка", "хангыля"), ("ООО\u200bРомашка", "нулевой ширины")])
def test_a_blank_letter_and_a_format_character_are_named_for_what_they_are(value, says):
    """Trial 15n: a Hangul filler was called «нулевой ширины, смены направления текста или BOM»."""
    from app.i18n import set_language

    set_language("ru")
    message = v.text_problem(value, "Наименование")
    assert message is not None and says in message, message
