"""The «Агенда» view: overdue, today's and this week's planned events, conflicts marked; it holds no database."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QByteArray, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_number
from app.services.plan_rows import Agenda, PlanPeriod
from ui.models.agenda import AgendaModel

MIN_AGENDA_ROWS = 4  # a low dock puts the buttons beside the table rather than show fewer rows


class AgendaTable(QTableView):
    """The agenda's table: a context menu asked for with the keyboard (the Menu key) opens at the selected row,
    one asked for with the mouse at the row under it (``menu_requested``: position in the viewport)."""

    menu_requested = Signal(QPoint, bool)  # position, from the keyboard

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        self.menu_requested.emit(self.viewport().mapFromGlobal(event.globalPos()), keyboard)
        event.accept()


class AgendaView(QWidget):
    """Shows an Agenda (app.services.plan_read.agenda). Asks for actions through signals with the event's id;
    double-clicking an event asks to open its client. Without a mouse (tester K, 2026-12-05): the buttons have
    Alt-letters, and the table a context menu (the Menu key, Shift+F10) with the same actions and their keys —
    Enter and F2 open the event, Ctrl+Enter marks it done, Delete cancels it, Ctrl+O opens its client."""

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
        self.table = AgendaTable()
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
        # Alt-letters apart from the menu bar's (Ф П З Д В С Н; F E C D V H W): the window's buttons share them
        self.add_button = QPushButton(_("&Plan an event…"))
        self.edit_button = QPushButton(_("Chan&ge…"))
        self.done_button = QPushButton(_("Do&ne…"))
        self.cancel_button = QPushButton(_("C&ancel event…"))
        self.client_button = QPushButton(_("&Open client"))
        for button in (self.add_button, self.edit_button, self.done_button, self.cancel_button, self.client_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(lambda: self._emit_event(self.edit_requested))
        self.done_button.clicked.connect(lambda: self._emit_event(self.complete_requested))
        self.cancel_button.clicked.connect(lambda: self._emit_event(self.cancel_requested))
        self.client_button.clicked.connect(lambda: self._open_client(self.table.currentIndex()))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._make_event_actions()
        # the buttons under the table, or beside it in a low dock: at 1280×720 and 125 % a row of buttons under
        # the table left room for one event (tester O, round 11)
        self.buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for button in (self.add_button, self.edit_button, self.done_button, self.cancel_button, self.client_button):
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        heading = QHBoxLayout()  # title and counts on one line: the dock under the board stays low (1366×768)
        heading.addWidget(self.title)
        heading.addWidget(self.summary, 1)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(self.buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addLayout(heading)
        layout.addLayout(self.body, 1)
        self._update_buttons()

    def buttons_beside(self) -> bool:
        """The buttons stand beside the table (a low dock), not under it."""
        return self.body.direction() == QBoxLayout.Direction.LeftToRight

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        row = self.table.verticalHeader().defaultSectionSize()
        chrome = (self.title.sizeHint().height() + self.table.horizontalHeader().sizeHint().height()
                  + self.table.horizontalScrollBar().sizeHint().height() + self.add_button.sizeHint().height() + 12)
        beside = event.size().height() - chrome < MIN_AGENDA_ROWS * row  # under it fewer rows would show
        if beside != self.buttons_beside():
            self.body.setDirection(QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom)
            self.buttons.setDirection(QBoxLayout.Direction.TopToBottom if beside
                                      else QBoxLayout.Direction.LeftToRight)
            layout = self.layout()
            if layout is not None:
                layout.activate()

    def _make_event_actions(self) -> None:
        """The selected event's actions on the table (their keys work while it has the focus) and in its context
        menu; Shift+F10 opens the menu as the Menu key does."""
        def action(text: str, keys: tuple[QKeySequence | QKeySequence.StandardKey | str, ...], slot) -> QAction:
            act = QAction(text, self.table)
            act.setShortcuts([QKeySequence(key) for key in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            self.table.addAction(act)
            return act

        self.edit_action = action(_("Change…"), ("Enter", "Return", "F2"),
                                  lambda: self._emit_event(self.edit_requested))
        self.done_action = action(_("Done…"), ("Ctrl+Enter", "Ctrl+Return"),
                                  lambda: self._emit_event(self.complete_requested))
        self.cancel_action = action(_("Cancel event…"), (QKeySequence.StandardKey.Delete,),
                                    lambda: self._emit_event(self.cancel_requested))
        self.client_action = action(_("Open client"), ("Ctrl+O",),
                                    lambda: self._open_client(self.table.currentIndex()))
        self.add_action = action(_("Plan an event…"), (), self.add_requested.emit)
        self.menu_action = action(_("Menu"), ("Shift+F10",), self._menu_at_current)
        self.table.menu_requested.connect(lambda pos, keyboard: self._menu_at_current() if keyboard
                                          else self._context_menu(pos))

    def event_menu(self) -> QMenu:
        """The context menu of the selected event (only «Plan an event…» without one)."""
        from ui.dialogs.keyboard import keep_mnemonics

        menu = QMenu(self.table)
        menu.setObjectName("agendaMenu")
        chosen = self.selected_event_id() is not None
        for act in (self.edit_action, self.done_action, self.cancel_action, self.client_action):
            act.setEnabled(chosen)
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.add_action)
        keep_mnemonics(menu)
        return menu

    def _context_menu(self, pos: QPoint, *, keep_row: bool = False) -> None:
        """The menu at ``pos`` (viewport); a click on an event's row selects it first."""
        index = self.table.indexAt(pos)
        if not keep_row and index.isValid() and index.data(AgendaModel.EventIdRole) is not None:
            self.table.setCurrentIndex(index)
        menu = self.event_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _menu_at_current(self) -> None:
        """The Menu key, Shift+F10: the menu at the selected row (the table's corner without one)."""
        index = self.table.currentIndex()
        rect = self.table.visualRect(index) if index.isValid() else None
        at = rect.center() if rect is not None and not rect.isEmpty() else QPoint(4, 4)
        self._context_menu(at, keep_row=True)

    def set_agenda(self, agenda: Agenda, now: datetime | None = None) -> None:
        self.model.set_agenda(agenda, now)
        self.title.setText(_("Agenda — {date}").format(date=agenda.today.strftime("%d.%m.%Y")))
        parts = [_("overdue: {n}").format(n=format_number(len(agenda.overdue))),
                 _("today: {n}").format(n=format_number(len(agenda.today_rows))),
                 _("later this week: {n}").format(n=format_number(len(agenda.week_rows)))]
        if agenda.conflict_count:
            parts.append("⚠ " + _("overlapping: {n}").format(n=format_number(agenda.conflict_count)))
        self.summary.setText(" · ".join(parts) if agenda.rows else _("Nothing planned for this week."))
        self._rows_shown()

    def set_period(self, period: PlanPeriod, now: datetime | None = None) -> None:
        """The «План» window's list: the overdue events and the period's, a section a month, dates with the year."""
        chosen = self.selected_event_id()  # kept selected after an action re-read the list (the keyboard stays there)
        self.model.set_period(period, now)
        self.title.setText(f"{period.date_from:%d.%m.%Y} – {period.date_to:%d.%m.%Y}")
        parts = [_("overdue: {n}").format(n=format_number(len(period.overdue))),
                 _("in the period: {n}").format(n=format_number(len(period.rows)))]
        if period.conflict_count:
            parts.append("⚠ " + _("overlapping: {n}").format(n=format_number(period.conflict_count)))
        self.summary.setText(" · ".join(parts) if period.overdue or period.rows
                             else _("Nothing planned for this period."))
        self._rows_shown()
        if chosen is not None:
            self.select_event(chosen)

    def select_event(self, event_id: int) -> bool:
        """Make the row of event ``event_id`` current and selected (False when it is not listed)."""
        for row in range(self.model.rowCount()):
            event = self.model.event_at(row)
            if event is not None and event.id == event_id:
                self.table.setCurrentIndex(self.model.index(row, 0))
                self.table.selectRow(row)
                return True
        return False

    def _rows_shown(self) -> None:
        """New rows are in: columns sized to them until the user sets the widths, no row current, the buttons."""
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
