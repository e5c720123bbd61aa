"""Issue 15: below 1 366 px the five kanban columns no longer overlap their lists; the board scrolls sideways."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import QApplication

from tests.ui.test_client_models import ROWS, TODAY
from ui.models.clients import ClientTableModel
from ui.views.kanban import KanbanBoard


def _board(qtbot, width: int) -> KanbanBoard:
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(ROWS))
    board = KanbanBoard(model)
    qtbot.addWidget(board)
    board.resize(width, 500)
    board.show()
    qtbot.waitExposed(board)
    QApplication.processEvents()
    return board


def _assert_no_overlap(board: KanbanBoard) -> None:
    rights = []
    for column in board.columns:
        list_rect = column.view.geometry()
        assert list_rect.width() >= 150
        assert column.contentsRect().contains(list_rect), (column.objectName(), column.geometry(), list_rect)
        rights.append((column.geometry().left(), column.geometry().right()))
    for (_left, right), (next_left, _next_right) in pairwise(rights):
        assert right < next_left  # side by side, never on top of each other


def test_a_narrow_board_scrolls_instead_of_overlapping(qtbot):
    """The kanban area of a 1 000 px window is ~670 px: five 150 px lists do not fit and once overlapped."""
    board = _board(qtbot, 670)
    _assert_no_overlap(board)
    bar = board.scroller.horizontalScrollBar()
    assert bar.maximum() > 0  # the last column is reached by scrolling
    column = board.columns[4]
    assert column.mapTo(board.scroller.viewport(), column.rect().topRight()).x() > board.scroller.viewport().width()
    board.select_client(4)  # «Пермский кабельный завод», stage 4: out of sight, the board scrolls to it
    QApplication.processEvents()
    left = column.mapTo(board.scroller.viewport(), column.rect().topLeft()).x()
    assert left >= 0 and left + column.width() <= board.scroller.viewport().width()
    assert column.view.currentIndex().data() == "ООО «Пермский кабельный завод»"


def test_a_wide_board_shows_all_five_columns_without_a_scroll_bar(qtbot):
    board = _board(qtbot, 1040)  # the kanban area of a 1 366 px window
    _assert_no_overlap(board)
    assert board.scroller.horizontalScrollBar().maximum() == 0
    assert board.columns[-1].geometry().right() <= board.scroller.viewport().width()
