"""The client list's filter: what the search box and the filter combos ask for (ClientFilter), the same prepared for
matching thousands of rows in plain Python (CompiledFilter), and the list's proxy that shows the rows passing it
(ClientFilterProxy), announced as one layout change per filter change."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QModelRoleData, QObject, Qt
from PySide6.QtGui import QColor, QFont

from app.domain.client_summary import ClientSummary
from app.domain.normalize import search_digits, search_tokens
from ui.models.client_roles import (
    ROLE_ALIGN,
    ROLE_BUDGET,
    ROLE_DISPLAY,
    ROLE_FONT,
    ROLE_FOREGROUND,
    ROW_FLAGS,
    TABLE_ROLES,
    Index,
)
from ui.models.clients import ClientTableModel
from ui.models.matches import Matches
from ui.qtfix import emit


@dataclass(frozen=True)
class ClientFilter:
    """What the search box and the filter combos ask for."""

    text: str = ""
    stage: int | None = None
    approach: str | None = None
    stalled_only: bool = False
    also_ids: frozenset[int] = frozenset()  # clients matching the text elsewhere (their questions, issue 16)
    only_ids: frozenset[int] | None = None  # «Мои заказчики» (issue 17): only these clients; None = everyone

    @property
    def tokens(self) -> tuple[str, ...]:
        return search_tokens(self.text)

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and self.stage is None and self.approach is None and not self.stalled_only \
            and self.only_ids is None


class CompiledFilter:
    """A ClientFilter prepared for matching thousands of rows quickly (pure Python, no data() calls)."""

    def __init__(self, value: ClientFilter | None = None) -> None:
        self.value = value or ClientFilter()
        self.tokens = self.value.tokens
        self.compact_query = search_digits(self.value.text)
        self.text_key = (self.tokens, self.compact_query, self.value.also_ids)

    def same_besides_text(self, other: CompiledFilter) -> bool:
        """Stage, approach, «stalled only» and the «mine» set are those of ``other`` (the text may differ)."""
        a, b = self.value, other.value
        return (a.stage == b.stage and a.approach == b.approach and a.stalled_only == b.stalled_only
                and a.only_ids == b.only_ids)

    def narrows(self, other_key: tuple) -> bool:
        """Every client this filter's text matches also matches ``other_key`` (so search only those)."""
        tokens, compact = other_key[0], other_key[1]
        if self.value.also_ids:  # extra clients may lie outside the earlier matches
            return False
        if not all(any(old in new for new in self.tokens) for old in tokens):
            return False
        return not self.compact_query or (bool(compact) and compact in self.compact_query)

    def matches(self, model: ClientTableModel, s: ClientSummary, *, use_stage: bool = True) -> bool:
        f = self.value
        if use_stage and f.stage is not None and s.stage != f.stage:
            return False
        if f.approach is not None and s.approach != f.approach:
            return False
        if f.stalled_only and not model.is_stalled(s):
            return False
        if f.only_ids is not None and s.id not in f.only_ids:
            return False
        if self.tokens:
            text = s.search_text
            if not all(token in text for token in self.tokens):
                return (bool(self.compact_query) and self.compact_query in model.compact_text(s)) \
                    or s.id in f.also_ids
        return True


