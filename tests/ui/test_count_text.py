"""Counts of thousands are grouped as the UI language writes them (app.i18n.format_number): «1 437» in Russian,
«1,437» in English (trial 16: the board's headers and the status bar said «1443»)."""

from __future__ import annotations

import pytest

from app import i18n
from app.domain.stages import Stage
from app.i18n import format_number
from tests.ui.test_client_models import TODAY, summary
from ui.models.clients import ClientTableModel
from ui.models.kanban_columns import KanbanColumnModel
from ui.views.kanban import KanbanColumn
from ui.views.kanban_card import CardDelegate

SP = " "  # babel's no-break space made a plain one, as every number the app writes


@pytest.fixture
def locale_of():
    """Switch the UI language as the settings do; the tests' Russian comes back afterwards."""
    before = i18n.language()
    yield i18n.set_language
    i18n.set_language(before)


def test_counts_group_by_the_language_and_as_babel_does(locale_of):
    """Whole numbers are written without babel (the window's first screen must not wait ~30 ms for its data),
    and exactly as babel writes them for the language."""
    numbers = (0, 7, 999, 1000, 1437, 50000, 1234567, -1437)
    locale_of("ru")
    assert [format_number(n) for n in numbers[:7]] == [
        "0", "7", "999", f"1{SP}000", f"1{SP}437", f"50{SP}000", f"1{SP}234{SP}567"]
    assert [format_number(n) for n in numbers] == [format_number(n, locale="ru_RU") for n in numbers]
    locale_of("en")
    assert [format_number(n) for n in (999, 1437, 1234567)] == ["999", "1,437", "1,234,567"]
    assert [format_number(n) for n in numbers] == [format_number(n, locale="en_US") for n in numbers]


def test_a_column_of_thousands_groups_its_count_and_limit(qtbot, locale_of):
    """The header's whole line, its shorter forms and its tooltip: 1 437 clients over a soft limit of 1 200."""
    locale_of("ru")
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows([summary(i, f"ООО «Клиент {i:04d}»", stage=1, days=3 + i % 40) for i in range(1, 1438)])
    column = KanbanColumn(Stage.INTRO, KanbanColumnModel(1, model), CardDelegate())
    qtbot.addWidget(column)
    column.limit = 1200
    column.update_header()
    first, tip = column.header.toolTip().split("\n")
    assert first == f"Этап 1 · 1{SP}437 / 1{SP}200 ⚠"
    assert f"1{SP}200" in tip and f"1{SP}437" in tip


def test_the_attention_title_groups_its_count(qtbot, locale_of):
    from app.services.reminders import Reminder
    from ui.views.attention_panel import AttentionPanel

    locale_of("ru")
    panel = AttentionPanel()
    qtbot.addWidget(panel)
    panel.set_reminders([Reminder("stalled", i, f"Клиент {i}", "этап не менялся 40 дн.") for i in range(1, 1502)])
    assert panel.title.text() == f"Требует внимания (1{SP}501)"


def test_the_messages_of_imports_exports_and_long_texts_group_their_numbers():
    """Trial 17: «Добавлено: 420376», «Заказчик: 5000», «2500 символов, допустимо не больше 2000» — grouped now
    (app.i18n.format_number in the shared service texts, CLI included; ``format_number`` in the window's own)."""
    from collections import Counter

    from app.domain.validation import _check_length
    from app.errors import UserError
    from app.exchange.merge_report import MergeReport

    report = MergeReport(added=Counter({"client": 5000, "work_log": 300000}), unchanged=1200, versioned=True)
    lines = report.lines()
    assert "305 000" in lines[0] and "1 200" in lines[0]
    assert any(line.endswith(": 5 000") for line in lines) and any(line.endswith(": 300 000") for line in lines)
    with pytest.raises(UserError) as refused:
        _check_length("я" * 2500, "Примечание", 2000)
    assert "2 500" in refused.value.message and "2 000" in refused.value.message
