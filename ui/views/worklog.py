"""Work log view (objectName ``workLog``): quick entry, timer, filters, totals, edit/delete with undo.

Every write goes through the window's operations runner (``ui.ops.Ops``); the view re-reads only in
``on_changes`` — never inside its own action methods.

WorkLogView is made of parts: ``worklog_reading`` (filters, the entries read, totals), ``worklog_entries``
(add, edit, delete), ``worklog_timer`` (the conference timer) on ``worklog_base`` (their widgets and runner)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.pricing import KIND_TITLES_UI, KINDS
from app.i18n import _
from app.services.changes import Changes, requires_worklog
from ui.dialogs.date_field import DateField, date_edit
from ui.dialogs.date_refusals import say_refusals
from ui.dialogs.worklog.entry import kind_combo
from ui.models.worklog import PERIODS, WorkLogModel, WorkLogProxy
from ui.ops import Ops
from ui.palette import text_style
from ui.qtutil import name_inputs, to_qdate
from ui.undo import history_action
from ui.views.worklog_entries import WorkLogEntries
from ui.views.worklog_reading import WorkLogReading
from ui.views.worklog_timer import WorkLogTimer, utc_now

NOTE_MIN_CHARS = 18  # the quick entry's note field at its narrowest


class WorkLogView(WorkLogTimer, WorkLogEntries, WorkLogReading):
    """One client's work log. ``ops``: the window's operations runner (a view on its own makes one, and then
    also carries its own Ctrl+Z / Ctrl+Shift+Z shortcuts). Interface: set_client(id|None), on_changes."""

    def __init__(self, db, parent: QWidget | None = None, ops: Ops | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workLog")
        self.db = db
        self._own_ops = ops is None
        self.ops = ops if ops is not None else Ops(db, self)
        if ops is None:  # on its own (tests, a dialog): it hears its own runner; in the window the work area calls
            self.ops.changed.connect(self.on_changes)
        self.client_id = None
        self.log = None
        # the window's task runner (WorkArea.attach): a client switch reads its entries in a worker then
        self.tasks = None
        self._reads = 0  # counts reads: a worker's entries of an older one are dropped
        self.timer = None
        self.clock = utc_now
        self.today = date.today
        self._loading = False
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timer)
        self._build()
        self._enable(False)

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        root = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("workLogPeriod")
        for code, title in PERIODS:
            self.period_combo.addItem(_(title), code)
        self.from_date = self._date_edit("workLogFrom")
        self.to_date = self._date_edit("workLogTo")
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("workLogKindFilter")
        self.kind_filter.addItem(_("All kinds"), "")
        self.kind_filter.addItem(_("Time (remote)"), "time")
        for kind in KINDS:
            self.kind_filter.addItem(_(KIND_TITLES_UI[kind]), kind)
        filters.addWidget(QLabel(_("Period:"), self))
        filters.addWidget(self.period_combo)
        filters.addWidget(self.from_date)
        self.period_dash = QLabel("—", self)
        filters.addWidget(self.period_dash)
        filters.addWidget(self.to_date)
        filters.addWidget(self.kind_filter)
        filters.addStretch(1)
        root.addLayout(filters)

        entry = QHBoxLayout()
        self.entry_date = self._date_edit("workLogEntryDate")
        self.entry_kind = kind_combo(self)
        self.entry_kind.setObjectName("workLogEntryKind")
        self.entry_value = QLineEdit(self)
        self.entry_value.setObjectName("workLogEntryValue")
        self.entry_value.setMinimumWidth(170)
        self.entry_note = QLineEdit(self)
        self.entry_note.setObjectName("workLogEntryNote")
        self.entry_note.setPlaceholderText(_("Note (Enter adds the entry)"))
        self.add_button = QPushButton(_("Add"), self)
        self.add_button.setObjectName("workLogAdd")
        self.timer_button = QPushButton(self)
        self.timer_button.setObjectName("workLogTimer")
        self.timer_button.setMinimumWidth(150)  # and its text's width (_update_timer): «▶ Начать конференцию» was cut
        # a timer left running has to be thrown away somehow: it was stuck for good past a day (a tester)
        self.timer_discard = QToolButton(self)
        self.timer_discard.setObjectName("workLogTimerDiscard")
        self.timer_discard.setText("✕")
        self.timer_discard.setToolTip(_("Discard the timer, logging nothing"))
        self.timer_discard.setVisible(False)
        entry.addWidget(self.entry_date)
        entry.addWidget(self.entry_kind)
        entry.addWidget(self.entry_value)
        # the note keeps a width to type in: at 1280×720 and 125 % it had shrunk to «П…» (tester O); when the row
        # cannot hold it, it takes a line of its own under the others
        self.entry_note.setMinimumWidth(NOTE_MIN_CHARS * self.fontMetrics().averageCharWidth())
        entry.addWidget(self.entry_note, 1)
        entry.addWidget(self.add_button)
        entry.addWidget(self.timer_button)
        entry.addWidget(self.timer_discard)
        self.entry_row = entry
        self.note_row = QHBoxLayout()
        root.addLayout(entry)
        root.addLayout(self.note_row)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("workLogMessage")
        self.message_label.setWordWrap(True)
        root.addWidget(self.message_label)

        self.model = WorkLogModel(self)
        self.proxy = WorkLogProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("workLogTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(WorkLogModel.COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self._fit_columns()
        root.addWidget(self.table, 1)

        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("workLogTotals")
        self.totals_label.setWordWrap(True)
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.totals_label)
        bottom = QHBoxLayout()
        self.rounding_label = QLabel(self)  # the rule in force; it is chosen in Settings ▸ Billing
        self.rounding_label.setObjectName("workLogRounding")
        self.rounding_label.setStyleSheet(text_style("muted"))
        self.rounding_label.setWordWrap(True)
        bottom.addWidget(self.rounding_label, 1)
        self.undo_button = QToolButton(self)
        self.redo_button = QToolButton(self)
        self.edit_button = QPushButton(_("Edit…"), self)
        self.edit_button.setObjectName("workLogEdit")
        self.delete_button = QPushButton(_("Delete"), self)
        self.delete_button.setObjectName("workLogDelete")
        for widget in (self.undo_button, self.redo_button, self.edit_button, self.delete_button):
            bottom.addWidget(widget)
        root.addLayout(bottom)

        stack = self.ops.undo_stack
        # «Удалено: 1. Ctrl+Z вернёт их.» stayed after the undo had brought them back (tester I): any later step of
        # the history ends that hint
        self._undo_hint = ""
        stack.indexChanged.connect(self._history_moved)
        self.undo_action = history_action(stack, self)
        self.redo_action = history_action(stack, self, redo=True)
        if self._own_ops:  # in the window, Edit ▸ Undo/Redo carry the shortcuts
            self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
            self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
            for action in (self.undo_action, self.redo_action):
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(action)
        style = self.style()
        self.undo_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.redo_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        for button, action in ((self.undo_button, self.undo_action), (self.redo_button, self.redo_action)):
            button.setDefaultAction(action)  # «Отменить: …» grows with its text: the icon, the text in the tip
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.delete_action = QAction(_("Delete"), self.table)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.delete_action)

        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.from_date.dateChanged.connect(self._filters_changed)
        self.to_date.dateChanged.connect(self._filters_changed)
        self.kind_filter.currentIndexChanged.connect(self._filters_changed)
        self.entry_kind.currentIndexChanged.connect(self._kind_changed)
        self.entry_value.returnPressed.connect(self.add_from_inputs)
        self.entry_note.returnPressed.connect(self.add_from_inputs)
        self.add_button.clicked.connect(self.add_from_inputs)
        self.timer_button.clicked.connect(self.toggle_timer)
        self.timer_discard.clicked.connect(self.discard_timer)
        self.table.doubleClicked.connect(lambda _index: self.open_editor())
        self.table.activated.connect(lambda _index: self.open_editor())
        self.edit_button.clicked.connect(self.open_editor)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_action.triggered.connect(self.delete_selected)
        for edit in (self.entry_value, self.entry_note):
            edit.installEventFilter(self)
        name_inputs(self)
        say_refusals(self, lambda text: self._show_message(text, error=True), self.message_label.text)
        self._kind_changed()
        self._period_changed()

    def _fit_columns(self) -> None:
        """Column widths from the widest possible texts, not by measuring thousands of rows (ResizeToContents
        asks every cell of up to 1 000 rows after each reload)."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WorkLogModel.COL_NOTE, QHeaderView.ResizeMode.Stretch)
        cells = self.table.fontMetrics()
        titles = header.fontMetrics()
        # literal samples in both locales' formats: babel is not imported at start-up for this
        samples = {WorkLogModel.COL_DATE: ["00.00.0000"],
                   WorkLogModel.COL_KIND: [_(KIND_TITLES_UI[kind]) for kind in KINDS],
                   WorkLogModel.COL_TIME: ["00:00"], WorkLogModel.COL_BILLED: ["00:00"],
                   WorkLogModel.COL_DAYS: ["30,75", "30.75"],
                   WorkLogModel.COL_AMOUNT: ["1 000 000,00 ₽", "RUB 1,000,000.00"],
                   WorkLogModel.COL_STAGE: ["0"], WorkLogModel.COL_ACT: ["АУ-000/0000"]}
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(max(cells.horizontalAdvance(t) for t in texts) + 16, titles.horizontalAdvance(title) + 28)
            header.resizeSection(column, width)

    def _date_edit(self, name: str) -> DateField:
        return date_edit(self, name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+Z in an empty quick-entry field undoes the last work-log action, not the (empty) text.
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit) and not watched.text():
            if event.matches(QKeySequence.StandardKey.Undo):  # type: ignore[attr-defined]
                self.ops.undo_stack.undo()
                return True
            if event.matches(QKeySequence.StandardKey.Redo):  # type: ignore[attr-defined]
                self.ops.undo_stack.redo()
                return True
        return super().eventFilter(watched, event)

    def _enable(self, enabled: bool) -> None:
        for widget in (self.entry_date, self.entry_kind, self.entry_value, self.entry_note, self.add_button,
                       self.edit_button, self.delete_button, self.table):
            widget.setEnabled(enabled)
        self._update_timer()

    def _place_note(self) -> None:
        """The note in the entry row when the row holds it at its minimum width, else on a line of its own."""
        row = [self.entry_date, self.entry_kind, self.entry_value, self.add_button, self.timer_button]
        if self.timer_discard.isVisibleTo(self):
            row.append(self.timer_discard)
        spacing = max(0, self.entry_row.spacing())
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else None
        room = self.width() - (margins.left() + margins.right() if margins is not None else 0)
        needed = sum(max(w.sizeHint().width(), w.minimumWidth()) for w in row) + spacing * len(row)
        own_line = room < needed + self.entry_note.minimumWidth()
        if own_line == (self.note_row.indexOf(self.entry_note) >= 0):
            return
        (self.entry_row if own_line else self.note_row).removeWidget(self.entry_note)
        if own_line:
            self.note_row.addWidget(self.entry_note)
        else:
            self.entry_row.insertWidget(3, self.entry_note, 1)
        if layout is not None:
            layout.activate()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_note()

    # ---------------------------------------------------------------- interface for the main window

    def set_client(self, client_id: int | None) -> None:
        """Show ``client_id``'s entries (None: nobody's): read in a worker when another client is chosen with the
        log on screen and ``tasks`` set (the window), else now, or when the log is shown (``request_reload``)."""
        switched = client_id is not None and client_id != self.client_id
        self.client_id = client_id
        self._show_message("")
        self._enable(client_id is not None)
        self.entry_date.setDate(to_qdate(self.today()))
        if switched and self.tasks is not None and self.isVisible() and not self.is_stale():
            self._read_in_worker()
        else:
            self.request_reload()

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """Re-read when the changes concern this client's log, the billing settings or the whole database."""
        if requires_worklog(changes, self.client_id):
            self.request_reload()
