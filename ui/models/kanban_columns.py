"""One kanban column's model: the clients at a stage that pass the search, fed from ClientTableModel."""

from __future__ import annotations

from bisect import bisect_left
from operator import is_not

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QStringListModel,
    Qt,
    Signal,
)

from app.domain.client_summary import ID_OF, ClientSummary
from app.i18n import _
from ui.models.client_drag import MIME_CLIENTS, decode_clients, encode_clients
from ui.models.client_filter import ClientFilter, CompiledFilter
from ui.models.client_order import sort_key
from ui.models.client_roles import (
    ROLE_BUDGET,
    ROLE_CARD,
    ROLE_DAYS,
    ROLE_DISPLAY,
    ROLE_ID,
    ROLE_SORT,
    ROLE_STALLED,
    ROLE_SUMMARY,
    ROLE_TOOLTIP,
    ROW_FLAGS,
    TABLE_ROLES,
    Index,
)
from ui.models.clients import ClientTableModel
from ui.models.names import split_legal_form
from ui.qtfix import emit


class KanbanColumnModel(QStringListModel):
    """One kanban column: the clients at ``stage`` that pass the search, in name order.

    Fed from the shared ClientTableModel: a filter change rebuilds the column from the source's
    stage bucket and cached search matches (no per-row virtual calls), a refresh of some clients
    moves just those cards. Accepts drops of cards from the neighbouring stages and asks the window
    to move them (the move may still be cancelled).

    A QStringListModel holding empty texts: its rowCount()/index() stay in C++ (views and selection models ask
    them often); only the painted cards reach Python (data())."""

    move_requested = Signal(int, int)  # client id, target stage
    move_refused = Signal(str)  # why a drop was refused (a card from a stage that is not a neighbour)

    def __init__(self, stage: int, source: ClientTableModel, parent=None) -> None:
        super().__init__(parent)
        self.stage = int(stage)
        self.source = source
        self._compiled = CompiledFilter()
        # the cards: ids and rows, aligned with the string list's rows (whose texts say nothing: see rebuild)
        self._ids: list[int] = []
        self._rows: list[ClientSummary] = []
        # id -> row: made at the first refresh card by card after a rebuild, then kept
        self._by_id_made: dict[int, ClientSummary] | None = {}
        self._row_of: dict[int, int] | None = {}
        self._shared = False  # _ids and _rows are the source's (StageIndex, Matches' split): copied before a change
        # the source's list of search matches the column was made from, while it shows exactly that (see rebuild)
        self._basis: list[ClientSummary] | None = None
        self._editing = False
        # a card being added or removed row by row: applied to _ids / _rows between the string list's "about to"
        # and "done" signals (these slots are connected before any view's), so that data() answers for the rows
        # as they are at each signal
        self._pending: tuple[int, ClientSummary | None] | None = None
        self.rowsInserted.connect(self._apply_pending)
        self.rowsRemoved.connect(self._apply_pending)
        source.modelReset.connect(self.rebuild)
        source.rows_updated.connect(self._on_rows_updated)
        source.decorations_changed.connect(self._on_decorations)
        self.rebuild()

    # ------------------------------------------------------------ feeding

    def set_filter(self, value: ClientFilter) -> None:
        self._compiled = CompiledFilter(value)
        self.rebuild()

    def _accepts(self, s: ClientSummary | None) -> bool:
        return s is not None and s.stage == self.stage and self._compiled.matches(self.source, s, use_stage=False)

    def _visible(self) -> tuple[list[ClientSummary], list[ClientSummary] | None]:
        """(the column's rows, the source's list of the search's matches at this stage when the rows are that
        very list — nothing else filters — else None)."""
        source, f = self.source, self._compiled.value
        matched = source.matches_at_stage(self._compiled, self.stage)
        rows = source.stage_rows(self.stage) if matched is None else matched
        if f.approach is not None:
            rows = [s for s in rows if s.approach == f.approach]
        if f.stalled_only:
            rows = [s for s in rows if source.is_stalled(s)]
        if f.only_ids is not None:
            rows = [s for s in rows if s.id in f.only_ids]
        return rows, (matched if rows is matched else None)

    def rebuild(self) -> None:
        """Show the stage's clients that pass the filter now. A search keystroke at 50 000 clients makes up to all
        of them anew: the ids come from the source's split of the matches, and the string list holds empty texts
        (a card is found by its row: ``_rows``), so no pass here reads the rows or makes a text per card (~20 ms
        a broad letter over the five columns before); no id map is made (``row_of`` bisects)."""
        f = self._compiled.value
        previous, self._basis = self._basis, None  # set again below when the rows are the search's list
        if (f.approach is None and not f.stalled_only and f.only_ids is None
                and self.source.matches_at_stage(self._compiled, self.stage) is None):
            # nothing filters the column (no text, or one every client matches): the source's ready index of the
            # stage (made by the worker of a delta reload), shared, not a pass over the column here
            index = self.source.stage_index(self.stage)
            if index.ids is self._ids and index.rows is self._rows:
                return  # the column shows that index already
            ids, rows, shared = index.ids, index.rows, True
        else:
            rows, basis = self._visible()
            if basis is not None and basis is previous:
                # the search's matches at this stage are the very list the column was made from (a letter that
                # narrowed nothing away, ClientTableModel.text_matches): nothing to compare (~12 ms a keystroke
                # over five columns at 50 000 clients)
                self._basis = basis
                return
            self._basis = basis
            matched_ids = self.source.match_ids_at_stage(self._compiled, self.stage) if basis is not None else None
            ids = matched_ids if matched_ids is not None else list(map(ID_OF, rows))
            shared = basis is not None  # the source's lists (its Matches' split): copied before a change
        if ids == self._ids:  # the same cards (a filter that did not change this column): no reset
            # the new lists, equal in ids: whose they are (``shared``) must hold for both
            old, self._ids, self._rows, self._shared, self._by_id_made = self._rows, ids, rows, shared, None
            # rows read afresh (a reload) are new objects: the view repaints the cards in sight (their pixmaps are
            # cached by content), instead of comparing every row field by field (~15 ms a column of 10 000); the
            # identity pass is C-level over the two lists (the id map's lookups took ~7 ms a column at 50 000)
            if any(map(is_not, old, rows)):
                emit(self.dataChanged, self.index(0, 0), self.index(len(ids) - 1, 0))
            return
        self._ids, self._rows, self._shared, self._by_id_made = ids, rows, shared, None
        self._row_of = None
        self.setStringList([""] * len(ids))  # the texts say nothing: a card is found by its row

    def _own_lists(self) -> None:
        """Copy the id and row lists before changing them: they may be the source's (``StageIndex``, a Matches'
        split). The column then no longer shows the list it was made from (``_basis``)."""
        self._basis = None
        if self._shared:  # (the id map is always the column's own)
            self._ids, self._rows, self._shared = list(self._ids), list(self._rows), False

    def _on_rows_updated(self, ids: list[int]) -> None:
        if len(ids) > ClientTableModel.INCREMENTAL_LIMIT:  # the source was reset: rebuilt already
            return
        self._own_lists()
        by_id = self._by_id()
        for client_id in ids:
            new = self.source.summary(client_id)
            row = self._held_row(client_id)
            keep = self._accepts(new)
            if row is not None and keep and new is not None and sort_key(new) == sort_key(self._rows[row]):
                self._rows[row] = by_id[client_id] = new
                emit(self.dataChanged, self.index(row, 0), self.index(row, 0))
                continue
            if row is not None:
                self._pending = (row, None)
                self._own(QStringListModel.removeRows, row, 1, QModelIndex())
                del by_id[client_id]
            if keep and new is not None:
                position = bisect_left(self._rows, sort_key(new), key=sort_key)
                self._pending = (position, new)
                self._own(QStringListModel.insertRows, position, 1, QModelIndex())
                by_id[client_id] = new

    def _apply_pending(self, *_args) -> None:
        """The string list has just inserted or removed the pending card's row: the card lists follow (first of
        the signal's slots)."""
        if self._pending is None:
            return
        row, new = self._pending
        self._pending = None
        if new is None:
            del self._ids[row]
            del self._rows[row]
        else:
            self._ids.insert(row, new.id)
            self._rows.insert(row, new)
        self._row_of = None

    def _own(self, method, *args) -> bool:
        """Change the id list ourselves; views may not (a finished drag would remove the card)."""
        self._editing = True
        try:
            return method(self, *args)
        finally:
            self._editing = False

    def _on_decorations(self) -> None:
        if self._compiled.value.stalled_only:
            self.rebuild()
        elif self._ids:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self._ids) - 1, 0))

    # ------------------------------------------------------------ lookups

    def row_of(self, client_id: int | None) -> int | None:
        """The card's row, or None when the column does not show the client. Found by bisection on the name
        order with the client's current row (a move changes two columns: rebuilding the id → row map after each
        cost a pass over the column, ~10 000 cards at 50 000 clients); a client the filter hides is not looked
        for (the column holds what the filter passes); the map is the fallback when the rows came in another
        order (stage_rows of a table sorted by another column)."""
        if client_id is None:
            return None
        summary = self.source.summary(client_id)
        if summary is not None:
            at = self._bisected(client_id, summary)
            if at is not None:
                return at
            if not self._accepts(summary):
                return None  # the column holds what its filter passes (a refresh asks _held_row instead)
        return self._held_row(client_id)

    def _bisected(self, client_id: int, summary: ClientSummary) -> int | None:
        """The row where ``summary`` sorts in the column, if the card there is ``client_id``'s."""
        rows = self._rows
        at = bisect_left(rows, sort_key(summary), key=sort_key)
        return at if at < len(rows) and self._ids[at] == client_id else None

    def _by_id(self) -> dict[int, ClientSummary]:
        """Card id -> the row the column shows (made once after a rebuild, then kept by the refreshes)."""
        if self._by_id_made is None:
            self._by_id_made = dict(zip(self._ids, self._rows, strict=True))
        return self._by_id_made

    def _held_row(self, client_id: int) -> int | None:
        """The row of the card with ``client_id`` whatever its row says now (the source may have changed it:
        a refresh card by card asks before it moves the card): bisection with the row the column holds, the
        id → row map only when the rows came in another order."""
        held = self._by_id().get(client_id)
        if held is None:
            return None
        at = self._bisected(client_id, held)
        if at is not None:
            return at
        if self._row_of is None:
            self._row_of = dict(zip(self._ids, range(len(self._ids)), strict=True))
        return self._row_of.get(client_id)

    def total_count(self) -> int:
        """Clients at this stage whatever the filter says."""
        return self.source.stage_count(self.stage)

    def _summary(self, index: Index) -> ClientSummary | None:
        row, rows = index.row(), self._rows
        return rows[row] if 0 <= row < len(rows) and index.model() is self else None

    # ------------------------------------------------------------ Qt model

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in TABLE_ROLES or not index.isValid() or index.column() != 0:
            return None
        s = self._summary(index)
        if s is None:
            return None
        if role == ROLE_CARD:
            source = self.source
            return (s, source.is_stalled(s), source.budget(s.id), s.days_in_stage(source.today()),
                    source.open_questions(s.id))
        if role == ROLE_DISPLAY:
            return s.name
        if role == ROLE_ID:
            return s.id
        if role == ROLE_SUMMARY:
            return s
        if role == ROLE_STALLED:
            return self.source.is_stalled(s)
        if role == ROLE_BUDGET:
            return self.source.budget(s.id)
        if role == ROLE_DAYS:
            return s.days_in_stage(self.source.today())
        if role == ROLE_SORT:
            return split_legal_form(s.name)[1].casefold()
        if role == ROLE_TOOLTIP:
            return self.source.tooltip(s)
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return self._editing and QStringListModel.setData(self, index, value, role)

    def insertRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self._editing and QStringListModel.insertRows(self, row, count, parent)

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self._editing and QStringListModel.removeRows(self, row, count, parent)

    def moveRows(self, *args) -> bool:
        return False

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return ROW_FLAGS

    # ------------------------------------------------------------ drag and drop

    def mimeTypes(self) -> list[str]:
        return [MIME_CLIENTS]

    def mimeData(self, indexes) -> QMimeData:
        seen: dict[int, ClientSummary] = {}
        for index in indexes:
            s = self._summary(index) if index.isValid() else None
            if s is not None:
                seen.setdefault(s.id, s)
        return encode_clients(seen.values())

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(self, data, action, row: int, column: int, parent: Index) -> bool:
        items = decode_clients(data)
        return bool(items) and all(abs(stage - self.stage) == 1 for _id, stage in items)

    def refusal(self, data) -> str | None:
        """Why dropping ``data`` here is refused, when it holds cards from a stage more than one away."""
        if any(abs(stage - self.stage) > 1 for _id, stage in decode_clients(data)):
            return _("A client can only be moved to a neighbouring stage.")
        return None

    def dropMimeData(self, data, action, row: int, column: int, parent: Index) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            message = self.refusal(data)
            if message:
                self.move_refused.emit(message)
            return False
        for client_id, _stage in decode_clients(data):
            emit(self.move_requested, client_id, self.stage)
        return True
