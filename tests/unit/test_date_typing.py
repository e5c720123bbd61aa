"""The typing rules of the date field, without Qt (ui.dialogs.date_typing): a date typed year first or pasted is
laid in the field's sections as it means, and two digits left of an erased year are no two-digit year."""

from __future__ import annotations

from datetime import date, time

import pytest

from ui.dialogs.date_typing import DATE, DATE_TIME, MONTH, pasted, read, year_first


@pytest.mark.parametrize(("keys", "laid"), [
    ("2026", None),  # four digits may still be a day and a month: the mask takes them
    ("1.4", None),
    ("2026-", ("__.__.2026", 3)),
    ("2026-0", ("__.0_.2026", 4)),
    ("2026-04", ("__.04.2026", 0)),
    ("2026-04-", ("__.04.2026", 0)),  # a separator after a full section does nothing, as in the mask
    ("2026-4-1", ("1_.4_.2026", 1)),
    ("2026.04.01", ("01.04.2026", 2)),
    ("2026-04-01x", None),
])
def test_a_date_typed_year_first(keys, laid):
    assert year_first(keys, DATE, "06.12.2026") == laid


def test_a_date_time_typed_year_first_keeps_the_time_not_typed():
    assert year_first("2026-04-01", DATE_TIME, "06.12.2026 10:00") == ("01.04.2026 10:00", 11)
    assert year_first("2026-04-01 9:3", DATE_TIME, "06.12.2026 10:00") == ("01.04.2026 9_:3_", 15)
    assert year_first("2026-04", MONTH, "12.2026") == ("04.2026", 2)


@pytest.mark.parametrize("clip", ["2026-04-01", "01.04.2026", "1.4.26", "01/04/2026", "1-4-2026", " 2026-04-01\n",
                                  "2026-04-01T09:30:00", "2026-04-01 09:30"])
def test_a_whole_date_pasted(clip):
    assert pasted(clip, DATE, "06.12.2026") == "01.04.2026"


def test_a_pasted_date_in_a_date_time_or_a_month_field():
    assert pasted("2026-04-01 9:30", DATE_TIME, "06.12.2026 10:00") == "01.04.2026 09:30"
    assert pasted("01.04.2026", DATE_TIME, "06.12.2026 10:00") == "01.04.2026 10:00"
    assert pasted("2026-04", MONTH, "12.2026") == pasted("4.26", MONTH, "12.2026") == "04.2026"
    assert pasted("31.04.2027", DATE, "06.12.2026") == "31.04.2027"  # laid, then refused as typed
    for other in ("hello", "", "2026-04", "1.4.2026.9.30"):  # no whole date: the mask takes it as typed
        assert pasted(other, DATE, "06.12.2026") is None
    assert pasted("01.04.2026", MONTH, "12.2026") is None  # a day is not dropped unsaid


def test_two_digits_left_of_an_erased_year_are_refused_two_typed_are_20yy():
    assert read("06.12.20__") == read("06.12.20__", cut=frozenset({"day"}))
    assert (read("06.12.20__").date, read("06.12.20__").time) == (date(2020, 12, 6), time(0, 0))
    cut = read("06.12.20__", cut=frozenset({"year"}))
    assert cut.date is None and cut.problem.startswith("Год введён не полностью (20__): введите год четырьмя")
    assert read("06.12.202_").problem.startswith("Год введён не полностью (202_)")
    assert read("06.12.2020", cut=frozenset({"year"})).date == date(2020, 12, 6)
    assert read("06.12.20__", typing=True, cut=frozenset({"year"})).problem == "Введите дату полностью: ДД.ММ.ГГГГ."
    assert read("1_.12.2026").date == date(2026, 12, 1)  # a day of one digit typed
    assert read("1_.12.2026", cut=frozenset({"day"})).problem == "Введите дату полностью: ДД.ММ.ГГГГ."
