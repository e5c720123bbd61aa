"""The client table model's feeding: all rows afresh, a few replaced, or a delta read merged in, keeping the
views' scroll and selection when few change (a base of ClientTableModel)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex

from app.domain.client_summary import ID_OF, NAME_OF, ClientSummary
from app.gcpause import paused_gc
from ui.models.client_search import ClientSearch
from ui.models.row_merge import MergePlan, MergePlanner, merged_order, stage_buckets
from ui.qtfix import emit


class ClientFeed(ClientSearch):
    """How rows come in: ``set_rows``, ``update_rows``, ``merge_rows``."""

    INCREMENTAL_LIMIT = 64  # set_rows with at most this many changed clients updates rows, not resets
    PATCH_FRACTION = 8  # merge_rows patches the board's buckets for up to 1/8 of the rows changed (another order)

    def set_rows(self, rows: list[ClientSummary], in_name_order: bool = False,
                 in_order: tuple[int, bool] | None = None, named: list[ClientSummary] | None = None) -> None:
        """All clients afresh. When only a few rows differ from what is shown (a reload after an
        import of some clients, or nothing changed at all), only those are replaced, added or removed:
        views keep their scroll position and selection and repaint nothing else; otherwise a reset.
        ``in_name_order``: the caller vouches that ``rows`` are in ``sort_key`` order (``ui.models.names.presorted``
        in a worker, the lazy start's rows): while the table is in that order they are not sorted again (the keys
        of 50 000 rows and a pass of comparisons, ~40 ms of the UI thread before the first screen). ``in_order``: the
        same for another order, (column, descending) as ``sort_state`` gives it (``ui.models.first_order``) — rows in
        name order while the table is in another are put in it by the column's value alone; with ``in_order``,
        ``named``: the same rows in name order, the board's columns taken from them (made from the table's order they
        were a sort of every client by collation key: ~0.7 s at 50 000 clients before the first screen)."""
        if in_order is None and in_name_order:
            in_order = (-1, False)
        with paused_gc():  # sort keys, indexes and the column lists: thousands of acyclic objects
            if self._rows and rows == self._fed:  # the same rows in the same order: one C-level compare
                return
            fresh = dict(zip(map(ID_OF, rows), rows, strict=True))  # once for both checks below (each built its own)
            touched = self._changed_ids(rows, fresh) if self._rows else None
            if touched is not None:
                self.update_rows(touched, [fresh[i] for i in touched if i in fresh])
            else:
                taken = None  # name-ordered rows for the board's columns (``named``)
                same_order = self._in_shown_order(rows, fresh) if self._rows else None
                self.beginResetModel()
                if same_order is not None:
                    self._rows = same_order
                elif in_order is not None and in_order == (self._sort_column, self._descending):
                    self._rows = list(rows)
                    taken = named if named is not None and len(named) == len(rows) else None
                elif in_order == (-1, False):  # in name order, the table in another: by the column's value alone
                    self._rows = self._from_name_order(rows)
                    taken = rows
                else:
                    self._rows = self._sorted(rows)
                self._reindex()
                self._compact.clear()
                self._forget_digits()
                self._changed()
                if taken is not None:
                    self._by_stage = stage_buckets(taken)
                self.endResetModel()
            self._fed = list(rows)

    def _changed_ids(self, rows: list[ClientSummary], fresh: dict[int, ClientSummary]) -> list[int] | None:
        """Ids whose rows differ from the shown ones, or None when there are too many for update_rows
        (``fresh``: ``rows`` by id)."""
        if len(fresh) != len(rows):
            return None
        shown, get, row_of = self._rows, fresh.get, self._row_of
        touched = [i for i in fresh if i not in row_of]
        for start in range(0, len(shown), 2048):  # stop early when a mass change makes a reset cheaper
            if len(touched) > self.INCREMENTAL_LIMIT:
                return None
            part = shown[start:start + 2048]
            # one C-level pass: the fresh row of each shown id, compared with the shown row
            touched += [old.id for old, new in zip(part, map(get, map(ID_OF, part)), strict=True) if new != old]
        return touched if len(touched) <= self.INCREMENTAL_LIMIT else None

    def _in_shown_order(self, rows: list[ClientSummary],
                        fresh: dict[int, ClientSummary]) -> list[ClientSummary] | None:
        """``rows`` in the order of the rows shown, when they are the same clients with the same names and the
        table is in name order (a reload after a restore or an import that changed stages, checklists…, not
        names): the order is then known, and one pass over the rows replaces a sort by collation keys (n·log n
        comparisons, ~8 ms of the UI thread at 5 000 clients). None when the order must be computed."""
        if self._sort_column >= 0 or self._descending or len(rows) != len(self._rows) or len(fresh) != len(rows):
            return None
        ordered = list(map(fresh.get, map(ID_OF, self._rows)))  # C-level passes: ~4× the attribute loops
        if None in ordered or list(map(NAME_OF, ordered)) != list(map(NAME_OF, self._rows)):  # type: ignore[arg-type]
            return None
        return ordered  # type: ignore[return-value]  # no None left: checked above

    def update_rows(self, ids: Iterable[int], rows: list[ClientSummary]) -> None:
        """Replace the named clients with fresh rows; ids without a row were deleted.

        Up to INCREMENTAL_LIMIT clients row by row (views keep scroll and selection); more — an import of
        thousands — as one reset with one sort: row-by-row inserts reindex the whole list each (quadratic)."""
        fresh = {row.id: row for row in rows}
        touched = sorted(set(ids) | set(fresh))
        buckets, indexes = self._by_stage, self._stage_indexes
        self._changed()
        self._fed = None
        if len(touched) > self.INCREMENTAL_LIMIT:
            gone = set(touched)
            with paused_gc():
                kept = [s for s in self._rows if s.id not in gone]
                kept += fresh.values()
                self.beginResetModel()
                self._rows = self._sorted(kept)
                self._reindex()
                self._compact.clear()
                self._forget_digits()
                self.endResetModel()
            emit(self.rows_updated, touched)
            return
        replaced: list[tuple[ClientSummary | None, ClientSummary | None]] = []  # (old, new) for the board's buckets
        for client_id in touched:
            row = self._row_of.get(client_id)
            new = fresh.get(client_id)
            replaced.append((self._rows[row] if row is not None else None, new))
            self._compact.pop(client_id, None)
            if self._digits is not None and not self._digits.change(client_id, new):
                self._forget_digits()
            if row is not None and new is not None and self.row_key(new) == self.row_key(self._rows[row]):
                if new.stage != self._rows[row].stage:
                    self._count_stage(self._rows[row], -1)
                    self._count_stage(new, 1)
                self._rows[row] = new
                if self._letters is not None and not self._letters.change(row, new):
                    self._letters = None
                emit(self.dataChanged, self.index(row, 0), self.index(row, self.columnCount() - 1))
                continue
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                self._count_stage(self._rows.pop(row), -1)
                del self._row_of[client_id]
                self._reindex_from(row)
                self.endRemoveRows()
            if new is not None:
                position = self._insert_position(new)
                self.beginInsertRows(QModelIndex(), position, position)
                self._rows.insert(position, new)
                self._count_stage(new, 1)
                self._reindex_from(position)
                self.endInsertRows()
        if buckets is not None:
            self._patch_buckets(buckets, indexes, replaced)
        emit(self.rows_updated, touched)

    def merge_planner(self) -> MergePlanner | None:
        """What a worker needs to merge a delta read into the rows shown (``ui.models.row_merge``), taken now on
        the UI thread; None unless the table is in name order (another column's keys read the model's state)."""
        if self._sort_column >= 0 or self._descending:
            return None
        return MergePlanner(self._rows, self._row_of, self._rows_generation)

    def merge_rows(self, rows: list[ClientSummary], gone: Iterable[int], plan: MergePlan | None = None) -> None:
        """Changed and new clients' rows in, the deleted ones (``gone``) out: a reload that read only the rows whose
        stamp changed (app.services.list_read). Up to INCREMENTAL_LIMIT row by row (update_rows); more in one
        reset, in the order ``plan`` computed in the worker when the rows did not change since its planner was
        made, else in ``row_merge.merged_order`` (no sort of the whole list below PLACE_MOST placed rows), and
        only the changed rows' search texts are made again."""
        gone = list(gone)
        if len(rows) + len(gone) <= self.INCREMENTAL_LIMIT:
            self.update_rows([*map(ID_OF, rows), *gone], rows)
            return
        with paused_gc():
            taken = plan if plan is not None and plan.generation == self._rows_generation else None
            buckets, indexes = self._by_stage, self._stage_indexes
            # (old, new) rows for the board's buckets: with the table in another order (see below)
            patch: list[tuple[ClientSummary | None, ClientSummary | None]] | None = None
            if (taken is None and buckets is not None and (self._sort_column >= 0 or self._descending)
                    and len(rows) + len(gone) <= len(self._rows) // self.PATCH_FRACTION):
                shown, row_of = self._rows, self._row_of
                patch = [(shown[row_of[s.id]] if s.id in row_of else None, s) for s in rows]
                patch += [(shown[row_of[cid]], None) for cid in gone if cid in row_of]
            self.beginResetModel()
            if taken is not None:
                self._rows, self._row_of, self._stage_counts = taken.rows, taken.row_of, taken.stage_counts
                self._letters = None
            else:
                self._rows = merged_order(self._rows, self._row_of, rows, gone, self.row_key, self._sort_column < 0,
                                          self._descending)
                self._reindex()
            touched = [*map(ID_OF, rows), *gone]
            for client_id in touched:
                self._compact.pop(client_id, None)
            digits = self._digits
            if digits is not None and (len(touched) > digits.CHANGES_MAX  # it would give up after as many
                                       or not all(digits.change(cid, self.summary(cid)) for cid in touched)):
                self._forget_digits()
            self._changed()
            if taken is not None:  # the board's columns read them in endResetModel
                self._by_stage, self._stage_indexes = taken.by_stage, dict(taken.stage_indexes)
            elif patch is not None and buckets is not None:
                # the buckets are in name order while the table is not: sorting them again by collation keys was
                # 284-450 ms of the UI thread at 50 000 clients; a few thousand binary searches are a fraction
                self._patch_buckets(buckets, indexes, patch)
            self._fed = None
            self.endResetModel()
        emit(self.rows_updated, touched)
