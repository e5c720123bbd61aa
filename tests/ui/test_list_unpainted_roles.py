"""The client list repaints nothing for a change it does not paint: the reload's question counts and budgets each
announced every row for the board's cards, and the list's whole viewport was painted twice a reload for them."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt

from app.services.budget import BudgetSummary
from tests.ui.test_client_models import ROWS, TODAY
from ui.models.clients import ClientTableModel
from ui.views.client_list import ClientListPanel


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _shown(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(ROWS))
    panel = ClientListPanel(model)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    paints = _Paints()
    panel.view.viewport().installEventFilter(paints)
    qtbot.wait(50)
    paints.count = 0
    return model, panel, paints


def _settled(qtbot) -> None:
    qtbot.wait(80)  # posted update requests delivered


def test_budgets_and_question_counts_repaint_nothing_in_the_list(qtbot):
    model, _panel, paints = _shown(qtbot)
    budget = BudgetSummary(client_id=2, planned_total=Decimal("30000.00"), actual_total=Decimal("31500.00"),
                           planned_hours=Decimal(20), actual_hours=Decimal(21), planned_days=Decimal(0),
                           actual_days=Decimal(0), has_estimate=True)
    model.set_budgets({2: budget})
    model.set_question_counts({3: 2})
    _settled(qtbot)
    assert paints.count == 0
    # what the list paints still repaints it: a change of the rows' text, or a change without roles named
    first, last = model.index(0, 0), model.index(model.rowCount() - 1, 0)
    model.dataChanged.emit(first, last, [int(Qt.ItemDataRole.DisplayRole)])
    _settled(qtbot)
    assert paints.count >= 1
    paints.count = 0
    model.dataChanged.emit(first, last, [])
    _settled(qtbot)
    assert paints.count >= 1
