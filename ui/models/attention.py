"""The «Требует внимания» list: one reminder a row, leading to its client."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.i18n import N_
from app.services.reminders import KINDS, Reminder, order_key
from ui.models.release import release_later
from ui.models.rows import RowsTableModel
from ui.palette import color

Index = QModelIndex | QPersistentModelIndex
URGENT_KINDS = ("event_overdue", "act_unreturned", "estimate_exceeded", "log_unreadable", "stage_unreadable")


def _kind_rank(reminder: Reminder) -> int:
    return order_key(reminder)[0]


def group_by_client(rows: Sequence[Reminder]) -> dict[int, list[Reminder]]:
    """Each client's reminders (the same objects), as AttentionModel.replace_clients finds them."""
    by_client: dict[int, list[Reminder]] = {}
    for r in rows:
        mine = by_client.get(r.client_id)
        if mine is None:
            by_client[r.client_id] = [r]
        else:
            mine.append(r)
    return by_client


class AttentionModel(RowsTableModel):
    """Rows are app.services.reminders.Reminder, in the order the service gives (most urgent kinds first)."""

    COL_KIND, COL_CLIENT, COL_TEXT = range(3)
    HEADERS = (N_("What"), N_("Client"), N_("Details"))
    ClientIdRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2
    RefIdRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._by_client: dict[int, list[Reminder]] | None = None  # each client's rows, built when first needed

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
        rows repaint; when ``fresh`` holds exactly the rows it would replace, nothing changes and no signal is
        sent. Ends as a full set_rows(attention()) would, in the same order (order_key)."""
        ids, kept, every = set(client_ids), set(keep_kinds), set(every_client_kinds)
        rows = self._rows
        hits = self._positions(ids, kept, every)
        ordered = sorted(fresh, key=order_key)
        if len(ordered) == len(hits) and all(rows[i] == r and rows[i].rank == r.rank
                                             for i, r in zip(hits, ordered, strict=True)):
            # the same reminders (a move's re-read of every client's events, most often): no removal and
            # insertion of equal rows, so nothing repaints (each move repainted the dock a second time)
            return
        by_client = self._by_client
        if by_client is not None:  # keep each client's rows up to date (no pass over all rows next time)
            for i in hits:
                gone = rows[i]
                mine = by_client.get(gone.client_id, [])
                mine[:] = [r for r in mine if r is not gone]
            for reminder in fresh:
                by_client.setdefault(reminder.client_id, []).append(reminder)
        while hits:  # remove runs of the touched clients' rows, from the end so indexes stay valid
            last = first = hits.pop()
            while hits and hits[-1] == first - 1:
                first = hits.pop()
            self.beginRemoveRows(QModelIndex(), first, last)
            del rows[first:last + 1]
            self.endRemoveRows()
        for reminder in ordered:
            at = bisect_right(rows, order_key(reminder), key=order_key)
            self.beginInsertRows(QModelIndex(), at, at)
            rows.insert(at, reminder)
            self.endInsertRows()

    def set_rows(self, rows, by_client: dict[int, list[Reminder]] | None = None) -> None:
        """All reminders afresh; ``by_client``: ``group_by_client(rows)`` made off the UI thread (a worker's full
        read), else made by the first ``replace_clients`` (at 50 000 clients ~20 ms of the first move after it)."""
        old, groups = self._rows, self._by_client
        super().set_rows(rows)
        self._by_client = by_client
        # 53 000 reminders at 50 000 clients, in as many per-client lists: not all freed inside this event
        if groups is not None:
            release_later(list(groups.values()))
        release_later(old)

    def _positions(self, ids: set[int], kept: set[str], every: set[str]) -> list[int]:
        """Ascending row numbers of the reminders ``replace_clients`` swaps: each kind of ``every`` is one
        block of the sorted rows (two bisections), each touched client's rows are found by their own sort key
        (a bisection each) — not one pass over every row (≈50 000 at 50 000 clients, on every move)."""
        rows = self._rows
        if self._by_client is None:  # once per full read or change of rows, not per move
            self._by_client = group_by_client(rows)
        found: set[int] = set()
        for kind in every:
            rank = KINDS.index(kind)
            low = bisect_left(rows, rank, key=_kind_rank)
            found.update(range(low, bisect_right(rows, rank, lo=low, key=_kind_rank)))
        for client_id in ids:
            for r in self._by_client.get(client_id, ()):
                if r.kind in kept or r.kind in every:
                    continue
                at = bisect_left(rows, order_key(r), key=order_key)
                if at >= len(rows) or rows[at] is not r:  # not sorted as expected: one pass after all
                    return [i for i, r in enumerate(rows)
                            if r.kind in every or (r.client_id in ids and r.kind not in kept)]
                found.add(at)
        return sorted(found)

    def rows(self) -> list[Reminder]:
        return list(self._rows)
