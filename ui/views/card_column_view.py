"""A kanban column's view: one card per row of a one-column table, every row as high as a card."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyleOptionViewItem, QTableView, QWidget


class CardColumnView(QTableView):
    """The cards of one stage, one per row, each row the height the item delegate's ``sizeHint`` gives a card.

    Why a table and not a QListView: after every inserted or removed row (a move, a search keystroke, a reload) a
    QListView lays out all its rows again, uniform item sizes or not (Qt's ``QListModeViewBase::doStaticLayout``
    asks the model for each row's index): ~75 ns a row, 1.2 ms for a 15 000-card column at 50 000 clients, twice per
    move and up to five times per keystroke (issue 15 §3). A table with fixed-height rows keeps the rows'
    positions in its vertical header and places them arithmetically: a row inserted or removed is O(1) in the view.

    Behaves as the list did: no grid, no headers, the card as wide as the viewport, whole rows selected, Tab leaves
    the view (it does not walk the cells), Home and End go to the first and the last card (a table's go to the
    row's first and last cell), scrolled by pixel, one card a wheel step. The row height follows the view's font
    and style (``changeEvent``) and the delegate set (``setItemDelegate``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setCornerButtonEnabled(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setMinimumSectionSize(1)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns = self.horizontalHeader()
        columns.hide()
        columns.setMinimumSectionSize(1)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fit_rows()

    def row_height(self) -> int:
        """Pixels: the height the item delegate asks for a card in this view's font (at least 1)."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        return max(1, self.itemDelegate().sizeHint(option, QModelIndex()).height())

    def fit_rows(self) -> None:
        """Make every row ``row_height()`` pixels high (one number for all rows: nothing per row), and a scroll
        step one card, as the list's was."""
        height = self.row_height()
        if self.verticalHeader().defaultSectionSize() != height:
            self.verticalHeader().setDefaultSectionSize(height)
        self.verticalScrollBar().setSingleStep(height)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action in (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier  # a table's Ctrl+Home/End: the first/last row
        return super().moveCursor(action, modifiers)

    def setItemDelegate(self, delegate) -> None:
        super().setItemDelegate(delegate)
        self.fit_rows()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_rows()
