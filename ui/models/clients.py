"""Client rows for the list and the kanban: table model, filter, list proxy and per-stage column proxies."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from app.domain.stages import APPROACH_UI, STAGE_SHORT, Approach, Stage
from app.i18n import N_, _
from app.services.budget import BudgetSummary
from app.services.clients import ClientSummary

MIME_CLIENTS = "application/x-vnedrenie-clients"
STALLED_COLOR = QColor("#b35c00")
DEFAULT_STALLED_DAYS = 30
_COMPACT = re.compile(r"[\s()\-+]")

Index = QModelIndex | QPersistentModelIndex


class ClientRole(IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    SUMMARY = Qt.ItemDataRole.UserRole + 2
    SORT = Qt.ItemDataRole.UserRole + 3
    STALLED = Qt.ItemDataRole.UserRole + 4
    BUDGET = Qt.ItemDataRole.UserRole + 5
    DAYS = Qt.ItemDataRole.UserRole + 6


def sort_key(summary: ClientSummary) -> tuple[str, int]:
    return summary.name.casefold(), summary.id


def encode_clients(summaries: Iterable[ClientSummary]) -> QMimeData:
    mime = QMimeData()
    payload = [{"id": s.id, "stage": s.stage} for s in summaries]
    mime.setData(MIME_CLIENTS, json.dumps(payload).encode())
    mime.setText("\n".join(str(item["id"]) for item in payload))
    return mime


def decode_clients(mime: QMimeData | None) -> list[tuple[int, int]]:
    """(client id, stage) pairs carried by a drag; empty for foreign data."""
    if mime is None or not mime.hasFormat(MIME_CLIENTS):
        return []
    try:
        payload = json.loads(bytes(mime.data(MIME_CLIENTS).data()).decode())
        return [(int(item["id"]), int(item["stage"])) for item in payload]
    except (ValueError, KeyError, TypeError):
        return []


class ClientTableModel(QAbstractTableModel):
    """Every client as one row (ClientSummary); holds no database handle (fed by the window)."""

    rows_updated = Signal(list)  # ids whose rows were replaced, added or removed by update_rows
    decorations_changed = Signal()  # budgets or the stalled threshold changed

    COL_NAME, COL_INN, COL_APPROACH, COL_STAGE, COL_CHECKLIST, COL_LESSONS, COL_DAYS, COL_CONTACT, COL_PHONE = range(9)
    HEADERS = (N_("Client"), N_("INN"), N_("Approach"), N_("Stage"), N_("Checklist"), N_("Lessons"),
               N_("Days"), N_("Contact"), N_("Phone"))
    HEADER_TIPS: ClassVar[dict[int, str]] = {6: N_("Days since the last stage change")}

    def __init__(self, parent=None, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._rows: list[ClientSummary] = []
        self._row_of: dict[int, int] = {}
        self._stage_counts: dict[int, int] = {}
        self._compact: dict[int, str] = {}
        self._budgets: dict[int, BudgetSummary] = {}
        self._today = today
        self._sort_column = -1
        self._descending = False
        self.stalled_days = DEFAULT_STALLED_DAYS

    # ------------------------------------------------------------ feeding

    def set_rows(self, rows: list[ClientSummary]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=self.row_key, reverse=self._descending)
        self._reindex()
        self._compact.clear()
        self.endResetModel()

    def update_rows(self, ids: Iterable[int], rows: list[ClientSummary]) -> None:
        """Replace the named clients with fresh rows; ids without a row were deleted."""
        fresh = {row.id: row for row in rows}
        touched = sorted(set(ids) | set(fresh))
        for client_id in touched:
            row = self._row_of.get(client_id)
            new = fresh.get(client_id)
            self._compact.pop(client_id, None)
            if row is not None and new is not None and self.row_key(new) == self.row_key(self._rows[row]):
                if new.stage != self._rows[row].stage:
                    self._stage_counts[self._rows[row].stage] -= 1
                    self._stage_counts[new.stage] = self._stage_counts.get(new.stage, 0) + 1
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
                continue
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self._reindex()
                self.endRemoveRows()
            if new is not None:
                position = self._insert_position(new)
                self.beginInsertRows(QModelIndex(), position, position)
                self._rows.insert(position, new)
                self._reindex()
                self.endInsertRows()
        self.rows_updated.emit(touched)

    def _insert_position(self, summary: ClientSummary) -> int:
        key, low, high = self.row_key(summary), 0, len(self._rows)
        while low < high:
            mid = (low + high) // 2
            other = self.row_key(self._rows[mid])
            if (other > key) if self._descending else (other < key):
                low = mid + 1
            else:
                high = mid
        return low

    # ------------------------------------------------------------ sorting (Python's sort, not per-pair data())

    def row_key(self, summary: ClientSummary):
        if self._sort_column < 0:
            return sort_key(summary)
        return self.sort_value(summary, self._sort_column), sort_key(summary)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows (column -1: by name); persistent indexes follow their clients."""
        self._sort_column = column if 0 <= column < len(self.HEADERS) else -1
        self._descending = self._sort_column >= 0 and order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        anchors = [(self._rows[i.row()].id, i.column()) for i in persistent]
        self._rows.sort(key=self.row_key, reverse=self._descending)
        self._reindex()
        self.changePersistentIndexList(persistent, [self.index(self._row_of[cid], col) for cid, col in anchors])
        self.layoutChanged.emit()

    def _reindex(self) -> None:
        self._row_of = {row.id: n for n, row in enumerate(self._rows)}
        counts: dict[int, int] = {}
        for row in self._rows:
            counts[row.stage] = counts.get(row.stage, 0) + 1
        self._stage_counts = counts

    def stage_count(self, stage: int) -> int:
        return self._stage_counts.get(stage, 0)

    def set_budgets(self, budgets: dict[int, BudgetSummary], *, replace: bool = False) -> None:
        if replace:
            self._budgets = dict(budgets)
        else:
            self._budgets.update(budgets)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0), [ClientRole.BUDGET])
        self.decorations_changed.emit()

    def set_stalled_days(self, days: int) -> None:
        self.stalled_days = max(1, int(days))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))
        self.decorations_changed.emit()

    # ------------------------------------------------------------ lookups

    def row_at(self, row: int) -> ClientSummary:
        return self._rows[row]

    def row_of(self, client_id: int) -> int | None:
        return self._row_of.get(client_id)

    def summary(self, client_id: int | None) -> ClientSummary | None:
        row = self._row_of.get(client_id) if client_id is not None else None
        return self._rows[row] if row is not None else None

    def summaries(self) -> list[ClientSummary]:
        return list(self._rows)

    def budget(self, client_id: int) -> BudgetSummary | None:
        return self._budgets.get(client_id)

    def today(self) -> date:
        return self._today()

    def is_stalled(self, summary: ClientSummary) -> bool:
        return summary.stage != Stage.DONE and summary.days_in_stage(self._today()) >= self.stalled_days

    def compact_text(self, summary: ClientSummary) -> str:
        """search_text without spaces, brackets, dashes and pluses: phone numbers typed any way match."""
        text = self._compact.get(summary.id)
        if text is None:
            text = self._compact[summary.id] = _COMPACT.sub("", summary.search_text)
        return text

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section in self.HEADER_TIPS:
            return _(self.HEADER_TIPS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, col)
        if role == ClientRole.ID:
            return s.id
        if role == ClientRole.SUMMARY:
            return s
        if role == ClientRole.SORT:
            return self.sort_value(s, col)
        if role == ClientRole.STALLED:
            return self.is_stalled(s)
        if role == ClientRole.BUDGET:
            return self._budgets.get(s.id)
        if role == ClientRole.DAYS:
            return s.days_in_stage(self._today())
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_DAYS and self.is_stalled(s):
            return STALLED_COLOR
        if role == Qt.ItemDataRole.FontRole and col == self.COL_DAYS and self.is_stalled(s):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_CHECKLIST, self.COL_LESSONS, self.COL_DAYS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(s)
        return None

    def _display(self, s: ClientSummary, col: int) -> str:
        if col == self.COL_NAME:
            return s.name
        if col == self.COL_INN:
            return s.inn
        if col == self.COL_APPROACH:
            return approach_label(s.approach)
        if col == self.COL_STAGE:
            return _(STAGE_SHORT[Stage(s.stage)])
        if col == self.COL_CHECKLIST:
            return f"{s.checklist_done}/{s.checklist_total}" if s.checklist_total else "—"
        if col == self.COL_LESSONS:
            return f"{s.lessons_done}/{s.lessons_total}"
        if col == self.COL_DAYS:
            days = s.days_in_stage(self._today())
            return f"◷ {days}" if self.is_stalled(s) else str(days)
        if col == self.COL_CONTACT:
            return s.contact_name
        if col == self.COL_PHONE:
            return s.contact_phone
        return ""

    def sort_value(self, s: ClientSummary, col: int):
        if col == self.COL_STAGE:
            return s.stage
        if col == self.COL_CHECKLIST:
            return s.checklist_done / s.checklist_total if s.checklist_total else -1.0
        if col == self.COL_LESSONS:
            return s.lessons_done / s.lessons_total if s.lessons_total else 0.0
        if col == self.COL_DAYS:
            return s.days_in_stage(self._today())
        return self._display(s, col).casefold()

    def tooltip(self, s: ClientSummary) -> str:
        lines = [s.name, _("INN {inn}").format(inn=s.inn)]
        if s.contract_no:
            lines.append(_("Contract {no}").format(no=s.contract_no))
        if self.is_stalled(s):
            lines.append(_("Stalled: no stage change for {days} days (threshold {limit}).").format(
                days=s.days_in_stage(self._today()), limit=self.stalled_days))
        return "\n".join(lines)

    # ------------------------------------------------------------ drag

    def mimeTypes(self) -> list[str]:
        return [MIME_CLIENTS]

    def mimeData(self, indexes) -> QMimeData:
        seen: dict[int, ClientSummary] = {}
        for index in indexes:
            if index.isValid():
                s = self._rows[index.row()]
                seen.setdefault(s.id, s)
        return encode_clients(seen.values())

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


