"""Work log view (objectName ``workLog``): quick entry, timer, filters, totals, edit/delete with undo.

Every write goes through the window's operations runner (``ui.ops.Ops``); the view re-reads only in
``on_changes`` — never inside its own action methods."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
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
from app.domain.quotes import in_quotes
from app.errors import NotFoundError, UserError
from app.i18n import _, format_money, format_number
from app.services.changes import Changes, requires_worklog
from ui.dialogs.date_field import DateField, date_edit
from ui.dialogs.date_refusals import refusal, say_refusals
from ui.dialogs.worklog.entry import EntryDialog, kind_combo
from ui.models.worklog import (
    PERIODS,
    PLACEHOLDERS,
    ROUNDING_CHOICES,
    EntryIdRole,
    WorkLogModel,
    WorkLogProxy,
    duration,
    period_range,
    typed_time,
)
from ui.ops import Ops
from ui.palette import text_style
from ui.qtutil import from_qdate, name_inputs, one_line, to_qdate
from ui.undo import UndoStep, edit_step, history_action, short
from ui.views.lazy import StaleOnHidden

if TYPE_CHECKING:
    from app.services.worklog import WorkLog
    from app.services.worklog_timer import TimerState
    from ui.tasks import TaskManager


TIMER_NAME_LIMIT = 24  # characters of another client's name on the timer button


def utc_now() -> datetime:
    """The timer's clock: an aware UTC moment (the timer service stores UTC)."""
    return datetime.now(UTC)


NOTE_MIN_CHARS = 18  # the quick entry's note field at its narrowest


