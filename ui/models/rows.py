"""A read-only table model over a list of plain rows with translated column headers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.i18n import _

Index = QModelIndex | QPersistentModelIndex

_IDS = 10**10  # ids below ten billion: a day's ordinal (≤ 3 652 059) times this still fits a signed 64-bit int


def day_key(day, record_id: int) -> int:
    """A sort-role value ordering by ``day`` (a date), then by ``record_id`` (the order entered): one integer, which
    Qt's proxies compare as a number. The register's «ordinal × 100 000 + id» put a document of id 150 000 after
    the next day's first."""
    return day.toordinal() * _IDS + int(record_id)


class RowsTableModel(QAbstractTableModel):
    """Subclasses set HEADERS (N_-marked) and implement data(); rows arrive whole via set_rows()."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return _(self.HEADERS[section])
        return None

    def valid_row(self, index: Index):
        """The row behind a valid index, else None."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]
