"""A kanban column's view: a row inserted or removed costs the same at any column length; rows are card-high."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QStringListModel
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QListView

from tests.ui.test_client_models import ROWS, TODAY
from ui.models.clients import ClientTableModel
from ui.views.card_column_view import CardColumnView
from ui.views.kanban import KanbanBoard


class CountingModel(QStringListModel):
    """Counts the views' ``index()`` calls: what a view does per row of the model shows there."""

    calls = 0

    def index(self, row: int, column: int = 0, parent=QModelIndex()):  # noqa: B008
        CountingModel.calls += 1
        return super().index(row, column, parent)


def _calls_for_one_row_change(view_class, rows: int, qtbot) -> int:
    model = CountingModel([""] * rows)
    view = view_class()
    qtbot.addWidget(view)
    if isinstance(view, QListView):
        view.setUniformItemSizes(True)  # the best a QListView can do
    view.setModel(model)
    view.resize(200, 600)
    view.show()
    qtbot.waitExposed(view)
    CountingModel.calls = 0
    model.insertRows(rows // 2, 1)
    view.executeDelayedItemsLayout()
    view.viewport().repaint()
    model.removeRows(rows // 3, 1)
    view.executeDelayedItemsLayout()
    view.viewport().repaint()
    return CountingModel.calls


def test_a_row_inserted_or_removed_does_not_visit_every_row(qtbot):
    """Issue 15 §3: at 50 000 clients a column holds ~15 000 cards, and a move inserts a card into one column
    and removes it from another. A QListView lays out every row again after either (two index() calls a row,
    here ≥ 20 000); this view visits only the rows on screen, the same number at 1 000 rows and at 10 000."""
    small = _calls_for_one_row_change(CardColumnView, 1_000, qtbot)
    large = _calls_for_one_row_change(CardColumnView, 10_000, qtbot)
    assert large == small
    assert large < 500
    assert _calls_for_one_row_change(QListView, 10_000, qtbot) >= 20_000  # what the view replaces


def test_rows_are_as_high_as_a_card_and_follow_the_font(qtbot):
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(ROWS))
    board = KanbanBoard(model)
    qtbot.addWidget(board)
    board.resize(1000, 500)
    board.show()
    qtbot.waitExposed(board)
    view = board.view_of(1)
    assert isinstance(view, CardColumnView)
    card = board.delegate.sizeHint(_option(view), view.model().index(0, 0)).height()
    assert view.rowHeight(0) == card
    assert view.columnWidth(0) == view.viewport().width()  # the card spans the column
    bigger = QFont(view.font())
    bigger.setPointSizeF(view.font().pointSizeF() * 2)
    view.setFont(bigger)
    assert view.rowHeight(0) > card
    assert view.rowHeight(0) == board.delegate.sizeHint(_option(view), view.model().index(0, 0)).height()


def _option(view):
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    return option


def test_a_selected_card_has_no_highlight_around_it(qtbot):
    """A table's style paints a selected row's background before the delegate; the card's margins stay the
    column's base colour, as they were in a list (the selection is the card's own border)."""
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(ROWS))
    board = KanbanBoard(model)
    qtbot.addWidget(board)
    board.resize(1000, 500)
    board.show()
    qtbot.waitExposed(board)
    view = board.view_of(1)
    index = view.model().index(0, 0)
    view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    image = view.viewport().grab().toImage()
    corner = view.visualRect(index).topLeft()
    base = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Base)
    highlight = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    assert base != highlight
    seen = image.pixelColor(corner.x() + 1, corner.y() + 1)
    assert seen.rgb() != highlight.rgb()
    assert seen.rgb() == base.rgb()


def test_tab_leaves_the_column(qtbot):
    view = CardColumnView()
    qtbot.addWidget(view)
    assert not view.tabKeyNavigation()  # Tab goes to the next widget, not through the cells
    assert view.verticalHeader().isHidden() and view.horizontalHeader().isHidden()
    assert not view.showGrid()
