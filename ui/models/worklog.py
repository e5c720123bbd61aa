"""The work-log table model: one client's entries as plain rows (no database handle), sorted by raw values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from app.domain.money import EN_GROUPED
from app.domain.pricing import KIND_TITLES_UI
from app.i18n import N_, _, format_money, format_number, language
from ui.models.rows import day_key

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
PLACEHOLDERS = {"minutes": N_("1:30, 1,5 (hours) or 90 (minutes)"), "days": N_("days, e.g. 1 or 0,5"),
                "amount": N_("amount, RUB")}


_BARE_HOURS = re.compile(r"^\s*\d{1,3}[.,]\d{1,4}\s*$")


def typed_time(kind: str, text: str) -> str:
    """What the user typed for a ``kind``; for a time kind a bare decimal is hours: «1,5» → «1,5 ч» (90 min).
    A whole number stays minutes («90»; in English also «1,500»), «1:30» stays hours and minutes; days and amounts are
    untouched."""
    from app.services.worklog import measure_of

    if measure_of(kind) == "minutes" and _BARE_HOURS.match(text):
        # «1,000» / «1,500» as English writes thousands: whole minutes, as the command line's --minutes reads them
        # (the window took «1,000» for 1 000 hours, tester J); «1,5» and «1,0000» stay hours
        if language() == "en" and EN_GROUPED.fullmatch(text.strip()):
            return text.strip()
        return text.strip() + " ч"
    return text


def duration(minutes: int | None) -> str:
    """``90`` → ``1:30`` (``app.domain.timeutil.clock_text``)."""
    from app.domain.timeutil import clock_text

    return clock_text(minutes)


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

    COL_DATE, COL_KIND, COL_TIME, COL_BILLED, COL_DAYS, COL_AMOUNT, COL_STAGE, COL_ACT, COL_NOTE = range(9)
    # the amount column holds what a transfer or a stay cost (as entered), not money to bill: «Сумма» read as the
    # entry's price — a free client's unbilled transfers «showed money», the lines an act billed none (tester R,
    # round 13, item 1); the billed money is the totals line's, as the xlsx log's «Расходы, ₽» and «Сумма, ₽»
    HEADERS = (N_("Date"), N_("Kind"), N_("Time"), N_("Billed time"), N_("Days"), N_("Expenses"), N_("Stage"),
               N_("Act"), N_("Note"))
    _SORT_KEYS: tuple[Callable, ...] = (
        lambda r: r.on_date, lambda r: r.kind, lambda r: r.minutes or 0, lambda r: r.billed_minutes or 0,
        lambda r: r.days or 0, lambda r: r.amount or 0, lambda r: r.stage, lambda r: r.billed_by or "",
        lambda r: r.note.lower())

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []
        self._given: list = []  # in the order the service returned them
        self._texts: dict[int, tuple[str, ...]] = {}  # id(row) → display texts, filled on demand
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._billed_brush: QBrush | None = None

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
        key = self._SORT_KEYS[column]
        # ties by day, then in the order entered: the service gives a day's entries newest first, and a stable sort
        # kept that under «по возрастанию» (four conferences of 15.11 listed 2:00, 0:30, 0:45, 1:30 — tester S)
        return sorted(rows, key=lambda r: (key(r), r.on_date, r.id), reverse=order == Qt.SortOrder.DescendingOrder)

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
                r.billed_by or "", r.note.replace("\n", " "))

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
            return day_key(key, r.id) if column == self.COL_DATE else float(key) if column in (
                self.COL_DAYS, self.COL_AMOUNT) else key
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_TIME, self.COL_BILLED, self.COL_DAYS,
                                                                     self.COL_AMOUNT, self.COL_STAGE):
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_NOTE and r.note:
                return r.note
            if r.billed_by is not None:  # issue 10: a billed entry is changed only after its act is voided
                return _("Billed by act {code}: void the act to change this entry.").format(code=r.billed_by)
            if column == self.COL_BILLED and r.billed_minutes is not None and r.billed_minutes != r.minutes:
                return _("Raw {raw} min, billed {billed} min").format(raw=format_number(r.minutes or 0),
                                                                        billed=format_number(r.billed_minutes))
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_BILLED and r.billed_minutes != r.minutes:
            if self._billed_brush is None:
                from ui.palette import color

                self._billed_brush = QBrush(color("link"))
            return self._billed_brush
        if role == EntryIdRole:
            return r.id
        if role == KindRole:
            return r.kind
        return None


class WorkLogProxy(QIdentityProxyModel):
    """The view's model: passes rows through; sorting is forwarded to WorkLogModel.sort (raw values:
    dates as dates, money as numbers, not the displayed text)."""
