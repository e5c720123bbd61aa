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


def shown_board(qtbot, rows=ROWS, width: int = 1000, height: int = 500) -> KanbanBoard:
    """A board over ``rows`` (ClientSummary), shown at ``width`` × ``height``."""
    model = ClientTableModel(today=lambda: TODAY)
    model.set_rows(list(rows))
    board = KanbanBoard(model)
    qtbot.addWidget(board)
    board.resize(width, height)
    board.show()
    qtbot.waitExposed(board)
    return board


def test_rows_are_as_high_as_a_card_and_follow_the_font(qtbot):
    board = shown_board(qtbot)
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
    board = shown_board(qtbot)
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


def _long_board(qtbot) -> KanbanBoard:
    from tests.ui.test_client_models import _many

    return shown_board(qtbot, _many(300), 1366, 700)


def test_keys_move_through_the_cards_as_in_a_list(qtbot):
    """Home and End go to the first and the last card (a table's plain Home/End stay in the row: a fresh reviewer
    found them dead in a one-column table); the other keys go where a QListView of the same cards goes."""
    from PySide6.QtCore import Qt

    board = _long_board(qtbot)
    view = board.view_of(1)
    rows = view.model().rowCount()
    assert rows > 40
    plain, ctrl = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier
    keys = [(Qt.Key.Key_PageDown, plain), (Qt.Key.Key_PageDown, plain), (Qt.Key.Key_PageUp, plain),
            (Qt.Key.Key_End, plain), (Qt.Key.Key_Home, plain), (Qt.Key.Key_End, ctrl), (Qt.Key.Key_Home, ctrl),
            (Qt.Key.Key_Down, plain), (Qt.Key.Key_Up, plain)]

    def walk(target) -> list[int]:
        target.setFocus()
        target.setCurrentIndex(target.model().index(10, 0))
        seen = []
        for key, modifiers in keys:
            qtbot.keyClick(target, key, modifiers)
            seen.append(target.currentIndex().row())
        return seen

    table = walk(view)
    assert table[3:7] == [rows - 1, 0, rows - 1, 0]
    listed = QListView()
    qtbot.addWidget(listed)
    listed.setModel(view.model())
    listed.setItemDelegate(board.delegate)
    listed.setUniformItemSizes(True)
    listed.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    listed.resize(view.size())
    listed.show()
    qtbot.waitExposed(listed)
    assert table[3:] == walk(listed)[3:]  # (a page is a few pixels shorter in the table: PageDown may differ)


def test_a_wheel_step_is_one_card(qtbot):
    board = _long_board(qtbot)
    view = board.view_of(1)
    assert view.verticalScrollBar().singleStep() == view.rowHeight(0)
    view.setFont(QFont(view.font().family(), 20))
    assert view.verticalScrollBar().singleStep() == view.rowHeight(0)


def test_cards_follow_the_application_theme_with_a_palette_of_their_own(qtbot):
    """A view whose palette is its own (not the application's) keeps its palette key when the theme turns dark;
    the cards' strips and marks come from the application palette's lightness (ui.palette), so the style made for
    the light theme must not be reused (a fresh reviewer's case)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
    from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

    from tests.ui.test_card_measurements import _cards
    from ui.views.kanban_card import CardDelegate

    card = _cards()[0]
    fixed = QPalette(QApplication.palette())

    def picture(delegate: CardDelegate) -> bytes:
        font = QApplication.font()
        option = QStyleOptionViewItem()
        option.font, option.palette, option.fontMetrics = font, fixed, QFontMetrics(font)
        option.state = QStyle.StateFlag.State_Enabled
        option.rect = QRect(0, 0, 200, 4 * (option.fontMetrics.height() + 3) + 24)
        image = QImage(200, option.rect.height(), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        delegate.paint_card(painter, option, *card)
        painter.end()
        return bytes(image.constBits())

    delegate = CardDelegate()
    light_card = picture(delegate)
    light = QApplication.palette()
    QApplication.setPalette(QPalette(QColor("#2b2b2b")))
    try:
        dark_card = picture(delegate)
        assert dark_card == picture(CardDelegate())
        assert dark_card != light_card
    finally:
        QApplication.setPalette(light)
