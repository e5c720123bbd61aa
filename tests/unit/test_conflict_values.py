"""Issue 17 (trial finding 9): one conflict's two values read the same in `sync conflicts`, the window and a
bundle's import report — ``app.team.display.conflict_value``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.team.display import conflict_value


@pytest.mark.parametrize(("table", "field", "value", "shown"), [
    ("checklist_state", "done", True, "да"),
    ("checklist_state", "done", "False", "нет"),
    ("checklist_state", "done_on", "2026-11-02", "02.11.2026"),
    ("client", "stage", 2, "Этап 2"),
    ("client", "stage", "0", "Новый"),
    ("client", "approach", "onsite", "Выездное внедрение"),
    ("estimate", "transfer", "2500.50", "2 500,50 ₽"),
    ("estimate", "total", Decimal("15750"), "15 750,00 ₽"),
    ("work_log", "amount", "1000.00", "1 000,00 ₽"),
    ("work_log", "days", "1.50", "1,5"),
    ("estimate", "conference_hours", "2.00", "2"),
    ("client", "city", "Химки", "Химки"),
    ("client", "city", None, ""),
])
def test_a_value_reads_as_a_person_reads_it(table, field, value, shown):
    assert conflict_value(table, field, value) == shown


def test_a_member_by_name_and_an_unknown_login_as_it_is():
    people = {"petrov": "Петров Пётр"}
    assert conflict_value("client", "specialist_login", "petrov", people) == "Петров Пётр"
    assert conflict_value("client", "manager_login", "gone", people) == "gone"
    assert conflict_value("client", "city", "petrov", people) == "petrov"  # not a member's field


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "", "1e999999999"])
def test_a_value_that_does_not_parse_is_shown_as_it_is(value):
    assert conflict_value("estimate", "transfer", value) == value
    assert conflict_value("work_log", "days", value) == value