class ClientFilterProxy(QAbstractProxyModel):
    """The client list: the ClientTableModel rows that pass the search, stage, approach and stalled
    filters, in the source's order.

    Unlike QSortFilterProxyModel it never asks Python about one row at a time: a filter change
    computes the visible rows in one pass (ClientTableModel.filter_rows) and announces them as one
    layout change; sorting is delegated to the source model (one Python sort of typed keys)."""

    SMALL_CHANGE = 64  # a dataChanged over fewer rows re-checks just those rows

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._compiled = CompiledFilter()
        self._sort = (-1, Qt.SortOrder.AscendingOrder)
        # proxy row -> source row, ascending: a source row's proxy row is found by bisection (a dict the other
        # way was rebuilt at every row a move or a key changed: ~4 MB and ~5 ms at 50 000 clients)
        self._map: list[int] = []
        self._src: ClientTableModel | None = None
        self._removing: tuple[int, int] | None = None
        self._anchors: list = []
        self._found: Matches | None = None  # the text's matches _map was filtered from by set_filter

    # ------------------------------------------------------------ source

    def setSourceModel(self, model) -> None:
        if not isinstance(model, ClientTableModel):
            raise TypeError("ClientFilterProxy works over a ClientTableModel")
        old = self._src
        if old is not None:
            for signal, slot in self._wiring(old):
                signal.disconnect(slot)
        self.beginResetModel()
        super().setSourceModel(model)
        self._src = model
        for signal, slot in self._wiring(model):
            signal.connect(slot)
        self._refilter()
        self.endResetModel()

    def _wiring(self, model: ClientTableModel):
        return [(model.modelAboutToBeReset, self.beginResetModel), (model.modelReset, self._on_reset),
                (model.layoutAboutToBeChanged, self._on_layout_about), (model.layoutChanged, self._on_layout),
                (model.rowsAboutToBeRemoved, self._on_about_removed), (model.rowsRemoved, self._on_removed),
                (model.rowsInserted, self._on_inserted), (model.dataChanged, self._on_data_changed),
                (model.headerDataChanged, self.headerDataChanged)]

    def _refilter(self) -> None:
        self._found = None  # the rows may have changed: set_filter filters afresh
        self._map = self._src.filter_rows(self._compiled) if self._src is not None else []

    def _on_reset(self) -> None:
        self._refilter()
        self.endResetModel()

    def _proxy_row(self, source_row: int) -> int | None:
        """The proxy row showing ``source_row``, None when the filter hides it."""
        rows = self._map
        at = bisect_left(rows, source_row)
        return at if at < len(rows) and rows[at] == source_row else None

    def _source(self) -> ClientTableModel:
        """The client table this proxy filters (set once by setSourceModel)."""
        assert self._src is not None, "setSourceModel first"
        return self._src

    def _begin_layout(self) -> None:
        emit(self.layoutAboutToBeChanged)
        src = self._source()
        persistent = self.persistentIndexList()
        ids = []
        for index in persistent:
            row = index.row()
            ids.append(src.row_at(self._map[row]).id if 0 <= row < len(self._map) else None)
        self._anchors = [persistent, ids]

    def _end_layout(self) -> None:
        persistent, ids = self._anchors
        self._anchors = []
        src = self._source()
        fresh = []
        for index, client_id in zip(persistent, ids, strict=True):
            source_row = src.row_of(client_id) if client_id is not None else None
            row = self._proxy_row(source_row) if source_row is not None else None
            fresh.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(persistent, fresh)
        emit(self.layoutChanged)

    def _on_layout_about(self, *args) -> None:
        self._begin_layout()

    def _on_layout(self, *args) -> None:
        self._refilter()
        self._end_layout()

    def _on_about_removed(self, parent, first: int, last: int) -> None:
        lo, hi = bisect_left(self._map, first), bisect_right(self._map, last)
        self._removing = (lo, hi - 1) if hi > lo else None
        if self._removing:
            self.beginRemoveRows(QModelIndex(), lo, hi - 1)

    def _on_removed(self, parent, first: int, last: int) -> None:
        count = last - first + 1
        lo, hi = bisect_left(self._map, first), bisect_right(self._map, last)
        self._map[lo:] = [r - count for r in self._map[hi:]]
        if self._removing:
            self._removing = None
            self.endRemoveRows()

    def _on_inserted(self, parent, first: int, last: int) -> None:
        count = last - first + 1
        src = self._source()
        at = bisect_left(self._map, first)
        # the rows shown so far moved down in the source: follow them before announcing the new ones
        self._map[at:] = [r + count for r in self._map[at:]]
        new = [r for r in range(first, last + 1) if self._compiled.matches(src, src.row_at(r))]
        if new:
            self.beginInsertRows(QModelIndex(), at, at + len(new) - 1)
            self._map[at:at] = new
            self.endInsertRows()

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles=()) -> None:
        first, last = top_left.row(), bottom_right.row()
        left, right = top_left.column(), bottom_right.column()
        if last - first < self.SMALL_CHANGE:
            for source_row in range(first, last + 1):
                self._recheck(source_row, left, right, roles)
            return
        budget_only = bool(roles) and all(int(r) == ROLE_BUDGET for r in roles)
        if self._compiled.value.stalled_only and not budget_only:
            self._begin_layout()
            self._refilter()
            self._end_layout()
        elif self._map:
            emit(self.dataChanged, self.index(0, left), self.index(len(self._map) - 1, right), roles)

    def _recheck(self, source_row: int, left: int, right: int, roles) -> None:
        """One source row changed: it may now pass or fail the filter (a stage move, a new name)."""
        src = self._source()
        row = self._proxy_row(source_row)
        keep = self._compiled.matches(src, src.row_at(source_row))
        if row is not None and keep:
            emit(self.dataChanged, self.index(row, left), self.index(row, right), roles)
        elif row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._map[row]
            self.endRemoveRows()
        elif keep:
            at = bisect_left(self._map, source_row)
            self.beginInsertRows(QModelIndex(), at, at)
            self._map.insert(at, source_row)
            self.endInsertRows()

    # ------------------------------------------------------------ filter and sort

    def set_filter(self, value: ClientFilter) -> None:
        old, self._compiled = self._compiled, CompiledFilter(value)
        if self._src is None:
            return
        found = self._src.text_matches(self._compiled)
        if found is not None and found is self._found and self._compiled.same_besides_text(old):
            # the text matches the very clients the rows were filtered from and nothing else differs: the same
            # rows (the map is kept current by every change since); no pass over them (~5 ms at 50 000 clients)
            return
        self._found = found
        fresh = self._src.filter_rows(self._compiled)
        if fresh == self._map:
            return
        self._begin_layout()
        self._map = fresh
        self._end_layout()

    def client_filter(self) -> ClientFilter:
        return self._compiled.value

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        if self._src is not None:
            self._src.sort(column, order)

    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    # ------------------------------------------------------------ Qt proxy model

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        if not proxy_index.isValid() or self._src is None or not 0 <= proxy_index.row() < len(self._map):
            return QModelIndex()
        return self._src.index(self._map[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self._proxy_row(source_index.row())
        return QModelIndex() if row is None else self.createIndex(row, source_index.column())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < len(self._map) or not 0 <= column < len(ClientTableModel.HEADERS):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index | None = None):
        if index is None:  # QObject.parent()
            return QObject.parent(self)
        return QModelIndex()

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._map)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._src is None else len(ClientTableModel.HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._map)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in TABLE_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._map):
            return None
        src = self._source()
        return src.cell(src.row_at(self._map[row]), index.column(), role)

    def look(self, row: int, column: int) -> tuple[str, int | None, QColor | None, QFont | None] | None:
        """What the list paints in the cell at (``row``, ``column``) of this proxy: (display text, alignment
        flags or None, foreground or None, font or None) — the roles a delegate paints, from the row at once
        (ui.views.client_list.ClientCellDelegate); None off the rows."""
        if not 0 <= row < len(self._map):
            return None
        src = self._source()
        s, cell = src.row_at(self._map[row]), src.cell
        color = cell(s, column, ROLE_FOREGROUND)
        return (cell(s, column, ROLE_DISPLAY), cell(s, column, ROLE_ALIGN), color,
                cell(s, column, ROLE_FONT) if color is not None else None)

    def multiData(self, index: Index, roles) -> None:
        """All the roles a delegate asks for at once: one Python call per painted cell, not seven.
        Views reuse the array from cell to cell: every role gets a value or is cleared."""
        items = (roles,) if isinstance(roles, QModelRoleData) else roles
        if not index.isValid() or not 0 <= index.row() < len(self._map):
            for item in items:
                item.clearData()
            return
        src = self._source()
        s, col, cell = src.row_at(self._map[index.row()]), index.column(), src.cell
        for item in items:
            role = item.role()
            value = cell(s, col, role) if role in TABLE_ROLES else None
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if self._src is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._map):
                return str(section + 1)
            return None
        return self._src.headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._map):
            return Qt.ItemFlag.NoItemFlags
        return ROW_FLAGS
