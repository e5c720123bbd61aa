"""The «Требует внимания» list: one reminder a row, leading to its client."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.i18n import N_
from app.services.reminders import Reminder
from ui.models.rows import RowsTableModel
from ui.palette import color

Index = QModelIndex | QPersistentModelIndex
URGENT_KINDS = ("event_overdue", "act_unreturned", "estimate_exceeded")


class AttentionModel(RowsTableModel):
    """Rows are app.services.reminders.Reminder, in the order the service gives (most urgent kinds first)."""

    COL_KIND, COL_CLIENT, COL_TEXT = range(3)
    HEADERS = (N_("What"), N_("Client"), N_("Details"))
    ClientIdRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2
    RefIdRole = Qt.ItemDataRole.UserRole + 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row: Reminder | None = self.valid_row(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.kind_title, row.client_name, row.text)[column] if 0 <= column < 3 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.kind_title}: {row.client_name} — {row.text}"
        if role == self.ClientIdRole:
            return row.client_id
        if role == self.KindRole:
            return row.kind
        if role == self.RefIdRole:
            return row.ref_id
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_KIND and row.kind in URGENT_KINDS:
            return color("over_budget")
        return None
