"""A two-level read-only tree model base: group rows with item rows under them (checklists, lessons)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Index = QModelIndex | QPersistentModelIndex
_GROUP = 0  # internalId of group rows; item rows carry group number + 1


class GroupedModel(QAbstractItemModel):
    """Subclasses fill ``self._groups`` ([(group, [item, …]), …]) inside set_* between begin/end reset,
    and answer group_data/item_data. Ticking an item emits ``tick_requested`` instead of changing it:
    the owner runs the service (through the undo stack) and feeds the model again."""

    tick_requested = Signal(str, bool)  # item code, done
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[Any, list[Any]]] = []

    # ------------------------------------------------------------ structure

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= self.columnCount() or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _GROUP or parent.column() != 0:
            return QModelIndex()
        group = parent.row()
        if group >= len(self._groups) or row >= len(self._groups[group][1]):
            return QModelIndex()
        return self.createIndex(row, column, group + 1)

    def parent(self, index: Index = QModelIndex()):  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _GROUP and parent.column() == 0 and parent.row() < len(self._groups):
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            from app.i18n import _

            return _(self.HEADERS[section])
        return None

    # ------------------------------------------------------------ access

    def is_group(self, index: Index) -> bool:
        return index.isValid() and index.internalId() == _GROUP

    def item(self, index: Index) -> Any | None:
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def group(self, index: Index) -> Any | None:
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == _GROUP else index.internalId() - 1
        return self._groups[row][0]

    def items(self) -> list[Any]:
        return [item for _group, items in self._groups for item in items]

    def index_of(self, predicate, column: int = 0) -> QModelIndex:
        for g, (_group, items) in enumerate(self._groups):
            for r, item in enumerate(items):
                if predicate(item):
                    return self.createIndex(r, column, g + 1)
        return QModelIndex()

    # ------------------------------------------------------------ Qt model

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            if index.row() >= len(self._groups):
                return None
            group, items = self._groups[index.row()]
            return self.group_data(group, items, index.column(), role)
        group_row = index.internalId() - 1
        if group_row >= len(self._groups) or index.row() >= len(self._groups[group_row][1]):
            return None
        return self.item_data(self._groups[group_row][1][index.row()], index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != _GROUP and index.column() == 0 and self.checkable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    checkable = True

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item(index)
        if item is None or role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        state = value.value if hasattr(value, "value") else value
        self.tick_requested.emit(item.code, int(state) == Qt.CheckState.Checked.value)
        return False

    def group_data(self, group, items, column: int, role: int):  # pragma: no cover - overridden
        return None

    def item_data(self, item, column: int, role: int):  # pragma: no cover - overridden
        return None