def approach_label(code: str) -> str:
    try:
        return _(APPROACH_UI[Approach(code)])
    except ValueError:
        return code


@dataclass(frozen=True)
class ClientFilter:
    """What the search box and the filter combos ask for."""

    text: str = ""
    stage: int | None = None
    approach: str | None = None
    stalled_only: bool = False

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.text.casefold().split())

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and self.stage is None and self.approach is None and not self.stalled_only


class CompiledFilter:
    """A ClientFilter prepared for matching thousands of rows quickly (pure Python, no data() calls)."""

    def __init__(self, value: ClientFilter | None = None) -> None:
        self.value = value or ClientFilter()
        self.tokens = self.value.tokens
        query = self.value.text.strip()
        compact = _COMPACT.sub("", query)
        digits = sum(ch.isdigit() for ch in compact)
        self.compact_query = compact if digits >= 3 and compact.isdigit() else ""

    def matches(self, model: ClientTableModel, s: ClientSummary, *, use_stage: bool = True) -> bool:
        f = self.value
        if use_stage and f.stage is not None and s.stage != f.stage:
            return False
        if f.approach is not None and s.approach != f.approach:
            return False
        if f.stalled_only and not model.is_stalled(s):
            return False
        if self.tokens:
            text = s.search_text
            if not all(token in text for token in self.tokens):
                return bool(self.compact_query) and self.compact_query in model.compact_text(s)
        return True


