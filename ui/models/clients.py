"""Client rows for the list and the kanban: table model, filter, list proxy and per-stage column models.

Built for 5 000 clients: filtering runs once per keystroke in plain Python over precomputed texts
(narrowing the previous result while the user keeps typing), never as one Qt virtual call per row;
the proxy and the kanban columns are fed from that one result."""

from __future__ import annotations

import heapq
import json
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from enum import IntEnum
from itertools import chain
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollatorSortKey,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from app.domain.budget_summary import BudgetSummary
from app.domain.client_summary import ID_OF, NAME_OF, STAGE_OF, ClientSummary
from app.domain.stages import APPROACH_UI, STAGE_SHORT, Approach, Stage
from app.domain.stalled import DEFAULT_STALLED_DAYS
from app.gcpause import paused_gc
from app.i18n import N_, _, format_number
from ui.models.digit_index import DigitIndex, compact
from ui.models.letter_index import LetterIndex
from ui.models.matches import Matches
from ui.models.names import name_key
from ui.models.row_merge import (
    MergePlan,
    MergePlanner,
    StageIndex,
    insert_position,
    merged_order,
    sorted_by,
    stage_buckets,
    stage_index,
)
from ui.palette import color
from ui.qtfix import emit

if TYPE_CHECKING:
    from ui.models.client_filter import CompiledFilter

MIME_CLIENTS = "application/x-vnedrenie-clients"
EMPTY_ROWS: list[ClientSummary] = []  # matches_at_stage of a stage no match is at (never changed)
EMPTY_IDS: list[int] = []  # and its ids
_DIGIT_INDEX_FROM = 64  # rows from which a worker makes the digit index ahead (fewer: made when asked, at once)
_LETTER_INDEX_FROM = 10_000  # rows from which a worker makes the letter index (fewer: a pass is ~1 ms)


Index = QModelIndex | QPersistentModelIndex


def whole_roubles(amount) -> str:
    """Roubles without kopecks, thousands grouped as the UI language does: ``Decimal("267400.00")`` → ``267 400``
    (``267,400`` in English: the Russian grouping was written by hand in either language, tester H)."""
    return format_number(int(amount))


