"""The client table model's order: name order (``sort_key``), a header's sort, and the board's name-ordered rows
by stage (a base of ClientTableModel)."""

from __future__ import annotations

import heapq
from bisect import bisect_left

from PySide6.QtCore import QCollatorSortKey, Qt

from app.domain.client_summary import ClientSummary
from ui.models.client_columns import sort_state
from ui.models.client_rows import ClientRows
from ui.models.names import name_key
from ui.models.row_merge import StageIndex, insert_position, sorted_by, stage_buckets, stage_index
from ui.qtfix import emit


def sort_key(summary: ClientSummary) -> tuple[QCollatorSortKey, int]:
    """Clients in name order: without the legal form, by the locale's collation (ui.models.names), then id.
    Keys are cached per name, so equal names give the same key object and the id decides."""
    return name_key(summary.name), summary.id


class ClientOrder(ClientRows):
    """The rows kept in the table's order (Python's sort, not per-pair data()), and by stage in name order."""

    def row_key(self, summary: ClientSummary):
        if self._sort_column < 0:
            return sort_key(summary)
        return self.sort_value(summary, self._sort_column), sort_key(summary)

    def _sorted(self, rows: list[ClientSummary]) -> list[ClientSummary]:
        """Sort by row_key with the keys computed once (no Python call per comparison)."""
        return sorted_by(rows, self.row_key, self._descending)

    def _insert_position(self, summary: ClientSummary) -> int:
        return insert_position(self._rows, self.row_key(summary), self.row_key, self._descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows (column -1: by name); persistent indexes follow their clients. Asking for the
        order the rows are already kept in does nothing (restoring the header's saved state at start-up
        sorted 50 000 rows twice for nothing: 1.1 s)."""
        column, descending = sort_state(column, order)
        if (column, descending) == (self._sort_column, self._descending):
            return
        named = self._in_name_order()
        self._sort_column, self._descending = column, descending
        emit(self.layoutAboutToBeChanged)
        persistent = self.persistentIndexList()
        anchors = [(self._rows[i.row()].id, i.column()) for i in persistent]
        self._rows = self._sorted(self._rows) if named is None else self._from_name_order(named)
        self._reindex()
        # the cached matches are in the rows' order (text_matches): not this one. The board's buckets are in name
        # order whatever the table's: kept (made again they are a sort of every client by collation key when the
        # table is in another order, ~0.3 s at 50 000 clients)
        self._changed(buckets_too=False)
        self.changePersistentIndexList(persistent, [self.index(self._row_of[cid], col) for cid, col in anchors])
        emit(self.layoutChanged)

    def _from_name_order(self, named: list[ClientSummary]) -> list[ClientSummary]:
        """``named`` (rows in ``sort_key`` order) in the table's order, by the sort column's value alone (the lazy
        start's worker does the same: ui.models.first_order)."""
        from ui.models.first_order import in_saved_order  # it imports ui.models.clients, built on this module

        return in_saved_order(named, self._sort_column, self._descending, self.today())

    def _in_name_order(self) -> list[ClientSummary] | None:
        """The rows in name order (``sort_key``) without sorting them: as they are or reversed when the table is in
        that order, else the board's name-ordered buckets merged (n·log 5 comparisons); None when the buckets are not
        made. A header click then sorts by the column's value alone (``sorted_from_name_order``): sorting 50 000 rows
        by (value, collation key) was 0.4–0.8 s of the UI thread."""
        order = (self._sort_column, self._descending)
        if order in ((-1, False), (self.COL_NAME, False)):
            return self._rows
        if order == (self.COL_NAME, True):
            return self._rows[::-1]
        buckets = self._by_stage
        if buckets is None or sum(map(len, buckets.values())) != len(self._rows):
            return None
        return list(heapq.merge(*buckets.values(), key=sort_key))

    # ------------------------------------------------------------ the board's rows by stage

    def stage_count(self, stage: int) -> int:
        return self._stage_counts.get(stage, 0)

    def stage_rows(self, stage: int) -> list[ClientSummary]:
        """The clients at ``stage`` in name order (sort_key), whatever order the table is sorted in."""
        if self._by_stage is None:
            buckets = stage_buckets(self._rows)
            if self._sort_column >= 0 or self._descending:
                # the table in another order: each bucket sorted by sort_key, as the board shows it in name order
                # (by the full name's casefold before: another order than a window sorted by name, or a fresh one)
                for bucket in buckets.values():
                    bucket[:] = sorted_by(bucket, sort_key)
            self._by_stage = buckets
        return self._by_stage.get(stage, [])

    def stage_index(self, stage: int) -> StageIndex:
        """``stage_rows(stage)`` made ready for a board column (``row_merge.StageIndex``): taken from the worker's
        merge plan after a delta reload, else made here once per change of rows. Not to be changed in place."""
        index = self._stage_indexes.get(stage)
        if index is None:
            index = self._stage_indexes[stage] = stage_index(self.stage_rows(stage))
        return index

    def _patch_buckets(self, buckets: dict[int, list[ClientSummary]], indexes: dict[int, StageIndex],
                       replaced: list[tuple[ClientSummary | None, ClientSummary | None]]) -> None:
        """Keep ``stage_rows``' buckets (each in ``sort_key`` order) across a few replaced rows (old, new; None for
        a new or a deleted client) by binary search, copying only the buckets that change (the others may have been
        handed out); the untouched stages keep their ``stage_index``. With the table sorted by another column the
        buckets were sorted again from scratch at the next search keystroke after any change: 450–620 ms of the UI
        thread at 50 000 clients; in name order a pass over every row, ~6 ms."""
        patched, copied = dict(buckets), set()
        for old, new in replaced:
            for summary, remove in ((old, True), (new, False)):
                if summary is None:
                    continue
                stage = summary.stage
                if stage not in copied:
                    patched[stage] = list(patched.get(stage, ()))
                    copied.add(stage)
                bucket = patched[stage]
                at = bisect_left(bucket, sort_key(summary), key=sort_key)
                if not remove:
                    bucket.insert(at, summary)
                elif at < len(bucket) and bucket[at].id == summary.id:
                    del bucket[at]
                else:  # not where its key says (names the collator holds equal, «Цех 09» / «Цех 9»): made afresh
                    return
        for stage in copied:
            if not patched[stage]:
                del patched[stage]  # as stage_buckets: no empty bucket
        self._by_stage = patched
        self._stage_indexes = {stage: index for stage, index in indexes.items() if stage not in copied}
