"""The client table model's rows and what is kept about each: the state its parts share, lookups, the day,
stalled clients, budgets and open questions (the base of ClientTableModel)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Signal

from app.domain.budget_summary import BudgetSummary
from app.domain.client_summary import ID_OF, STAGE_OF, ClientSummary
from app.domain.stages import Stage
from app.domain.stalled import DEFAULT_STALLED_DAYS
from ui.models.client_columns import ClientColumns, column_value
from ui.models.client_roles import ClientRole, Index
from ui.models.digit_index import DigitIndex
from ui.models.letter_index import LetterIndex
from ui.models.matches import Matches
from ui.models.names import name_key
from ui.models.row_merge import StageIndex
from ui.qtfix import emit


class ClientRows(ClientColumns, QAbstractTableModel):
    """Every client as one row (ClientSummary), indexed by id and counted by stage; holds no database handle.
    The order (ClientOrder), the search (ClientSearch) and the feeding (ClientFeed) build on it."""

    rows_updated = Signal(list)  # ids whose rows were replaced, added or removed by update_rows
    decorations_changed = Signal()  # budgets or the stalled threshold changed

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

    def _changed(self, *, buckets_too: bool = True) -> None:
        """Rows were replaced or reordered: forget cached matches and (unless only reordered: ``buckets_too``
        false, their name order does not depend on the table's) the stage buckets."""
        self._matches.clear()
        self._everyone = None
        if buckets_too:
            self._by_stage = None
            self._stage_indexes = {}
        self._rows_generation += 1  # a digit index a worker makes from the rows before is not taken

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

    def sort_value(self, s: ClientSummary, col: int):
        if col == self.COL_NAME:
            return name_key(s.name)
        return column_value(s, col, self.today())

    # ------------------------------------------------------------ decorations

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

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)