class ClientRole(IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    SUMMARY = Qt.ItemDataRole.UserRole + 2
    SORT = Qt.ItemDataRole.UserRole + 3
    STALLED = Qt.ItemDataRole.UserRole + 4
    BUDGET = Qt.ItemDataRole.UserRole + 5
    DAYS = Qt.ItemDataRole.UserRole + 6
    CARD = Qt.ItemDataRole.UserRole + 7  # (summary, stalled, budget, days): one call per painted card


# The roles and row flags of the client models (list, proxy, kanban columns), in one place.
# Plain ints: comparing with enum members costs an attribute lookup per data() call.
ROLE_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
ROLE_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
ROLE_FONT = int(Qt.ItemDataRole.FontRole.value)
ROLE_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
ROLE_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
ROLE_ID, ROLE_SUMMARY, ROLE_SORT, ROLE_STALLED, ROLE_BUDGET, ROLE_DAYS, ROLE_CARD = (int(r) for r in ClientRole)
TABLE_ROLES = frozenset({ROLE_DISPLAY, ROLE_TOOLTIP, ROLE_FONT, ROLE_ALIGN, ROLE_FOREGROUND, ROLE_ID, ROLE_SUMMARY,
                         ROLE_SORT, ROLE_STALLED, ROLE_BUDGET, ROLE_DAYS, ROLE_CARD})  # every role the models answer
ALIGN_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled


def sort_key(summary: ClientSummary) -> tuple[QCollatorSortKey, int]:
    """Clients in name order: without the legal form, by the locale's collation (ui.models.names), then id.
    Keys are cached per name, so equal names give the same key object and the id decides."""
    return name_key(summary.name), summary.id


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
    """Every client as one row (ClientSummary); holds no database handle (fed by the window).

    Also the shared search index of the list proxy and the kanban columns: ``text_matches`` answers
    which clients match the typed words, computed once per filter and cached until the rows change."""

    rows_updated = Signal(list)  # ids whose rows were replaced, added or removed by update_rows
    decorations_changed = Signal()  # budgets or the stalled threshold changed

    COL_NAME, COL_INN, COL_APPROACH, COL_STAGE, COL_CHECKLIST, COL_LESSONS, COL_DAYS, COL_CONTACT, COL_PHONE = range(9)
    HEADERS = (N_("Client"), N_("INN"), N_("Approach"), N_("Stage"), N_("Checklist"), N_("Lessons"),
               N_("Days"), N_("Contact"), N_("Phone"))
    HEADER_TIPS: ClassVar[dict[int, str]] = {6: N_("Days since the last stage change")}
    MATCH_CACHE = 8  # filters remembered per generation (typing and deleting letters)
    INCREMENTAL_LIMIT = 64  # set_rows with at most this many changed clients updates rows, not resets
    PATCH_FRACTION = 8  # merge_rows patches the board's buckets for up to 1/8 of the rows changed (another order)

    def __init__(self, parent=None, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._rows: list[ClientSummary] = []
        self._row_of: dict[int, int] = {}
        self._stage_counts: dict[int, int] = {}
        self._compact: dict[int, str] = {}
        self._budgets: dict[int, BudgetSummary] = {}
        self._questions: dict[int, int] = {}  # open questions per client (issue 16), painted on the card
        self._today = today
        self._today_value, self._today_until = date.min, 0.0
        self._sort_column = -1
        self._descending = False
        self.stalled_days = DEFAULT_STALLED_DAYS
        self._matches: dict[tuple, Matches] = {}
        self._everyone: Matches | None = None  # text_matches of a text every client matches, this generation
        self._digits: DigitIndex | None = None  # the digit search's index (made on demand or in a worker)
        self._letters: LetterIndex | None = None  # the first word's index (made in a worker): see text_matches
        self._letters_asked = -1  # the rows generation a letter index was last handed out to be made for
        self._rows_generation = 0  # counts the changes of rows (_changed): see take_digit_index
        self._fed: list[ClientSummary] | None = None  # what set_rows was last given, while still shown as is
        self._by_stage: dict[int, list[ClientSummary]] | None = None
        self._stage_indexes: dict[int, StageIndex] = {}  # stage_index's cache (from a merge plan, or made here)

    # ------------------------------------------------------------ feeding

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

    def _sorted(self, rows: list[ClientSummary]) -> list[ClientSummary]:
        """Sort by row_key with the keys computed once (no Python call per comparison)."""
        return sorted_by(rows, self.row_key, self._descending)

    def _changed(self, *, buckets_too: bool = True) -> None:
        """Rows were replaced or reordered: forget cached matches and (unless only reordered: ``buckets_too``
        false, their name order does not depend on the table's) the stage buckets."""
        self._matches.clear()
        self._everyone = None
        if buckets_too:
            self._by_stage = None
            self._stage_indexes = {}
        self._rows_generation += 1  # a digit index a worker makes from the rows before is not taken

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

    def _insert_position(self, summary: ClientSummary) -> int:
        return insert_position(self._rows, self.row_key(summary), self.row_key, self._descending)

    # ------------------------------------------------------------ sorting (Python's sort, not per-pair data())

    def row_key(self, summary: ClientSummary):
        if self._sort_column < 0:
            return sort_key(summary)
        return self.sort_value(summary, self._sort_column), sort_key(summary)

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
        from ui.models.first_order import in_saved_order  # it imports this module

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

    def _reindex(self) -> None:
        rows = self._rows
        self._letters = None  # its positions are the rows' places
        self._row_of = dict(zip(map(ID_OF, rows), range(len(rows)), strict=True))
        self._stage_counts = dict(Counter(map(STAGE_OF, rows)))

    def _reindex_from(self, start: int) -> None:
        """The id → row map of the rows from ``start`` on, after one row was inserted or removed there (the rows
        before it kept their places): a rename, a new or a deleted client, a row moved by a sort column re-indexed
        all 50 000 rows and recounted their stages twice, ~70 ms of the UI thread."""
        rows = self._rows
        self._letters = None
        self._row_of.update(zip(map(ID_OF, rows[start:]), range(start, len(rows)), strict=True))

    def _count_stage(self, summary: ClientSummary, delta: int) -> None:
        """One client more (``delta`` 1) or less (-1) at its stage; a stage with none left has no entry, as in
        ``_reindex``'s count."""
        count = self._stage_counts.get(summary.stage, 0) + delta
        if count:
            self._stage_counts[summary.stage] = count
        else:
            self._stage_counts.pop(summary.stage, None)

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

    def set_budgets(self, budgets: dict[int, BudgetSummary], *, replace: bool = False, notify: bool = True) -> None:
        """Estimate against actual per client. ``notify=False``: a budget the views do not paint (a client
        without an estimate, for its card), so no repaint is announced."""
        if replace:
            self._budgets = dict(budgets)
        else:
            self._budgets.update(budgets)
        if not notify:
            return
        if self._rows:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self._rows) - 1, 0), [ClientRole.BUDGET])
        emit(self.decorations_changed)

    def set_question_counts(self, counts: dict[int, int], ids: list[int] | None = None) -> None:
        """Open questions per client (``questions.open_question_counts``): all clients when ``ids`` is None,
        else only the clients named (a client absent from ``counts`` has none open)."""
        if ids is None:
            self._questions = dict(counts)
        else:
            for client_id in ids:
                self._questions.pop(client_id, None)
            self._questions.update(counts)
        if self._rows:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self._rows) - 1, 0), [ClientRole.CARD])

    def open_questions(self, client_id: int) -> int:
        return self._questions.get(client_id, 0)

    def set_stalled_days(self, days: int) -> None:
        """The stalled threshold (days in a stage). The same value again (every restore-style refresh reads it
        afresh) changes no row: nothing is announced, so the list and the five columns do not repaint for it."""
        days = max(1, int(days))
        if days == self.stalled_days:
            return
        self.stalled_days = days
        if self._rows:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))
        emit(self.decorations_changed)

    # ------------------------------------------------------------ search

    def text_matches(self, compiled: CompiledFilter) -> Matches | None:
        """Clients whose search text matches the typed words (None: no words typed), cached; in the rows' order
        (each pass keeps it, and the cache is forgotten when the rows change or are sorted).

        While the user keeps typing, the new words only narrow the previous result, so only the
        previous matches are searched again; when they narrow nothing away, the previous result itself is the
        answer (the same object: see Matches)."""
        key = compiled.text_key
        if not key[0]:
            return None
        found = self._matches.get(key)
        if found is not None:
            return found
        rows_all = self._rows
        candidates: list[int] | None = None  # positions to search; None: every row
        base = None
        for other, matches in self._matches.items():
            if (len(matches) <= (len(rows_all) if candidates is None else len(candidates))
                    and compiled.narrows(other)):
                candidates, base = matches.positions, matches
        tokens, compact, also = key
        # digits alone («770»): a text holding them holds them in its compact form too (only non-digits are
        # dropped), so the digit index's hits are the whole answer — no pass over every search text
        alone = self._compact_hits(compact) if compact and candidates is None and tokens == (compact,) else None
        by_stage = None  # the letter index's answer, stage by stage, while it is the whole answer
        if alone is not None:
            positions = sorted(self._row_of[i] for i in alone if i in self._row_of)
        elif candidates is None and self._letters is not None:  # the first word: from the index, not every text
            by_stage = self._letters.find(tokens[0], rows_all)
            positions = sorted(chain.from_iterable(by_stage.values()))  # a merge of runs
            if len(tokens) > 1:
                positions, by_stage = self._token_positions(tokens[1:], positions), None
        else:
            positions = self._token_positions(tokens, candidates)
        if compact and alone is None:
            by_stage = None
            matched = set(positions)
            searched: Iterable[int] = range(len(rows_all)) if candidates is None else candidates
            hits = self._compact_hits(compact)
            if hits is not None and candidates is None:  # the hits' rows looked up, not every row tested
                row_of = self._row_of
                matched.update(row_of[i] for i in hits if i in row_of)
                positions = sorted(matched)
            elif hits is not None:
                positions = [n for n in searched if n in matched or rows_all[n].id in hits]
            else:  # no digit index (a search text holding a NUL): row by row
                compact_of = self.compact_text
                positions = [n for n in searched if n in matched or compact in compact_of(rows_all[n])]
        if also:
            by_stage = None
            matched = set(positions)
            positions = [n for n, s in enumerate(rows_all) if n in matched or s.id in also]
        if len(self._matches) >= self.MATCH_CACHE:
            self._matches.pop(next(iter(self._matches)))
        # the positions are a subset of the candidates (narrows() refuses extra clients): as many, the same ones
        if base is not None and candidates is not None and len(positions) == len(candidates):
            found = base
        elif len(positions) == len(rows_all) and not also:  # every client, in the rows' order
            if self._everyone is None:
                self._everyone = Matches(positions, rows_all, everyone=True)
            found = self._everyone
        else:
            found = Matches(positions, rows_all)
            if by_stage is not None and self._letters is not None and self._sort_column < 0 and not self._descending:
                # the board's split made from the index's lists (in name order, as _split's pass makes them)
                ids_at = self._letters.ids_at
                found.split = {stage: list(map(rows_all.__getitem__, hits)) for stage, hits in by_stage.items()}
                found.split_ids = {stage: ids_at(hits) for stage, hits in by_stage.items()}
        self._matches[key] = found
        return found

    def matches_at_stage(self, compiled: CompiledFilter, stage: int) -> list[ClientSummary] | None:
        """The clients at ``stage`` whose search text matches the typed words, in ``stage_rows``' order; None when
        no words are typed or every client matches them (Matches.everyone: the stage's rows). The matches are
        split by stage once per query for the board's five columns (kept on the Matches, so a text answered by an
        earlier result's object gets its lists too): while the rows are kept in name order, so are the matches
        (one pass over them); each column filtered its whole stage against the matches' ids before (~10 ms a
        keystroke at 50 000 clients). Never changed in place."""
        found = self.text_matches(compiled)
        if found is None or found.everyone:
            return None
        return self._split(found)[0].get(stage, EMPTY_ROWS)

    def match_ids_at_stage(self, compiled: CompiledFilter, stage: int) -> list[int] | None:
        """The ids of ``matches_at_stage`` (same order), made in the same pass: a column took them with a pass of
        its own over its rows, ~8 ms a keystroke at 50 000 clients (the rows are scattered in memory; the split's
        pass reads them anyway). None as ``matches_at_stage``."""
        found = self.text_matches(compiled)
        if found is None or found.everyone:
            return None
        return self._split(found)[1].get(stage, EMPTY_IDS)

    def _split(self, found: Matches) -> tuple[dict[int, list[ClientSummary]], dict[int, list[int]]]:
        """``found``'s rows and ids by stage, in the board's order (made once, kept on ``found``)."""
        if found.split is None or found.split_ids is None:
            split: dict[int, list[ClientSummary]] = {}
            split_ids: dict[int, list[int]] = {}
            if self._sort_column < 0 and not self._descending:
                for s in found.rows:
                    bucket = split.get(s.stage)
                    if bucket is None:
                        split[s.stage], split_ids[s.stage] = [s], [s.id]
                    else:
                        bucket.append(s)
                        split_ids[s.stage].append(s.id)
            else:  # the table sorted by another column: stage_rows are in name order, the matches are not
                ids = found.ids
                for st in set(map(STAGE_OF, found.rows)):
                    split[st] = [s for s in self.stage_rows(st) if s.id in ids]
                    split_ids[st] = list(map(ID_OF, split[st]))
            found.split, found.split_ids = split, split_ids
        return found.split, found.split_ids

    def filter_rows(self, compiled: CompiledFilter) -> list[int]:
        """Source rows (ascending) that pass the whole filter, stage included."""
        rows, f = self._rows, compiled.value
        found = self.text_matches(compiled)
        if found is None or found.everyone:
            result: Iterable[int] = range(len(rows))
        else:  # the matches are in the rows' order (text_matches), so their rows ascend: no sort
            result = found.positions  # (copied below: the proxy changes its map in place)
        if f.stage is not None:
            result = [n for n in result if rows[n].stage == f.stage]
        if f.approach is not None:
            result = [n for n in result if rows[n].approach == f.approach]
        if f.stalled_only:
            result = [n for n in result if self.is_stalled(rows[n])]
        if f.only_ids is not None:
            result = [n for n in result if rows[n].id in f.only_ids]
        return list(result)

    # ------------------------------------------------------------ lookups

    def row_at(self, row: int) -> ClientSummary:
        return self._rows[row]

    summary_at = row_at

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
        """Today's date; the system clock is read at most once a second (date.today() goes through
        the import machinery, and painting asks for it per visible cell)."""
        if self._today != date.today:  # an injected clock (tests): ask it every time
            return self._today()
        now = time.monotonic()
        if now >= self._today_until:
            self._today_value, self._today_until = date.today(), now + 1.0
        return self._today_value

    def is_stalled(self, summary: ClientSummary) -> bool:
        return summary.stage != Stage.DONE and summary.days_in_stage(self.today()) >= self.stalled_days

    def compact_text(self, summary: ClientSummary) -> str:
        """search_text without spaces, brackets, dashes and pluses: phone numbers typed any way match."""
        text = self._compact.get(summary.id)
        if text is None:
            text = self._compact[summary.id] = compact(summary.search_text)
        return text

    def _token_positions(self, tokens: tuple[str, ...], candidates: list[int] | None) -> list[int]:
        """Rows (ascending) among ``candidates`` (None: every row) whose search text holds every token; the rows'
        numbers as they pass are the list proxy's rows, no lookup per match."""
        rows_all, positions = self._rows, candidates
        for token in tokens:
            if positions is None:
                positions = [n for n, s in enumerate(rows_all) if token in s.search_text]
            else:
                positions = [n for n in positions if token in rows_all[n].search_text]
        return list(range(len(rows_all))) if positions is None else positions

    def _compact_hits(self, query: str) -> set[int] | None:
        """Ids of the clients whose compact text holds ``query`` (digits), from the digit index (ui.models.digit_index;
        made here when no worker made it yet). None when ``query`` is not digits or the index cannot be made (a
        search text holding a NUL): the caller tests row by row."""
        if not query.isdigit():
            return None
        if self._digits is None:
            self._digits = DigitIndex.make(self._rows)
        return self._digits.hits(query) if self._digits is not None else None

    def _forget_digits(self) -> None:
        self._digits = None

    def digit_index_work(self) -> tuple[int, Callable[[], DigitIndex | None]] | None:
        """(generation, work) that makes the digit index of the rows shown now off the UI thread (hand its result
        to ``take_digit_index``), or None when there is one or the rows are few (made on demand in no time)."""
        if self._digits is not None or len(self._rows) < _DIGIT_INDEX_FROM:
            return None
        rows = self._rows[:]  # immutable rows: the copy of the list is the snapshot
        return self._rows_generation, lambda: DigitIndex.make(rows)

    def letter_index_missing(self) -> bool:
        """No letter index though the rows are many, and none is being made for these rows (``letter_index_work``
        not asked since they last changed): e.g. after a sort, an added or a renamed client dropped it."""
        return (self._letters is None and len(self._rows) >= _LETTER_INDEX_FROM
                and self._letters_asked != self._rows_generation)

    def letter_index_work(self) -> tuple[int, Callable[[], LetterIndex]] | None:
        """(generation, work) that makes the letter index (ui.models.letter_index) of the rows shown now off the UI
        thread (hand its result to ``take_letter_index``), or None when there is one, one is being made for these
        rows, or the rows are few."""
        if not self.letter_index_missing():
            return None
        rows = self._rows[:]
        self._letters_asked = self._rows_generation
        return self._rows_generation, lambda: LetterIndex.make(rows)

    def take_letter_index(self, generation: int, index: LetterIndex) -> None:
        """A letter index made by ``letter_index_work``: kept when no row changed meanwhile."""
        if self._letters is None and generation == self._rows_generation and index.size == len(self._rows):
            self._letters = index

    def take_digit_index(self, generation: int, index: DigitIndex | None) -> None:
        """A digit index made by ``digit_index_work``: kept when no row changed meanwhile (any change moves the
        generation on, ``_changed``) and the model has made none itself."""
        if index is not None and self._digits is None and generation == self._rows_generation:
            self._digits = index

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
        return ROW_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in TABLE_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        return self.cell(self._rows[row], index.column(), role)

    def cell(self, s: ClientSummary, col: int, role: int):
        """data() for a known row: the list proxy calls it directly (one Python call per cell)."""
        if role == ROLE_DISPLAY:
            return self._display(s, col)
        if role == ROLE_ID:
            return s.id
        if role == ROLE_SUMMARY:
            return s
        if role == ROLE_FOREGROUND or role == ROLE_FONT:
            if col != self.COL_DAYS or not self.is_stalled(s):
                return None
            if role == ROLE_FOREGROUND:
                return color("stalled")
            font = QFont()
            font.setBold(True)
            return font
        if role == ROLE_ALIGN:
            return ALIGN_RIGHT if col in (self.COL_CHECKLIST, self.COL_LESSONS, self.COL_DAYS) else None
        if role == ROLE_SORT:
            return self.sort_value(s, col)
        if role == ROLE_STALLED:
            return self.is_stalled(s)
        if role == ROLE_BUDGET:
            return self._budgets.get(s.id)
        if role == ROLE_DAYS:
            return s.days_in_stage(self.today())
        if role == ROLE_CARD:
            return (s, self.is_stalled(s), self._budgets.get(s.id), s.days_in_stage(self.today()),
                    self._questions.get(s.id, 0))
        if role == ROLE_TOOLTIP:
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
            days = s.days_in_stage(self.today())
            return f"◷ {days}" if self.is_stalled(s) else str(days)
        if col == self.COL_CONTACT:
            return s.contact_name
        if col == self.COL_PHONE:
            return s.contact_phone
        return ""

    def sort_value(self, s: ClientSummary, col: int):
        if col == self.COL_NAME:
            return name_key(s.name)
        return column_value(s, col, self.today())

    def tooltip(self, s: ClientSummary) -> str:
        lines = [s.name, _("INN {inn}").format(inn=s.inn)]
        if s.contract_no:
            lines.append(_("Contract {no}").format(no=s.contract_no))
        if self.is_stalled(s):
            lines.append(_("Stalled: no stage change for {days} days (threshold {limit}).").format(
                days=s.days_in_stage(self.today()), limit=self.stalled_days))
        budget = self._budgets.get(s.id)
        if budget is not None and budget.has_estimate:  # the card may show the sums shortened
            actual = "—" if budget.unreadable else whole_roubles(budget.actual_total)  # see BudgetSummary.unreadable
            lines.append(_("Actual {actual} of {planned} ₽").format(actual=actual,
                                                                   planned=whole_roubles(budget.planned_total)))
            if budget.unreadable:
                lines.append(_("The work log holds entries the program cannot read ({n}): the «Work log» tab names "
                               "them.").format(n=budget.unreadable))
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


