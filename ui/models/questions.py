"""The questions log of a client as a table, and a proxy showing only open questions."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from app.i18n import N_
from app.services.questions import QuestionRow
from ui.models.rows import RowsTableModel, day_key

Index = QModelIndex | QPersistentModelIndex


class QuestionsModel(RowsTableModel):
    """Rows are app.services.questions.QuestionRow (newest first, as the service lists them)."""

    COL_DATE, COL_CHANNEL, COL_WHO, COL_QUESTION, COL_STATUS, COL_TIME = range(6)
    HEADERS = (N_("Date"), N_("Channel"), N_("Asked by"), N_("Question"), N_("Status"), N_("Time, min"))
    QuestionIdRole = Qt.ItemDataRole.UserRole + 1
    StatusRole = Qt.ItemDataRole.UserRole + 2
    SortRole = Qt.ItemDataRole.UserRole + 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row: QuestionRow | None = self.valid_row(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_DATE:
                return row.asked_on.strftime("%d.%m.%Y")
            if column == self.COL_CHANNEL:
                return row.channel_title
            if column == self.COL_WHO:
                return row.employee_name
            if column == self.COL_QUESTION:
                return row.question.replace("\n", " ")
            if column == self.COL_STATUS:
                return row.status_title
            if column == self.COL_TIME:
                return "" if row.minutes is None else str(row.minutes)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_QUESTION:
            return row.question + (f"\n\n{row.answer}" if row.answer else "")
        if role == self.QuestionIdRole:
            return row.id
        if role == self.StatusRole:
            return row.status
        if role == self.SortRole:
            if column == self.COL_DATE:  # a day's questions in the order asked, either way (as the work log)
                return day_key(row.asked_on, row.id)
            if column == self.COL_TIME:
                return row.minutes or 0
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None


class OpenQuestionsProxy(QSortFilterProxyModel):
    """Shows only open questions when ``open_only`` is set; sorts by real dates and numbers."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._open_only = False
        self.setSortRole(QuestionsModel.SortRole)

    def set_open_only(self, value: bool) -> None:
        if value != self._open_only:
            self.beginFilterChange()
            self._open_only = value
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._open_only:
            return True
        model = self.sourceModel()
        return model.index(source_row, 0, source_parent).data(QuestionsModel.StatusRole) == "open"
