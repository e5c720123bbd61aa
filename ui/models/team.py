"""Models of the team's lists: sync conflicts (ours / theirs) and a client's «История изменений»."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.i18n import N_, _
from ui.models.rows import RowsTableModel

if TYPE_CHECKING:  # annotations only: app.sync.service is not needed for the window's first paint
    from app.sync.service import ConflictLine
    from app.team.audit import HistoryLine

Index = QModelIndex | QPersistentModelIndex
KEPT_TITLES = {"local": N_("this laptop's"), "server": N_("the server's")}


class ConflictsModel(RowsTableModel):
    """ConflictLine rows: client, what, this laptop's value, the server's value, which one the sync kept
    (that cell and the kept value in bold). ``Qt.UserRole`` gives the conflict's id."""

    HEADERS = (N_("Client"), N_("What"), N_("On this laptop"), N_("On the server or in the file"), N_("Kept"))
    COL_CLIENT, COL_WHAT, COL_LOCAL, COL_SERVER, COL_KEPT = range(5)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        line: ConflictLine | None = self.valid_row(index)
        if line is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.COL_KEPT:  # a bundle's conflict: the other side is the file
                return _("the file's") if (line.kept, line.source) == ("server", "file") else _(
                    KEPT_TITLES.get(line.kept, line.kept))
            value = (line.client, line.what, line.local, line.server)[col]
            return value if value or role == Qt.ItemDataRole.ToolTipRole else "—"
        if role == Qt.ItemDataRole.FontRole and (col, line.kept) in ((self.COL_LOCAL, "local"),
                                                                     (self.COL_SERVER, "server")):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return line.id
        return None


class AuditHistoryModel(RowsTableModel):
    """HistoryLine rows, newest first: time, author, action, what, old value, new value."""

    HEADERS = (N_("Time"), N_("Author"), N_("Action"), N_("What"), N_("Was"), N_("Became"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        line: HistoryLine | None = self.valid_row(index)
        if line is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        value = (line.at, line.author, line.action, line.what, line.old, line.new)[index.column()]
        return value if value or role == Qt.ItemDataRole.ToolTipRole else "—"
