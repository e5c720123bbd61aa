"""The «Требует внимания» list: one reminder a row, leading to its client."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.i18n import N_
from app.services.reminders import Reminder, order_key
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

    def replace_clients(self, fresh: Sequence[Reminder], client_ids: Collection[int],
                        keep_kinds: Collection[str] = (), every_client_kinds: Collection[str] = ()) -> None:
        """Swap for ``fresh`` (what app.services.reminders.attention re-read) the rows of ``client_ids`` except
        those of ``keep_kinds`` (not re-read), and the rows of ``every_client_kinds`` whoever they are about
        (re-read for every client: events, which the clock turns overdue). Row removals and insertions where
        they belong, not a reset: the selection, the scroll position and the other rows stay, only the touched
        rows repaint. Ends as a full set_rows(attention()) would, in the same order (order_key)."""
        ids, kept, every = set(client_ids), set(keep_kinds), set(every_client_kinds)
        rows = self._rows
        hits = [i for i, r in enumerate(rows)  # one pass, no calls
                if r.kind in every or (r.client_id in ids and r.kind not in kept)]
        while hits:  # remove runs of the touched clients' rows, from the end so indexes stay valid
            last = first = hits.pop()
            while hits and hits[-1] == first - 1:
                first = hits.pop()
            self.beginRemoveRows(QModelIndex(), first, last)
            del rows[first:last + 1]
            self.endRemoveRows()
        for reminder in sorted(fresh, key=order_key):
            at = bisect_right(rows, order_key(reminder), key=order_key)
            self.beginInsertRows(QModelIndex(), at, at)
            rows.insert(at, reminder)
            self.endInsertRows()

    def rows(self) -> list[Reminder]:
        return list(self._rows)
