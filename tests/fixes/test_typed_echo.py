"""A refusal quotes what was typed, not what the program made of it (tester J #8): `--minutes "1 000,5"` said «1000,5»
— не время. The spaces Word and 1С paste between groups of three digits (thin U+2009, figure U+2007, punctuation
U+2008) are read as NBSP is — in minutes, amounts, days, rates and hours alike; a thin-space «1 000» was refused as
«1 000» — не время, which looks exactly like the accepted form. Where a space is still refused, the message says why."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.domain.money import parse_decimal
from app.errors import UserError
from app.services.worklog import parse_minutes

THIN, FIGURE, PUNCT, EN_SPACE = "\u2009", "\u2007", "\u2008", "\u2002"


def _entries(cli) -> list[dict]:
    status, out, err = cli("log", "list", "1", "--json")
    assert status == 0, err
    return json.loads(out)["entries"]


@pytest.mark.parametrize("typed", ["1 000,5", " -1 000", "1 0", "1 000,5 мин"])
def test_a_refused_time_is_quoted_as_typed(act_setup, typed):
    cli = act_setup
    status, _out, err = cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-06", "--minutes", typed)
    assert status == 2 and "Traceback" not in err
    assert f"«{typed.strip()}»" in err, err
    assert len(_entries(cli)) == 1


def test_a_space_out_of_place_in_minutes_is_explained():
    with pytest.raises(UserError) as error:
        parse_minutes("1 0")
    assert error.value.message == ("«1 0» — не время: пробелы ставятся только между группами из трёх цифр, "
                                   "например 1 000.")
    with pytest.raises(UserError, match=r"^«1 2 ч» — не время: пробелы ставятся только между группами"):
        parse_minutes("1 2 ч")


@pytest.mark.parametrize("space", [THIN, FIGURE, PUNCT])
def test_word_and_1c_spaces_between_groups_are_taken_everywhere(act_setup, space):
    cli = act_setup
    for argv in (("--kind", "questions", "--minutes", f"1{space}000"),
                 ("--kind", "transfer", "--amount", f"234{space}567,50"),
                 ("--kind", "questions", "--minutes", f"45{space}мин")):
        status, _out, err = cli("log", "add", "1", "--date", "2026-10-07", *argv)
        assert status == 0, (argv, err)
    measures = {(e["minutes"], e["amount"]) for e in _entries(cli)}
    assert measures == {(55, None), (1000, None), (None, "234567.50"), (45, None)}
    assert parse_decimal(f"12{space}345,5", "Часы") == Decimal("12345.5")
    assert parse_minutes(f"1{space}440") == 1440
    status, out, err = cli("estimate", "--approach", "remote", "--conference-hours", f"1{space}000", "--json")
    assert status == 0 and json.loads(out)["lines"][0]["quantity"] in ("1000", "1000.00"), (out, err)


@pytest.mark.parametrize("space", [THIN, FIGURE, PUNCT])
def test_word_spaces_out_of_place_are_still_refused_with_the_reason(act_setup, space):
    cli = act_setup
    status, _out, err = cli("log", "add", "1", "--kind", "onsite_day", "--date", "2026-10-07", "--days", f"1{space}0")
    assert status == 2 and "пробелы ставятся только между группами из трёх цифр" in err, err
    assert f"«1{space}0»" in err
    assert len(_entries(cli)) == 1


def test_an_unusual_space_is_named_not_taken_for_a_bad_number(act_setup):
    cli = act_setup
    status, _out, err = cli("log", "add", "1", "--kind", "transfer", "--date", "2026-10-07", "--amount",
                            f"1{EN_SPACE}000")
    assert status == 2 and f"«1{EN_SPACE}000» — не число: в нём необычный знак пробела (U+2002)" in err, err
    status, _out, err = cli("log", "add", "1", "--kind", "questions", "--date", "2026-10-07", "--minutes",
                            f"1{EN_SPACE}000")
    assert status == 2 and "не время: в нём необычный знак пробела (U+2002)" in err, err
    with pytest.raises(UserError, match=r"^Поле «Ставка»: .* необычный знак пробела \(U\+2002\)"):
        parse_decimal(f"1{EN_SPACE}500", "Ставка")
    assert len(_entries(cli)) == 1


def test_the_lesson_plan_quotes_a_bad_number_as_typed():
    from app.services.lessons_import import parse_lesson_plan

    with pytest.raises(UserError) as error:
        parse_lesson_plan(b"code;number;title;section;stage;duration_min\nL1;1;A;B;1;1 000,5\n",
                          "plan.csv")
    assert "«1 000,5» — не целое число" in "\n".join(error.value.details), error.value.details