def sort_state(column: int, order: Qt.SortOrder) -> tuple[int, bool]:
    """A header's sort indicator as the table keeps its order: (column, descending); a section out of range (none
    shown) is name order, (-1, False)."""
    column = column if 0 <= column < len(ClientTableModel.HEADERS) else -1
    return column, column >= 0 and order == Qt.SortOrder.DescendingOrder


def column_value(s: ClientSummary, col: int, today: date):
    """What column ``col`` (ClientTableModel.COL_*, not the name's) sorts ``s`` by: a number, or the shown text
    casefolded. A plain function of the row and the day, so that a worker can order the first screen's rows as the
    table would (``in_saved_order``)."""
    t = ClientTableModel
    if col == t.COL_STAGE:
        return s.stage
    if col == t.COL_CHECKLIST:
        return s.checklist_done / s.checklist_total if s.checklist_total else -1.0
    if col == t.COL_LESSONS:
        return s.lessons_done / s.lessons_total if s.lessons_total else 0.0
    if col == t.COL_DAYS:
        return s.days_in_stage(today)
    if col == t.COL_INN:
        return s.inn.casefold()
    if col == t.COL_APPROACH:
        return approach_label(s.approach).casefold()
    if col == t.COL_CONTACT:
        return s.contact_name.casefold()
    if col == t.COL_PHONE:
        return s.contact_phone.casefold()
    return ""


def approach_label(code: str) -> str:
    try:
        return _(APPROACH_UI[Approach(code)])
    except ValueError:
        return code
