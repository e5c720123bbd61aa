"""The «Агенда» view: overdue, today's and this week's planned events, conflicts marked; it holds no database."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QByteArray, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_number
from app.services.plan import Agenda
from ui.models.agenda import AgendaModel


class AgendaView(QWidget):
    """Shows an Agenda (app.services.plan.agenda). Asks for actions through signals with the event's id;
    double-clicking an event asks to open its client."""

    add_requested = Signal()
    complete_requested = Signal(int)
    edit_requested = Signal(int)
    cancel_requested = Signal(int)
    client_requested = Signal(int)

    def __init__(self, parent=None, viewer: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaView")
        self.model = AgendaModel(self, viewer)
        self.title = QLabel()
        self.title.setObjectName("agendaTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("agendaSummary")
        self.table = QTableView()
        self.table.setObjectName("agendaTable")
        self.table.setAccessibleName(_("Agenda"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # rows as tall as a line of text: at 1366×768 the dock showed one event under its headings
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # the widths the user set (or the last session's: restore_header) are kept; each new agenda sized its
        # columns to their contents again (tester K: 200/120 came back as 157/320 at every start)
        self._own_widths = False
        self._sizing = False
        header.sectionResized.connect(self._section_resized)
        self.table.doubleClicked.connect(self._open_client)
        self.add_button = QPushButton(_("Plan an event…"))
        self.edit_button = QPushButton(_("Change…"))
        self.done_button = QPushButton(_("Done…"))
        self.cancel_button = QPushButton(_("Cancel event…"))
        self.client_button = QPushButton(_("Open client"))
        for button in (self.add_button, self.edit_button, self.done_button, self.cancel_button, self.client_button):
            button.setAccessibleName(button.text().rstrip("…"))
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(lambda: self._emit_event(self.edit_requested))
        self.done_button.clicked.connect(lambda: self._emit_event(self.complete_requested))
        self.cancel_button.clicked.connect(lambda: self._emit_event(self.cancel_requested))
        self.client_button.clicked.connect(lambda: self._open_client(self.table.currentIndex()))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.done_button, self.cancel_button, self.client_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        heading = QHBoxLayout()  # title and counts on one line: the dock under the board stays low (1366×768)
        heading.addWidget(self.title)
        heading.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addLayout(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_agenda(self, agenda: Agenda, now: datetime | None = None) -> None:
        self.model.set_agenda(agenda, now)
        self.title.setText(_("Agenda — {date}").format(date=agenda.today.strftime("%d.%m.%Y")))
        parts = [_("overdue: {n}").format(n=format_number(len(agenda.overdue))),
                 _("today: {n}").format(n=format_number(len(agenda.today_rows))),
                 _("later this week: {n}").format(n=format_number(len(agenda.week_rows)))]
        if agenda.conflict_count:
            parts.append("⚠ " + _("overlapping: {n}").format(n=format_number(agenda.conflict_count)))
        self.summary.setText(" · ".join(parts) if agenda.rows else _("Nothing planned for this week."))
        if not self._own_widths:
            self._sizing = True
            try:
                self.table.resizeColumnsToContents()
                for column in range(self.model.columnCount()):
                    self.table.setColumnWidth(column, min(self.table.columnWidth(column), 320))
            finally:
                self._sizing = False
        self.table.setCurrentIndex(self.model.index(-1, -1))  # no focus frame on a section title
        self._update_buttons()

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        """A column the user dragged (not the stretched last one, which follows the dock's width)."""
        if not self._sizing and column != self.model.columnCount() - 1:
            self._own_widths = True

    def header_state(self) -> QByteArray:
        """The columns' widths and order, for the window's settings."""
        return self.table.horizontalHeader().saveState()

    def restore_header(self, state: object) -> bool:
        """Widths saved by ``header_state`` (a value read from the settings: anything else is ignored); kept
        from then on."""
        if not isinstance(state, QByteArray) or state.isEmpty():
            return False
        self._sizing = True
        try:
            restored = self.table.horizontalHeader().restoreState(state)
        finally:
            self._sizing = False
        self._own_widths = self._own_widths or restored
        return restored

    def selected_event_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return index.data(AgendaModel.EventIdRole)

    def _emit_event(self, signal) -> None:
        event_id = self.selected_event_id()
        if event_id is not None:
            signal.emit(event_id)

    def _open_client(self, index) -> None:
        client_id = index.data(AgendaModel.ClientIdRole) if index.isValid() else None
        if client_id is not None:
            self.client_requested.emit(client_id)

    def _update_buttons(self, *args) -> None:
        chosen = self.selected_event_id() is not None
        for button in (self.edit_button, self.done_button, self.cancel_button, self.client_button):
            button.setEnabled(chosen)
