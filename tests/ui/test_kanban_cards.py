"""Kanban cards are painted from a pixmap cache: equal cards look the same, a changed card is repainted."""

from __future__ import annotations

from tests.ui.test_client_models import ROWS, TODAY, summary
from ui.models.clients import ClientTableModel
from ui.views.kanban import KanbanBoard


def _column_image(board: KanbanBoard, stage: int):
    view = board.view_of(stage)
    return view.viewport().grab().toImage()


def test_cached_cards_match_fresh_paint_and_follow_changes(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(ROWS))
    board = KanbanBoard(model)
    qtbot.addWidget(board)
    board.resize(1000, 500)
    board.show()
    qtbot.waitExposed(board)
    first = _column_image(board, 1)
    assert board.delegate._cache  # the cards went through the cache
    again = _column_image(board, 1)  # from the cache
    assert again == first
    board.delegate._cache.clear()
    assert _column_image(board, 1) == first  # painting afresh gives the same picture

    model.update_rows([2], [summary(2, "АО «Другое имя»", stage=1, days=45, inn="6312345678",
                                    contact="Кузнецов Андрей", phone="+7 846 374-12-90")])
    renamed = _column_image(board, 1)
    assert renamed != first
    model.update_rows([2], [ROWS[1]])
    assert _column_image(board, 1) == first


def test_a_cards_budget_line_never_cuts_a_sum(qtbot):
    from decimal import Decimal

    from PySide6.QtGui import QFont, QFontMetrics

    from app.services.budget import BudgetSummary
    from ui.views.kanban import budget_text

    over = BudgetSummary(1, Decimal("300000.00"), Decimal("267400.00") + 40000, Decimal(10), Decimal(12),
                         Decimal(0), Decimal(0), True)
    metrics = QFontMetrics(QFont())
    wide = budget_text(over, metrics, 2000)
    assert wide.startswith("▲ Факт 307 400 из 300 000")
    for width in range(metrics.horizontalAdvance("▲ 307 400 ₽") + 1, metrics.horizontalAdvance(wide) + 20, 7):
        text = budget_text(over, metrics, width)
        assert "…" not in text and "307 400" in text and metrics.horizontalAdvance(text) <= width
    assert budget_text(over, metrics, metrics.horizontalAdvance(wide) - 1) == "▲ 307 400 из 300 000 ₽"
