"""The documents' money format without babel per amount (app/reports/text.py ``amount``) is babel's ru_RU
«#,##0.00» with non-breaking group spaces and «−», for every amount the snapshots hold and beyond."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.i18n import format_amount
from app.reports import text as t


def babel_amount(value: Decimal) -> str:
    text = format_amount(abs(value), locale="ru_RU").replace(" ", t.NBSP).replace("\u202f", t.NBSP)
    return (t.MINUS + text) if value < 0 else text


@settings(max_examples=500, deadline=None)
@given(st.decimals(min_value=-10**12, max_value=10**12, allow_nan=False, allow_infinity=False, places=2))
def test_kopeck_amounts_read_as_babel_writes_them(value):
    assert t.amount(value) == babel_amount(value)
    assert t.amount(str(value)) == babel_amount(value)


@given(st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False, allow_infinity=False, places=4))
def test_finer_amounts_still_go_through_babel(value):
    assert t.amount(value) == babel_amount(value)


def test_examples():
    assert t.amount("26250.00") == "26\u00a0250,00"
    assert t.amount(Decimal("1E+3")) == "1\u00a0000,00"
    assert t.amount(0) == "0,00" and t.amount("999") == "999,00" and t.amount("1000.5") == "1\u00a0000,50"
