"""Work log widget (objectName ``workLog``): quick entry, timer, filters, totals, edit/delete with undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.pricing import KIND_TITLES_UI, KINDS
from app.errors import NotFoundError, UserError
from app.i18n import N_, _, format_money, format_number, language

EntryIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
KindRole = Qt.ItemDataRole.UserRole + 3
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ROLES = frozenset(int(role) for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
                                          Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
                                          SortRole, EntryIdRole, KindRole))

PERIODS = (("all", N_("All time")), ("month", N_("This month")), ("last_month", N_("Last month")),
           ("year", N_("This year")), ("custom", N_("Period…")))
ROUNDING_CHOICES = ((0, N_("No rounding")), (15, N_("Up to 15 min")), (30, N_("Up to 30 min")),
                    (60, N_("Up to 60 min")))
PLACEHOLDERS = {"minutes": N_("1:30 or 90 (minutes)"), "days": N_("days, e.g. 1 or 0,5"),
                "amount": N_("amount, RUB")}


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def duration(minutes: int | None) -> str:
    """``90`` → ``1:30``."""
    if minutes is None:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"


_formatted: dict[tuple[str, str, Decimal], str] = {}


def _cached_format(kind: str, value: Decimal) -> str:
    """format_money / format_number through a small cache: babel takes ~0.1 ms a call, and a work log
    repeats the same few amounts and days."""
    key = (language(), kind, value)
    text = _formatted.get(key)
    if text is None:
        if len(_formatted) > 4096:
            _formatted.clear()
        text = _formatted[key] = format_money(value) if kind == "money" else format_number(value)
    return text


def period_range(code: str, today: date) -> tuple[date | None, date | None]:
    if code == "month":
        return today.replace(day=1), today
    if code == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if code == "year":
        return today.replace(month=1, day=1), today
    return None, None


class WorkLogModel(QAbstractTableModel):
    """Entries of one client (plain EntryRow objects): no database handle, tested with plain rows.

    Thousands of rows stay cheap: cell texts are formatted only for rows the view asks about (and kept),
    and sorting happens here with Python keys instead of per-comparison ``data()`` calls from a proxy."""

    COL_DATE, COL_KIND, COL_TIME, COL_BILLED, COL_DAYS, COL_AMOUNT, COL_STAGE, COL_NOTE = range(8)
    HEADERS = (N_("Date"), N_("Kind"), N_("Time"), N_("Billed time"), N_("Days"), N_("Amount"), N_("Stage"),
               N_("Note"))
    _SORT_KEYS: tuple[Callable, ...] = (
        lambda r: r.on_date, lambda r: r.kind, lambda r: r.minutes or 0, lambda r: r.billed_minutes or 0,
        lambda r: r.days or 0, lambda r: r.amount or 0, lambda r: r.stage, lambda r: r.note.lower())

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []
        self._given: list = []  # in the order the service returned them
        self._texts: dict[int, tuple[str, ...]] = {}  # id(row) → display texts, filled on demand
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._billed_brush = None

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._sorted(self._given)
        self._texts = {}
        self.endResetModel()

    def row_at(self, row: int):
        return self._rows[row]

    def _sorted(self, rows: list) -> list:
        if self._sort is None:
            return list(rows)
        column, order = self._sort
        return sorted(rows, key=self._SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            self._sort = None
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [self._rows[index.row()] for index in old]
        self._rows = self._sorted(self._given)
        position = {id(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(old, [self.index(position[id(r)], index.column())
                                             for r, index in zip(old_rows, old, strict=True)])
        self.layoutChanged.emit()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return _(self.HEADERS[section])
        return None

    @staticmethod
    def texts(r) -> tuple[str, ...]:
        """The displayed texts of one entry, column by column."""
        return (r.on_date.strftime("%d.%m.%Y"), _(KIND_TITLES_UI.get(r.kind, r.kind)), duration(r.minutes),
                duration(r.billed_minutes), _cached_format("number", r.days) if r.days is not None else "",
                _cached_format("money", r.amount) if r.amount is not None else "", str(r.stage),
                r.note.replace("\n", " "))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None  # the delegate asks ~10 roles per painted cell: answer the unused ones first
        r = self._rows[index.row()]
        column = index.column()
        if role == _DISPLAY:
            texts = self._texts.get(id(r))
            if texts is None:
                texts = self._texts[id(r)] = self.texts(r)
            return texts[column]
        if role == SortRole:
            key = self._SORT_KEYS[column](r)
            return key.toordinal() if column == self.COL_DATE else float(key) if column in (
                self.COL_DAYS, self.COL_AMOUNT) else key
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_TIME, self.COL_BILLED, self.COL_DAYS,
                                                                     self.COL_AMOUNT, self.COL_STAGE):
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_NOTE and r.note:
                return r.note
            if column == self.COL_BILLED and r.billed_minutes is not None and r.billed_minutes != r.minutes:
                return _("Raw {raw} min, billed {billed} min").format(raw=r.minutes, billed=r.billed_minutes)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_BILLED and r.billed_minutes != r.minutes:
            if self._billed_brush is None:
                from PySide6.QtGui import QBrush, QColor

                self._billed_brush = QBrush(QColor("#1565c0"))
            return self._billed_brush
        if role == EntryIdRole:
            return r.id
        if role == KindRole:
            return r.kind
        return None


class WorkLogProxy(QIdentityProxyModel):
    """The view's model: passes rows through; sorting is forwarded to WorkLogModel.sort (raw values:
    dates as dates, money as numbers, not the displayed text)."""


class EntryDialog(QDialog):
    """Edit one entry: date, kind, time/days/amount, stage, note."""

    def __init__(self, entry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workLogEntryDialog")
        self.setWindowTitle(_("Work-log entry"))
        form = QFormLayout(self)
        self.dateEdit = QDateEdit(to_qdate(entry.on_date), self)
        self.dateEdit.setCalendarPopup(True)
        self.dateEdit.setDisplayFormat("dd.MM.yyyy")
        self.kindCombo = _kind_combo(self)
        self.kindCombo.setCurrentIndex(max(0, self.kindCombo.findData(entry.kind)))
        self.valueEdit = QLineEdit(self)
        if entry.minutes is not None:
            self.valueEdit.setText(duration(entry.minutes))
        elif entry.days is not None:
            self.valueEdit.setText(format_number(entry.days))
        elif entry.amount is not None:
            self.valueEdit.setText(format_number(entry.amount).replace(" ", ""))
        self.stageSpin = QSpinBox(self)
        self.stageSpin.setRange(0, 4)
        self.stageSpin.setValue(entry.stage)
        self.noteEdit = QLineEdit(entry.note, self)
        self.noteEdit.setMinimumWidth(320)
        form.addRow(_("Date:"), self.dateEdit)
        form.addRow(_("Kind:"), self.kindCombo)
        form.addRow(_("Time, days or amount:"), self.valueEdit)
        form.addRow(_("Stage:"), self.stageSpin)
        form.addRow(_("Note:"), self.noteEdit)
        self.errorLabel = QLabel(self)
        self.errorLabel.setStyleSheet("color: #b00020;")
        self.errorLabel.setWordWrap(True)
        form.addRow(self.errorLabel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_input = None

    def value(self):
        """The edited entry as EntryInput, validated by the service rules (UserError when wrong)."""
        from app.services.worklog import EntryInput, parse_measure, validate_entry

        kind = str(self.kindCombo.currentData())
        measure = parse_measure(kind, self.valueEdit.text())
        return validate_entry(EntryInput(from_qdate(self.dateEdit.date()), kind, note=self.noteEdit.text(),
                                         stage=self.stageSpin.value(), **measure))

    def _accept(self) -> None:
        try:
            self.result_input = self.value()
        except UserError as exc:
            self.errorLabel.setText(exc.message)
            return
        self.accept()


def _kind_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for kind in KINDS:
        combo.addItem(_(KIND_TITLES_UI[kind]), kind)
    return combo


class _ServiceCommand(QUndoCommand):
    """An undoable action whose first run already happened (the service call validated and wrote it)."""

    def __init__(self, view: WorkLogView, text: str, redo: Callable, undo: Callable) -> None:
        super().__init__(text)
        self._view, self._redo, self._undo = view, redo, undo
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._view._run(self._redo)

    def undo(self) -> None:
        self._view._run(self._undo)


class WorkLogView(QWidget):
    """Interface the main window relies on: (db, parent), set_client(id|None), refresh(changes), changed."""

    changed = Signal(object)  # app.services.changes.Changes after a write

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workLog")
        self.db = db
        self.client_id: int | None = None
        self.log = None
        self.timer = None  # app.services.worklog.TimerState
        self.clock: Callable[[], datetime] = datetime.now
        self.today: Callable[[], date] = date.today
        self.undoStack = QUndoStack(self)
        self._loading = False
        self._stale = False  # set_client/refresh arrived while hidden on a shown window: load when shown
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timer)
        self._build()
        self._enable(False)

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        root = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.periodCombo = QComboBox(self)
        self.periodCombo.setObjectName("workLogPeriod")
        for code, title in PERIODS:
            self.periodCombo.addItem(_(title), code)
        self.fromDate = self._date_edit("workLogFrom")
        self.toDate = self._date_edit("workLogTo")
        self.kindFilter = QComboBox(self)
        self.kindFilter.setObjectName("workLogKindFilter")
        self.kindFilter.addItem(_("All kinds"), "")
        self.kindFilter.addItem(_("Time (remote)"), "time")
        for kind in KINDS:
            self.kindFilter.addItem(_(KIND_TITLES_UI[kind]), kind)
        filters.addWidget(QLabel(_("Period:"), self))
        filters.addWidget(self.periodCombo)
        filters.addWidget(self.fromDate)
        self.periodDash = QLabel("—", self)
        filters.addWidget(self.periodDash)
        filters.addWidget(self.toDate)
        filters.addWidget(self.kindFilter)
        filters.addStretch(1)
        root.addLayout(filters)

        entry = QHBoxLayout()
        self.entryDate = self._date_edit("workLogEntryDate")
        self.entryKind = _kind_combo(self)
        self.entryKind.setObjectName("workLogEntryKind")
        self.entryValue = QLineEdit(self)
        self.entryValue.setObjectName("workLogEntryValue")
        self.entryValue.setMinimumWidth(130)
        self.entryNote = QLineEdit(self)
        self.entryNote.setObjectName("workLogEntryNote")
        self.entryNote.setPlaceholderText(_("Note (Enter adds the entry)"))
        self.addButton = QPushButton(_("Add"), self)
        self.addButton.setObjectName("workLogAdd")
        self.timerButton = QPushButton(self)
        self.timerButton.setObjectName("workLogTimer")
        self.timerButton.setMinimumWidth(150)
        entry.addWidget(self.entryDate)
        entry.addWidget(self.entryKind)
        entry.addWidget(self.entryValue)
        entry.addWidget(self.entryNote, 1)
        entry.addWidget(self.addButton)
        entry.addWidget(self.timerButton)
        root.addLayout(entry)

        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("workLogMessage")
        self.messageLabel.setWordWrap(True)
        root.addWidget(self.messageLabel)

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

        self.totalsLabel = QLabel(self)
        self.totalsLabel.setObjectName("workLogTotals")
        self.totalsLabel.setWordWrap(True)
        self.totalsLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.totalsLabel)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(_("Billing rounding:"), self))
        self.roundingCombo = QComboBox(self)
        self.roundingCombo.setObjectName("workLogRounding")
        self.roundingCombo.setToolTip(_("Each time entry is rounded up for billing; raw minutes stay as logged. "
                                            "A bill states hours to 0.01 h and charges them as stated."))
        for step, title in ROUNDING_CHOICES:
            self.roundingCombo.addItem(_(title), step)
        bottom.addWidget(self.roundingCombo)
        bottom.addStretch(1)
        self.undoButton = QToolButton(self)
        self.redoButton = QToolButton(self)
        self.editButton = QPushButton(_("Edit…"), self)
        self.editButton.setObjectName("workLogEdit")
        self.deleteButton = QPushButton(_("Delete"), self)
        self.deleteButton.setObjectName("workLogDelete")
        for widget in (self.undoButton, self.redoButton, self.editButton, self.deleteButton):
            bottom.addWidget(widget)
        root.addLayout(bottom)

        self.undoAction = self.undoStack.createUndoAction(self, _("Undo"))
        self.undoAction.setShortcut(QKeySequence.StandardKey.Undo)
        self.redoAction = self.undoStack.createRedoAction(self, _("Redo"))
        self.redoAction.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undoAction, self.redoAction):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undoButton.setDefaultAction(self.undoAction)
        self.redoButton.setDefaultAction(self.redoAction)
        self.deleteAction = QAction(_("Delete"), self.table)
        self.deleteAction.setShortcut(QKeySequence.StandardKey.Delete)
        self.deleteAction.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.deleteAction)

        self.periodCombo.currentIndexChanged.connect(self._period_changed)
        self.fromDate.dateChanged.connect(self._filters_changed)
        self.toDate.dateChanged.connect(self._filters_changed)
        self.kindFilter.currentIndexChanged.connect(self._filters_changed)
        self.roundingCombo.activated.connect(self._rounding_chosen)
        self.entryKind.currentIndexChanged.connect(self._kind_changed)
        self.entryValue.returnPressed.connect(self.add_from_inputs)
        self.entryNote.returnPressed.connect(self.add_from_inputs)
        self.addButton.clicked.connect(self.add_from_inputs)
        self.timerButton.clicked.connect(self.toggle_timer)
        self.table.doubleClicked.connect(lambda _index: self.open_editor())
        self.table.activated.connect(lambda _index: self.open_editor())
        self.editButton.clicked.connect(self.open_editor)
        self.deleteButton.clicked.connect(self.delete_selected)
        self.deleteAction.triggered.connect(self.delete_selected)
        for edit in (self.entryValue, self.entryNote):
            edit.installEventFilter(self)
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
                   WorkLogModel.COL_STAGE: ["0"]}
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(max(cells.horizontalAdvance(t) for t in texts) + 16, titles.horizontalAdvance(title) + 28)
            header.resizeSection(column, width)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setDate(to_qdate(date.today()))
        return edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+Z in an empty quick-entry field undoes the last work-log action, not the (empty) text.
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit) and not watched.text():
            if event.matches(QKeySequence.StandardKey.Undo):  # type: ignore[attr-defined]
                self.undoStack.undo()
                return True
            if event.matches(QKeySequence.StandardKey.Redo):  # type: ignore[attr-defined]
                self.undoStack.redo()
                return True
        return super().eventFilter(watched, event)

    def _enable(self, enabled: bool) -> None:
        for widget in (self.entryDate, self.entryKind, self.entryValue, self.entryNote, self.addButton,
                       self.editButton, self.deleteButton, self.table):
            widget.setEnabled(enabled)
        self._update_timer()

    # ---------------------------------------------------------------- filters and loading

    def period(self) -> tuple[date | None, date | None]:
        code = self.periodCombo.currentData()
        if code == "custom":
            return from_qdate(self.fromDate.date()), from_qdate(self.toDate.date())
        return period_range(str(code), self.today())

    def kinds(self) -> list[str] | None:
        code = self.kindFilter.currentData()
        if not code:
            return None
        if code == "time":
            return ["conference", "questions", "control"]
        return [str(code)]

    def _period_changed(self, *_args) -> None:
        custom = self.periodCombo.currentData() == "custom"
        self.fromDate.setVisible(custom)
        self.toDate.setVisible(custom)
        self.periodDash.setVisible(custom)
        if not custom:
            start, end = self.period()
            self._loading = True
            self.fromDate.setDate(to_qdate(start or date(self.today().year, 1, 1)))
            self.toDate.setDate(to_qdate(end or self.today()))
            self._loading = False
        self._filters_changed()

    def _filters_changed(self, *_args) -> None:
        if not self._loading:
            self.reload()

    def _kind_changed(self, *_args) -> None:
        from app.services.worklog import measure_of

        self.entryValue.setPlaceholderText(_(PLACEHOLDERS[measure_of(str(self.entryKind.currentData()))]))

    def _hidden_in_window(self) -> bool:
        """On a shown window but not visible (another tab is open): nobody can see a reload now."""
        return not self.isVisible() and self.window() is not self and self.window().isVisible()

    def showEvent(self, event) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        """Ask the service for the client's entries in the chosen period and kinds (constant queries).

        While the view sits hidden on a shown window the load waits until it is shown (showEvent), so
        opening a client with thousands of entries costs nothing until the work log tab is opened."""
        from app.services.worklog import billing_rounding, list_entries, timer_state

        if self._hidden_in_window():
            self._stale = True
            if self.log is not None and self.log.client_id != self.client_id:
                self.log = None
                self.model.set_rows([])
                self.totalsLabel.setText("")
            return
        self._stale = False
        self.timer = timer_state(self.db)
        if self.client_id is None:
            self.log = None
            self.model.set_rows([])
            self.totalsLabel.setText("")
            self._set_rounding(billing_rounding(self.db))
            self._update_timer()
            return
        start, end = self.period()
        try:
            self.log = list_entries(self.db, self.client_id, start, end, self.kinds())
        except NotFoundError:  # the client was deleted
            self.set_client(None)
            return
        except UserError as exc:
            self.log = None
            self.model.set_rows([])
            self._show_message(exc.message, error=True)
            self.totalsLabel.setText("")
            return
        self.model.set_rows(self.log.rows)
        self._set_rounding(self.log.rounding_min)
        self._show_totals()
        self._update_timer()

    def _set_rounding(self, step: int) -> None:
        index = self.roundingCombo.findData(step)
        self.roundingCombo.setCurrentIndex(max(index, 0))

    def _show_totals(self) -> None:
        if self.log is None:
            return
        t = self.log.totals
        parts = [_("Entries: {n}").format(n=t.entries)]
        if t.raw_minutes:
            time = _("time {raw} ({hours} h)").format(raw=duration(t.raw_minutes),
                                                      hours=format_number(t.raw_hours))
            if t.billed_minutes != t.raw_minutes:
                time += ", " + _("billed {billed} ({hours} h)").format(
                    billed=duration(t.billed_minutes), hours=format_number(t.billed_hours))
            parts.append(time)
        if t.days:
            parts.append(_("on-site days {days}").format(days=format_number(t.days)))
        if t.expenses:
            parts.append(_("expenses {amount}").format(amount=format_money(t.expenses)))
        if t.money is not None:
            parts.append(_("to bill {amount}").format(amount=format_money(t.money)))
        text = " · ".join(parts)
        if self.log.billing_error:
            text += "\n" + self.log.billing_error
        self.totalsLabel.setText(text)

    def _show_message(self, text: str, error: bool = False) -> None:
        self.messageLabel.setText(text)
        self.messageLabel.setStyleSheet("color: #b00020;" if error else "color: #2e7d32;")
        self.messageLabel.setVisible(bool(text))

    # ---------------------------------------------------------------- actions

    def _run(self, action: Callable):
        """Call a service action, refresh this view, tell the others; None (and a message) when refused."""
        try:
            result = action()
        except UserError as exc:
            self._show_message(exc.message, error=True)
            return None
        changes = result[1] if isinstance(result, tuple) else result
        self.reload()
        if changes is not None:
            self.changed.emit(changes)
        return result

    def add_entry(self, data) -> int | None:
        """Add an entry for the current client (undoable); returns its id or None when refused."""
        from app.services import worklog

        if self.client_id is None:
            return None
        client_id = self.client_id
        result = self._run(lambda: worklog.add_entry(self.db, client_id, data))
        if result is None:
            return None
        entry_id = result[0]
        self._push(_("Add entry"), lambda: worklog.restore_entries(self.db, [entry_id]),
                   lambda: worklog.delete_entries(self.db, [entry_id]))
        return entry_id

    def _push(self, text: str, redo: Callable, undo: Callable) -> None:
        self.undoStack.push(_ServiceCommand(self, text, redo, undo))

    def add_from_inputs(self) -> int | None:
        """Quick entry: the typed value for the chosen kind and date; Enter in the value or note field."""
        from app.services.worklog import EntryInput, parse_measure

        kind = str(self.entryKind.currentData())
        try:
            measure = parse_measure(kind, self.entryValue.text())
            data = EntryInput(from_qdate(self.entryDate.date()), kind, note=self.entryNote.text(), **measure)
        except UserError as exc:
            self._show_message(exc.message, error=True)
            return None
        entry_id = self.add_entry(data)
        if entry_id is not None:
            self.entryValue.clear()
            self.entryNote.clear()
            self.entryValue.setFocus()
            self._show_message(_("Added: {kind}, {value}.").format(kind=_(KIND_TITLES_UI[kind]),
                                                                   value=self._measure_text(data)))
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
        if self._run(lambda: worklog.delete_entries(self.db, ids)) is None:
            return False
        self._push(_("Delete entries"), lambda: worklog.delete_entries(self.db, ids),
                   lambda: worklog.restore_entries(self.db, ids))
        self._show_message(_("Deleted: {n}. Ctrl+Z brings them back.").format(n=len(ids)))
        return True

    def edit_entry(self, entry_id: int, data) -> bool:
        from app.services import worklog

        try:
            old = worklog.get_entry(self.db, entry_id).as_input()
        except UserError as exc:
            self._show_message(exc.message, error=True)
            return False
        if self._run(lambda: worklog.update_entry(self.db, entry_id, data)) is None:
            return False
        self._push(_("Edit entry"), lambda: worklog.update_entry(self.db, entry_id, data),
                   lambda: worklog.update_entry(self.db, entry_id, old))
        return True

    def open_editor(self) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        from app.services.worklog import get_entry

        dialog = EntryDialog(get_entry(self.db, ids[0]), self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_input is None:
            return False
        return self.edit_entry(ids[0], dialog.result_input)

    def _rounding_chosen(self, *_args) -> None:
        from app.services.worklog import set_billing_rounding

        self._run(lambda: set_billing_rounding(self.db, int(self.roundingCombo.currentData())))

    def set_rounding(self, step: int) -> None:
        """Choose the billing rounding (as the combo does)."""
        self._set_rounding(step)
        self._rounding_chosen()

    # ---------------------------------------------------------------- timer

    def toggle_timer(self) -> int | None:
        """Start a conference timer for this client, or stop the running one and log its time."""
        from app.services import worklog

        if self.timer is None:
            if self.client_id is None:
                return None
            client_id = self.client_id
            self._run(lambda: worklog.start_timer(self.db, client_id, "conference", self.clock()))
            return None
        result = self._run(lambda: worklog.stop_timer(self.db, self.clock(), self.entryNote.text()))
        if result is None:
            return None
        entry_id = result[0]
        self.entryNote.clear()
        self._push(_("Conference from the timer"), lambda: worklog.restore_entries(self.db, [entry_id]),
                   lambda: worklog.delete_entries(self.db, [entry_id]))
        return entry_id

    def _update_timer(self) -> None:
        if self.timer is None:
            self.timerButton.setText(_("▶ Start conference"))
            self.timerButton.setEnabled(self.client_id is not None)
            self.timerButton.setToolTip(_("Starts a timer; stopping it logs the conference"))
            self._tick.stop()
            return
        seconds = self.timer.elapsed_seconds(self.clock())
        clock = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        self.timerButton.setText(_("■ Stop {time}").format(time=clock))
        self.timerButton.setEnabled(True)
        self.timerButton.setToolTip(_("Conference with «{name}» since {time}").format(
            name=self.timer.client_name, time=self.timer.started.strftime("%H:%M")))
        if not self._tick.isActive():
            self._tick.start()

    # ---------------------------------------------------------------- interface for the main window

    def set_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.undoStack.clear()
        self._show_message("")
        self._enable(client_id is not None)
        self.entryDate.setDate(to_qdate(self.today()))
        self.reload()

    def refresh(self, changes) -> None:
        mine = not changes.client_ids or (self.client_id is not None and self.client_id in changes.client_ids)
        if changes.settings or (changes.worklog and mine):
            self.reload()
        elif changes.clients and self.client_id is not None and self.client_id in changes.client_ids:
            self.reload()
