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


def _narrow_window(qtbot, db, tmp_path):
    from app.services.demo import fill_demo
    from tests.ui.test_main_window import make_window
    from ui.dialogs.stages.move_guard import MoveDecision
    from ui.main_window import TAB_BOARD

    fill_demo(db)
    window = make_window(qtbot, db, tmp_path)
    window.resize(1000, 700)
    window.show_tab(TAB_BOARD)
    window.move_dialog = lambda *args: MoveDecision(reason="проверка", force=True)
    QApplication.processEvents()
    return window


def _in_sight(board: KanbanBoard, stage: int) -> bool:
    column = board.columns[stage]
    left = column.mapTo(board.scroller.viewport(), column.rect().topLeft()).x()
    return left >= 0 and left + column.width() <= board.scroller.viewport().width()


def test_a_keyboard_move_into_a_column_out_of_sight_scrolls_the_board_to_the_card(qtbot, db, tmp_path):
    from PySide6.QtCore import Qt

    from app.services.client_list import list_clients
    from ui.models.client_roles import ClientRole

    window = _narrow_window(qtbot, db, tmp_path)
    board = window.work_area.board
    _assert_no_overlap(board)
    assert board.scroller.horizontalScrollBar().maximum() > 0
    client = next(c for c in list_clients(db) if c.stage == 3)
    window.set_current_client(client.id)
    board.scroller.horizontalScrollBar().setValue(0)  # the stage-4 column out of sight
    QApplication.processEvents()
    assert not _in_sight(board, 4)
    view = board.view_of(3)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.work_area.clients.summary(client.id).stage == 4, timeout=3000)
    QApplication.processEvents()
    assert _in_sight(board, 4)
    assert board.view_of(4).currentIndex().data(ClientRole.ID) == client.id
    total = sum(1 for c in list_clients(db) if c.stage == 4)
    assert f"· {total}" in board.columns[4].header.text()
    assert window.errors == []


def test_a_drop_on_a_scrolled_column_moves_the_card_and_counts_follow(qtbot, db, tmp_path):
    from app.services.client_list import list_clients
    from tests.ui.test_main_window import _drop, client_at
    from ui.models.client_filter import ClientFilter
    from ui.models.client_roles import ClientRole

    window = _narrow_window(qtbot, db, tmp_path)
    board = window.work_area.board
    client_id = client_at(db, 3)
    board.scroller.horizontalScrollBar().setValue(board.scroller.horizontalScrollBar().maximum())
    QApplication.processEvents()
    source = board.view_of(3).model()
    row = next(r for r in range(source.rowCount()) if source.index(r, 0).data(ClientRole.ID) == client_id)
    _drop(board.view_of(4), source.mimeData([source.index(row, 0)]))
    qtbot.waitUntil(lambda: window.work_area.clients.summary(client_id).stage == 4, timeout=3000)
    target = board.view_of(4).model()
    assert client_id in [target.index(r, 0).data(ClientRole.ID) for r in range(target.rowCount())]
    QApplication.processEvents()
    counts = [sum(1 for c in list_clients(db) if c.stage == stage) for stage in range(5)]
    for column, count in zip(board.columns, counts, strict=True):
        assert f"· {count}" in column.header.text()
    name = window.work_area.clients.summary(client_id).name
    board.set_filter(ClientFilter(text=name))  # the search: «N из M» on the filtered column
    QApplication.processEvents()
    assert f"· 1 из {counts[4]}" in board.columns[4].header.text()
    assert window.errors == []