class WorkLogView(StaleOnHidden, QWidget):
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
        self.client_id: int | None = None
        self.log: WorkLog | None = None
        # the window's task runner (WorkArea.attach): a client switch reads its entries in a worker then
        self.tasks: TaskManager | None = None
        self._reads = 0  # counts reads: a worker's entries of an older one are dropped
        self.timer: TimerState | None = None
        self.clock: Callable[[], datetime] = utc_now
        self.today: Callable[[], date] = date.today
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

    # ---------------------------------------------------------------- filters and loading

    def period(self) -> tuple[date | None, date | None]:
        code = self.period_combo.currentData()
        if code == "custom":
            return from_qdate(self.from_date.date()), from_qdate(self.to_date.date())
        return period_range(str(code), self.today())

    def kinds(self) -> list[str] | None:
        code = self.kind_filter.currentData()
        if not code:
            return None
        if code == "time":
            return ["conference", "questions", "control"]
        return [str(code)]

    def _period_changed(self, *_args) -> None:
        custom = self.period_combo.currentData() == "custom"
        self.from_date.setVisible(custom)
        self.to_date.setVisible(custom)
        self.period_dash.setVisible(custom)
        if not custom:
            start, end = self.period()
            self._loading = True
            self.from_date.setDate(to_qdate(start or date(self.today().year, 1, 1)))
            self.to_date.setDate(to_qdate(end or self.today()))
            self._loading = False
        self._filters_changed()

    def _filters_changed(self, *_args) -> None:
        if not self._loading:
            self.request_reload()

    def _kind_changed(self, *_args) -> None:
        from app.services.worklog import measure_of

        self.entry_value.setPlaceholderText(_(PLACEHOLDERS[measure_of(str(self.entry_kind.currentData()))]))

    def on_stale(self) -> None:
        if self.log is not None and self.log.client_id != self.client_id:  # never show another client's rows
            self.log = None
            self.model.set_rows([])
            self.totals_label.setText("")

    def reload(self) -> None:
        """Ask the service for the client's entries in the chosen period and kinds (constant queries).

        Callers use ``request_reload``: while the view sits hidden on a shown window the load waits until
        it is shown, so opening a client with thousands of entries costs nothing until the tab is opened."""
        from app.services.worklog import billing_rounding, list_entries
        from app.services.worklog_timer import timer_state

        self.timer = timer_state(self.db)
        if self.client_id is None:
            self.log = None
            self.model.set_rows([])
            self.totals_label.setText("")
            self._set_rounding(billing_rounding(self.db))
            self._update_timer()
            return
        start, end = self.period()
        self._reads += 1
        try:
            log = list_entries(self.db, self.client_id, start, end, self.kinds())
        except Exception as exc:  # a refusal, or a failure a stored value explains (else raised: a fault)
            self._read_failed(exc)
            return
        self._take_log(log)

    def _read_in_worker(self) -> None:
        """Another client chosen while the log is on screen: the entries are read in a worker (~20 ms for 2 000
        rows, on the UI thread before); the table shows none meanwhile, never the previous client's."""
        from app.services.worklog import list_entries
        from app.services.worklog_timer import timer_state

        assert self.tasks is not None and self.client_id is not None
        self.timer = timer_state(self.db)
        start, end = self.period()
        self._reads += 1
        self.log = None
        self.model.set_rows([])
        self.totals_label.setText(_("Reading the entries…"))
        self._update_timer()
        read, db, client_id, kinds = self._reads, self.db, self.client_id, self.kinds()

        def current() -> bool:
            return read == self._reads and client_id == self.client_id

        self.tasks.start(lambda _progress: list_entries(db, client_id, start, end, kinds),
                         lambda log: self._take_log(log) if current() else None,
                         lambda exc: self._read_failed(exc) if current() else None)

    def _read_failed(self, exc: BaseException) -> None:
        if isinstance(exc, NotFoundError):  # the client was deleted
            self.set_client(None)
            return
        if not isinstance(exc, UserError):
            # e.g. «много» in work_log.minutes: a TypeError in the billing, far from the read (the table stayed
            # empty without a word); named when the database holds such values, else a fault
            refusal = self.ops.explain(exc)
            if refusal is None:
                raise exc
            exc = refusal
        self.log = None
        self.model.set_rows([])
        self._show_message(exc.full_text(), error=True)  # with its details: the values named and the way out
        self.totals_label.setText("")

    def _take_log(self, log: WorkLog) -> None:
        self.log = log
        self.model.set_rows(log.rows)
        self._set_rounding(log.rounding_min)
        self._show_totals()
        self._update_timer()

    def _set_rounding(self, step: int) -> None:
        self.rounding_step = step
        title = dict(ROUNDING_CHOICES).get(step)
        self.rounding_label.setText(_("Billing rounding: {rule} (Settings ▸ Billing)").format(
            rule=_(title) if title else step))

    def _show_totals(self) -> None:
        if self.log is None:
            return
        t = self.log.totals
        parts = [_("Entries: {n}").format(n=t.entries)]
        if t.raw_minutes:
            time = _("time {raw} ({hours} h)").format(raw=duration(t.raw_minutes),
                                                      hours=format_number(t.raw_hours))
            if t.billed_minutes != t.raw_minutes and not self.log.free:
                time += ", " + _("billed {billed} ({hours} h)").format(
                    billed=duration(t.billed_minutes), hours=format_number(t.billed_hours))
            parts.append(time)
        if t.days:
            parts.append(_("on-site days {days}").format(days=format_number(t.days)))
        if t.expenses:
            parts.append(_("expenses {amount}").format(amount=format_money(t.expenses)))
        if self.log.billed_while_paid and t.money is not None:  # billed by an act before the client became free
            parts.append(_("billed by acts {amount}; the rest is free").format(amount=format_money(t.money)))
        elif self.log.free:  # not «к оплате 0,00 ₽»: nothing of a free approach is billed (tester N, item 8)
            parts.append(_("not billed: the approach is free"))
        elif t.money is not None:
            parts.append(_("to bill {amount}").format(amount=format_money(t.money)))
        text = " · ".join(parts)
        if self.log.billing_error:
            text += "\n" + self.log.billing_error
        self.totals_label.setText(text)

    def _show_message(self, text: str, error: bool = False, *, warning: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(text_style("error" if error else "warning" if warning else "success"))
        self.message_label.setVisible(bool(text))

    def _date_notes(self, entry_id: int) -> str:
        """The command line's notes on a saved entry dated before its client's contract or after today (taken, not
        refused: app.services.entry_notes), or ''. The window said neither (testers A and J)."""
        from app.services.entry_notes import entry_date_notes

        return " ".join(entry_date_notes(self.db, entry_id, today=self.today()))

    # ---------------------------------------------------------------- actions

    def _show_error(self, exc: UserError) -> None:
        self._show_message(exc.full_text(), error=True)

    def _run(self, action: Callable, undo=None):
        """One write through the window's runner: errors shown here, the undo step pushed, changes announced."""
        return self.ops.run(action, initiator=self, undo=undo, on_error=self._show_error)

    def add_entry(self, data) -> int | None:
        """Add an entry for the current client (undoable); returns its id or None when refused."""
        from app.services import worklog

        if self.client_id is None:
            return None
        client_id, db = self.client_id, self.db
        result = self._run(lambda: worklog.add_entry(db, client_id, data), undo=lambda r: UndoStep(
            _("adding a work-log entry"), lambda: worklog.restore_entries(db, [r[0]]),
            lambda: worklog.delete_entries(db, [r[0]])))
        return None if result is None else result[0]

    def add_from_inputs(self) -> int | None:
        """Quick entry: the typed value for the chosen kind and date; Enter in the value or note field."""
        from app.services.worklog import EntryInput, parse_measure

        kind = str(self.entry_kind.currentData())
        refused = refusal(self.entry_date)  # 31.04.2027 typed: said, nothing added (never another date)
        if refused:
            self._show_message(refused, error=True)
            self.entry_date.setFocus()
            return None
        try:
            measure = parse_measure(kind, typed_time(kind, self.entry_value.text()))
            data = EntryInput(from_qdate(self.entry_date.date()), kind, note=one_line(self.entry_note.text()), **measure)
        except UserError as exc:
            self._show_message(exc.message, error=True)
            return None
        entry_id = self.add_entry(data)
        if entry_id is not None:
            self.entry_value.clear()
            self.entry_note.clear()
            self.entry_value.setFocus()
            added = _("Added: {kind}, {value}.").format(kind=_(KIND_TITLES_UI[kind]), value=self._measure_text(data))
            note = self._date_notes(entry_id)
            self._show_message(added + (" " + note if note else ""), warning=bool(note))
        return entry_id

    @staticmethod
    def _measure_text(data) -> str:
        if data.minutes is not None:
            return duration(data.minutes)
        if data.days is not None:
            return _("{days} d.").format(days=format_number(data.days))
        return format_money(data.amount)

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return [int(index.data(EntryIdRole)) for index in rows]

    def delete_selected(self) -> bool:
        return self.delete_entries(self.selected_ids())

    def delete_entries(self, ids: list[int]) -> bool:
        from app.services import worklog

        if not ids:
            return False
        db = self.db
        step = UndoStep(_("deleting a work-log entry") if len(ids) == 1 else _("deleting work-log entries"),
                        lambda: worklog.delete_entries(db, ids),
                        lambda: worklog.restore_entries(db, ids))
        if self._run(lambda: worklog.delete_entries(db, ids), undo=step) is None:
            return False
        # one entry in the singular: «Удалено: 1. Ctrl+Z вернёт их.» (tester J #8)
        self._undo_hint = (_("Work-log entry deleted. Ctrl+Z brings it back.") if len(ids) == 1 else
                           _("Deleted: {n}. Ctrl+Z brings them back.").format(n=format_number(len(ids))))
        self._show_message(self._undo_hint)
        return True

    def _history_moved(self, _index: int) -> None:
        if self._undo_hint and self.message_label.text() == self._undo_hint:
            self._show_message("")
        self._undo_hint = ""

    def edit_entry(self, entry_id: int, data, base=None, on_error: Callable | None = None) -> bool:
        """Save the entry ``data``; with the ``base`` its dialog was opened with, only the fields changed in it
        (app.services.edit_undo). ``on_error``: who is told of a refusal (this view's message line by default)."""
        from app.services import edit_undo

        db = self.db  # undo puts back only what this edit changed, refused for now if changed since (tester Q #1)
        if self.ops.run(lambda: edit_undo.save_entry(db, entry_id, data, base), initiator=self,
                        undo=lambda saved: edit_step(db, _("editing a work-log entry"), saved[0]),
                        on_error=on_error or self._show_error) is None:
            return False
        note = self._date_notes(entry_id)
        if note:
            self._show_message(note, warning=True)
        return True

    def open_editor(self) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        from app.services import edit_undo
        from app.services.worklog import get_entry

        entry_id, entry = ids[0], get_entry(self.db, ids[0])
        # saved from the dialog against what it showed: only the fields changed in it are written, and a refusal
        # (one of them changed elsewhere too) keeps the dialog open with what was typed (r13 lost update)
        base = [edit_undo.base_of("entry", entry.as_input())]

        def refused(exc: UserError) -> None:
            if isinstance(exc, edit_undo.EditConflict):  # saving again writes the user's values over those
                base[0] = exc.base
            raise exc

        dialog = EntryDialog(entry, self, submit=lambda data: self.edit_entry(entry_id, data, base[0], refused))
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted

    # ---------------------------------------------------------------- timer

    def toggle_timer(self) -> int | None:
        """Start a conference timer for this client, or stop the running one and log its time — asking for the
        conference's real time when the timer ran longer than a day (it was left running)."""
        from app.services import worklog, worklog_timer

        if self.timer is None:
            if self.client_id is None:
                return None
            client_id = self.client_id
            self._run(lambda: worklog_timer.start_timer(self.db, client_id, "conference", self.clock()))
            return None
        minutes = None
        if self.timer.too_long(_comparable(self.timer.started, self.clock())):
            minutes = self.ask_real_minutes()
            if minutes is None:
                return None
        db, note = self.db, one_line(self.entry_note.text())
        on_error = self._show_error
        if self.timer.client_id != self.client_id:  # said under this client's log: whose timer was refused
            name = in_quotes(self.timer.client_name)

            def on_error(exc: UserError) -> None:
                self._show_message(_("The timer of «{name}» keeps running. {reason}").format(
                    name=name, reason=exc.full_text()), error=True)
        result = self.ops.run(lambda: worklog_timer.stop_timer(db, self.clock(), note, minutes=minutes),
                              initiator=self, on_error=on_error,
                              undo=lambda r: UndoStep(_("logging the timed conference"),
                                                      lambda: worklog.restore_entries(db, [r[0]]),
                                                      lambda: worklog.delete_entries(db, [r[0]])))
        if result is None:
            return None
        self.entry_note.clear()
        note = self._date_notes(result[0])  # a timer run before the contract's day, or on a clock set ahead
        if note:
            self._show_message(note, warning=True)
        return result[0]

    def ask_real_minutes(self) -> int | None:
        """The real minutes of a conference whose timer ran longer than a day (1–1 440), or None when the user
        cancels."""
        from PySide6.QtWidgets import QInputDialog

        assert self.timer is not None
        seconds = self.timer.elapsed_seconds(_comparable(self.timer.started, self.clock()))
        value, ok = QInputDialog.getInt(
            self, _("The timer was left running"),
            _("The timer for «{name}» has run for {time}, longer than a day. How many minutes did the conference "
              "of {day} take?").format(name=in_quotes(self.timer.client_name), time=duration(seconds // 60),
                                       day=self.timer.on_date.strftime("%d.%m.%Y")), 60, 1, 24 * 60, 5)
        return int(value) if ok else None

    def discard_timer(self) -> bool:
        """Throw the running timer away, logging nothing (undoable: the undo starts it again at its moment)."""
        from app.services import worklog_timer

        running = self.timer
        if running is None:
            return False
        db = self.db
        step = UndoStep(_("discarding the timer"), lambda: worklog_timer.cancel_timer(db),
                        lambda: worklog_timer.start_timer(db, running.client_id, running.kind, running.started))
        return self._run(lambda: worklog_timer.cancel_timer(db), undo=step) is not None

    def _update_timer(self) -> None:
        if self.timer is None:
            self.timer_button.setText(_("▶ Start conference"))
            self.timer_button.setEnabled(self.client_id is not None)
            self.timer_button.setToolTip(_("Starts a timer; stopping it logs the conference"))
            self.timer_discard.setVisible(False)
            self._tick.stop()
            self._fit_timer_button()
            return
        self.timer_discard.setVisible(True)
        seconds = self.timer.elapsed_seconds(_comparable(self.timer.started, self.clock()))
        clock = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        if self.timer.client_id == self.client_id:
            self.timer_button.setText(_("■ Stop {time}").format(time=clock))
        else:  # another client's timer, shown in this client's log: named, so that it is not taken for this one's
            self.timer_button.setText(_("■ Stop {time} · {name}").format(
                time=clock, name=short(self.timer.client_name, TIMER_NAME_LIMIT)))
        self.timer_button.setEnabled(True)
        self._fit_timer_button()
        started = _local(self.timer.started)
        # a timer started on another day names that day: «с 14:03» of a timer started yesterday read as today's
        since = started.strftime("%H:%M" if started.date() == self.today() else "%d.%m.%Y %H:%M")
        self.timer_button.setToolTip(_("Conference with «{name}» since {time}").format(
            name=in_quotes(self.timer.client_name), time=since))
        if not self._tick.isActive():
            self._tick.start()

    def _fit_timer_button(self) -> None:
        """The timer's button as wide as its text (150 px at least, so that the ticking clock does not jiggle it)."""
        self.timer_button.setMinimumWidth(max(150, self.timer_button.sizeHint().width()))
        self._place_note()

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


def _comparable(started: datetime, now: datetime) -> datetime:
    """``now`` in the same kind (aware or naive) as ``started``; naive values are local time."""
    if started.tzinfo is None and now.tzinfo is not None:
        return now.astimezone().replace(tzinfo=None)
    if started.tzinfo is not None and now.tzinfo is None:
        return now.astimezone(UTC)
    return now


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo is not None else moment
