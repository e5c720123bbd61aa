"""English interface leftovers (tester N, item 9): stage titles in the checklist's group rows were Russian, money
read «RUB1,234.56» (no space between the code and the digits), the calculator wrote «as of 2024-07-01» beside
dates written 05.12.2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app import i18n
from app.services.progress import ChecklistItem
from ui.models.checklist import StageChecklistModel


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("ru")


ITEMS = [ChecklistItem("s1.lessons", 1, "Видеоуроки", True, date(2024, 8, 1), None),
         ChecklistItem("s2.inventory", 2, "Инвентаризация", False, None, None),
         ChecklistItem("s3.support", 3, "Сопровождение", False, None, None)]


def test_the_checklist_names_the_default_stages_in_english_and_a_renamed_one_as_typed(english):
    model = StageChecklistModel()
    model.set_stage_info({1: "Ознакомительный", 2: "Ввод текущих данных и опытная эксплуатация", 3: "Свой этап"}, {})
    model.set_items(ITEMS, current_stage=2)
    rows = [model.index(r, 0).data() for r in range(3)]
    assert rows == ["Stage 1. Introductory", "Stage 2. Entering current data and trial operation (current)",
                    "Stage 3. Свой этап"]


def test_the_russian_checklist_keeps_its_titles():
    model = StageChecklistModel()
    model.set_stage_info({1: "Ознакомительный", 2: "Ввод текущих данных и опытная эксплуатация",
                          3: "Функционирование системы в полном объёме"}, {})
    model.set_items(ITEMS, current_stage=2)
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Этап 1. Ознакомительный", "Этап 2. Ввод текущих данных и опытная эксплуатация (текущий)",
        "Этап 3. Функционирование системы в полном объёме"]


def test_english_money_parts_the_currency_code_from_the_digits(english):
    assert i18n.format_money(Decimal("1234.56")) == "RUB 1,234.56"
    assert i18n.format_money(Decimal("-42600")) == "-RUB 42,600.00"
    assert i18n.format_money(Decimal("593.97"), "USD") == "$593.97"


def test_russian_money_is_unchanged():
    assert i18n.format_money(Decimal("1234.56")) == "1 234,56 ₽"


def test_the_calculator_writes_the_usd_date_as_every_date_field(qtbot, db, english):
    from ui.views.calculator import CostCalculator

    calc = CostCalculator(db)
    qtbot.addWidget(calc)
    calc.inputs["conference_hours"].setText("2")
    assert "as of 01.07.2024" in calc.usd_label.text() and "2024-07-01" not in calc.usd_label.text()