class ClientFilterProxy(QSortFilterProxyModel):
    """The client list: filtered by search text, stage, approach. Sorting is delegated to the source
    model (one Python sort of typed keys) instead of QSortFilterProxyModel calling data() twice per
    comparison, which takes seconds at 5 000 clients."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._compiled = CompiledFilter()
        self._sort = (-1, Qt.SortOrder.AscendingOrder)
        self.setDynamicSortFilter(True)

    def set_filter(self, value: ClientFilter) -> None:
        self.beginFilterChange()
        self._compiled = CompiledFilter(value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def client_filter(self) -> ClientFilter:
        return self._compiled.value

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ClientTableModel) or source_parent.isValid():
            return True
        return self._compiled.matches(model, model.row_at(source_row))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        model = self.sourceModel()
        if isinstance(model, ClientTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort


class KanbanColumnModel(QAbstractListModel):
    """One kanban column: the clients at ``stage`` that pass the search, in name order.

    Fed from the shared ClientTableModel: a filter change rebuilds the column in pure Python (no
    per-row virtual calls), a refresh of some clients moves just those cards. Accepts drops of cards
    from the neighbouring stages and asks the window to move them (the move may still be cancelled)."""

    move_requested = Signal(int, int)  # client id, target stage

    def __init__(self, stage: int, source: ClientTableModel, parent=None) -> None:
        super().__init__(parent)
        self.stage = int(stage)
        self.source = source
        self._compiled = CompiledFilter()
        self._rows: list[ClientSummary] = []
        self._row_of: dict[int, int] = {}
        source.modelReset.connect(self.rebuild)
        source.rows_updated.connect(self._on_rows_updated)
        source.decorations_changed.connect(self._on_decorations)
        self.rebuild()

    # ------------------------------------------------------------ feeding

    def set_filter(self, value: ClientFilter) -> None:
        self._compiled = CompiledFilter(value)
        self.rebuild()

    def _accepts(self, s: ClientSummary | None) -> bool:
        return s is not None and s.stage == self.stage and self._compiled.matches(self.source, s, use_stage=False)

    def rebuild(self) -> None:
        self.beginResetModel()
        self._rows = sorted((s for s in self.source.summaries() if self._accepts(s)), key=sort_key)
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._row_of = {s.id: n for n, s in enumerate(self._rows)}

    def _on_rows_updated(self, ids: list[int]) -> None:
        for client_id in ids:
            new = self.source.summary(client_id)
            row = self._row_of.get(client_id)
            keep = self._accepts(new)
            if row is not None and keep and new is not None and sort_key(new) == sort_key(self._rows[row]):
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, 0))
                continue
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self._reindex()
                self.endRemoveRows()
            if keep and new is not None:
                position = bisect_left([sort_key(s) for s in self._rows], sort_key(new))
                self.beginInsertRows(QModelIndex(), position, position)
                self._rows.insert(position, new)
                self._reindex()
                self.endInsertRows()

    def _on_decorations(self) -> None:
        if self._compiled.value.stalled_only:
            self.rebuild()
        elif self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    # ------------------------------------------------------------ lookups

    def row_of(self, client_id: int | None) -> int | None:
        return self._row_of.get(client_id) if client_id is not None else None

    def total_count(self) -> int:
        """Clients at this stage whatever the filter says."""
        return self.source.stage_count(self.stage)

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        s = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return s.name
        if role in (ClientRole.ID, ClientRole.SUMMARY):
            return s.id if role == ClientRole.ID else s
        if role == ClientRole.STALLED:
            return self.source.is_stalled(s)
        if role == ClientRole.BUDGET:
            return self.source.budget(s.id)
        if role == ClientRole.DAYS:
            return s.days_in_stage(self.source.today())
        if role == ClientRole.SORT:
            return sort_key(s)[0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.source.tooltip(s)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    # ------------------------------------------------------------ drag and drop

    def mimeTypes(self) -> list[str]:
        return [MIME_CLIENTS]

    def mimeData(self, indexes) -> QMimeData:
        seen: dict[int, ClientSummary] = {}
        for index in indexes:
            if index.isValid() and 0 <= index.row() < len(self._rows):
                s = self._rows[index.row()]
                seen.setdefault(s.id, s)
        return encode_clients(seen.values())

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(self, data, action, row: int, column: int, parent: Index) -> bool:
        items = decode_clients(data)
        return bool(items) and all(abs(stage - self.stage) == 1 for _id, stage in items)

    def dropMimeData(self, data, action, row: int, column: int, parent: Index) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        for client_id, _stage in decode_clients(data):
            self.move_requested.emit(client_id, self.stage)
        return True
