"""A client's questions log: the table, «only open» switch and the buttons; it holds no database."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.questions import QuestionRow
from ui.models.questions import OpenQuestionsProxy, QuestionsModel


class QuestionsLogView(QWidget):
    """Shows QuestionRow lists; asks for actions through signals with the question's id."""

    add_requested = Signal()
    close_requested = Signal(int)
    edit_requested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("questionsLog")
        self.model = QuestionsModel(self)
        self.proxy = OpenQuestionsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("questionsTable")
        self.table.setAccessibleName(_("Questions log"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(QuestionsModel.COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setSectionResizeMode(QuestionsModel.COL_QUESTION, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._emit(self.edit_requested))
        self.open_only = QCheckBox(_("Only open"))
        self.open_only.toggled.connect(self.proxy.set_open_only)
        self.add_button = QPushButton(_("New question…"))
        self.close_button = QPushButton(_("Solved…"))
        self.add_button.setAccessibleName(_("New question"))
        self.close_button.setAccessibleName(_("Solved"))
        self.add_button.clicked.connect(self.add_requested)
        self.close_button.clicked.connect(lambda: self._emit(self.close_requested))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def set_questions(self, rows: list[QuestionRow]) -> None:
        self.model.set_rows(rows)
        for column in (QuestionsModel.COL_DATE, QuestionsModel.COL_CHANNEL, QuestionsModel.COL_WHO,
                       QuestionsModel.COL_STATUS, QuestionsModel.COL_TIME):
            self.table.resizeColumnToContents(column)
        self._update_buttons()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return index.data(QuestionsModel.QuestionIdRole)

    def _selected_status(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(QuestionsModel.StatusRole) if index.isValid() else None

    def _emit(self, signal) -> None:
        question_id = self.selected_id()
        if question_id is not None:
            signal.emit(question_id)

    def _update_buttons(self, *args) -> None:
        self.close_button.setEnabled(self.selected_id() is not None and self._selected_status() == "open")
