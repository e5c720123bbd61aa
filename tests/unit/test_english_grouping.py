"""In the English interface «1,500» is one thousand five hundred (the English window writes «RUB1,500.50»): it was
read with a decimal comma as 1,50 ₽, and «1,500.50» was «not a number» (tester H, 2026-12-05)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app import i18n
from app.domain.money import parse_decimal


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("ru")


@pytest.mark.parametrize(("typed", "value"), [("1,500", "1500"), ("1,500.50", "1500.50"), ("12,345,678.9", "12345678.9"),
                                              ("1,5", "1.5"), ("1.5", "1.5"), ("1 500,50", "1500.50"), ("-2,000", "-2000"),
                                              ("0,500", "0.500"), ("0,750", "0.750")])
def test_english_reads_commas_between_thousands_as_groups(english, typed, value):
    assert parse_decimal(typed, "Transfer") == Decimal(value)


@pytest.mark.parametrize(("typed", "value"), [("1,500", "1.500"), ("1,5", "1.5"), ("1 500,50", "1500.50")])
def test_russian_keeps_the_decimal_comma(typed, value):
    i18n.set_language("ru")
    assert parse_decimal(typed, "Трансфер") == Decimal(value)


def test_a_misplaced_group_is_still_refused_in_english(english):
    from app.errors import UserError

    for typed in ("1,50,0", "15,00.5"):
        with pytest.raises(UserError):
            parse_decimal(typed, "Transfer")


def test_the_english_command_line_takes_grouped_thousands(cli):
    """`--lang en estimate --transfer "1,500.50"` was refused by the command line's own check before the parser."""
    status, out, err = cli("--lang", "en", "estimate", "--approach", "onsite", "--days", "1", "--transfer", "1,500.50")
    assert status == 0, err
    assert "1,500.50" in out
    status, _out, err = cli("estimate", "--approach", "onsite", "--days", "1", "--transfer", "1,500.50")
    assert status == 2 and "не число" in err  # Russian: a comma is the decimal mark, so this is no number


@pytest.mark.parametrize(("typed", "value"), [
    ("1 000,50", "1000.50"), ("12 345", "12345"), ("1\u00a0234\u202f567,89", "1234567.89"), (" 7 000 ", "7000"),
    ("-1 000", "-1000"), ("2,5", "2.5"), ("100", "100"),
])
def test_spaces_between_groups_of_three_are_taken(typed, value):
    from decimal import Decimal

    from app.domain.money import parse_decimal

    assert parse_decimal(typed, "Сумма") == Decimal(value)


@pytest.mark.parametrize("typed", ["1 0,5", "0 500", "10 00", "1 0000", "1 000 0", "1 00,5"])
def test_spaces_elsewhere_are_refused_not_joined(typed):
    """«1 0,5» was read as 10,5 and «10 00» as 1000 (a fresh helper, 2026-12-05): a space inside a number is a thousands
    separator or a typo, never nothing."""
    from app.domain.money import parse_decimal
    from app.errors import UserError

    with pytest.raises(UserError) as err:
        parse_decimal(typed, "Сумма")
    assert err.value.message == (f"Поле «Сумма»: «{typed}» — не число: пробелы ставятся только между группами из "
                                 "трёх цифр, например 1 000 000,50.")


@pytest.mark.parametrize(("option", "kind", "typed"), [("--days", "onsite_day", "1 0"), ("--amount", "transfer", "1 0000"),
                                                        ("--amount", "transfer", "10 00")])
def test_the_command_line_refuses_misplaced_spaces_in_days_and_amounts(cli, option, kind, typed):
    """«--days "1 0"» logged 10 on-site days (140 000 ₽) and «--amount "1 0000"» 10 000 ₽ (tester J, 2026-12-05)."""
    assert cli("clients", "add", "--name", "ООО Тест", "--inn", "7707083893", "--approach", "onsite")[0] == 0
    status, _out, err = cli("log", "add", "7707083893", "--kind", kind, "--date", "2026-11-20", option, typed)
    assert status == 2
    assert f"аргумент {option}: «{typed}» — не число: пробелы ставятся только между группами из трёх цифр" in err, err
    assert json.loads(cli("log", "list", "7707083893", "--json")[1])["entries"] == []
