"""The work area's reads of every client row: at once or in a worker, merged into the views, the budgets and
counts started once the rows are painted, the basis the next read compares with (a base of WorkArea)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from app import gcpause
from app.errors import UserError
from ui import loading

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QStackedWidget as AreaBase

    from app.persistence.stamps import ListBasis
    from app.services.changes import Changes
    from app.services.list_read import ListRead
    from ui.models.clients import ClientTableModel
    from ui.models.row_merge import MergePlan
    from ui.ops import Ops
    from ui.tasks import TaskManager
    from ui.views.client_list import ClientListPanel
    from ui.views.kanban import KanbanBoard
else:
    AreaBase = object

log = logging.getLogger(__name__)


class RowReads(AreaBase):
    """The rows' reads; they act on the work area's state (``ui.work_area.WorkArea``)."""

    if TYPE_CHECKING:  # the work area's state and methods these use
        db: Any
        ops: Ops
        tasks: TaskManager
        clients: ClientTableModel
        list_panel: ClientListPanel
        board: KanbanBoard
        _letters_later: QTimer
        _budget_generation: int
        _reload_generation: int
        _after_paint: loading.AfterPaint | None
        _pending: list[tuple[Changes, object]]
        _list_basis: ListBasis | None
        _unstamped: set[int]
        _written_during_read: set[int] | None

        def _quiet_views(self) -> AbstractContextManager[None]: ...
        def _update_empty(self) -> None: ...
        def _follow_changes(self, changes: Changes, initiator: object) -> None: ...
        def _load_budgets_async(self) -> None: ...
        def _load_question_counts(self, ids: list[int] | None) -> None: ...
        def _prepare_search_indexes(self) -> None: ...

    def reload_all(self) -> None:
        """Every client now, in one constant-size set of queries; budgets follow from a worker thread.
        The refresh path reads in a worker instead (``_reload_all_async``)."""
        from app.services.list_read import read_list

        self._reload_generation += 1
        self._take_read(read_list(self.db, self._basis()), decorations=True)

    def _take_read(self, read: ListRead, decorations: bool, plan: MergePlan | None = None) -> None:
        """A ``read_list`` answer in the views: every row (``set_rows``: a reset when many differ), or the changed
        rows merged (``merge_rows``); its basis kept for the next reload. ``decorations=False``: the caller reads
        the budgets and the open-question counts later (``_all_rows_read``: once the rows are painted; the cards
        keep the counts they had meanwhile). ``plan``: the merged order a worker computed (ui.models.row_merge)."""
        # rows changed here after the read began are forgotten in its basis (``ListRead.keeping``); those before,
        # in the basis it compared with (``_basis``)
        self._list_basis, self._unstamped = read.basis, set()
        rows, gone = read.rows, read.gone
        with self._quiet_views():
            if gone is None:  # every row
                self.clients.set_rows(rows)
            else:
                self.clients.merge_rows(rows, gone, plan)
            self.board.update_headers()
            if decorations:
                self._load_budgets_async()
                self._load_question_counts(None)
            self._update_empty()

    def _reload_all_async(self) -> None:
        """Every client's row after a change, read in a worker (the stamps, and the rows whose stamp changed:
        ``app.services.list_read``; every row ~0.1 s at 5 000 clients, ~0.5 s at 50 000); the rows are handed to
        the model in one go. A newer reload makes the answer of an older one void.
        Used from READ_IN_WORKER_FROM clients on (one COUNT to know): a smaller database is read at once,
        in less than a frame, and the views show the change without a moment of old rows. A delta of many rows is
        merged into the list's order in the worker too (``ui.models.row_merge``: ~80 ms of the UI thread for a
        CSV import of 5 000 clients)."""
        from app.services.list_read import read_list

        self._reload_generation += 1
        generation, db, basis = self._reload_generation, self.db, self._basis()
        planner, most = self.clients.merge_planner(), self.clients.INCREMENTAL_LIMIT
        self._written_during_read = set()

        def work(_progress) -> tuple[ListRead, MergePlan | None]:
            read = read_list(db, basis)
            if planner is None or read.gone is None or len(read.rows) + len(read.gone) <= most:
                return read, None
            return read, planner.plan(read.rows, read.gone)

        self.tasks.start(work, lambda answer: self._all_rows_read(generation, *answer),
                         lambda exc: self._reload_failed(generation, exc))

    def _all_rows_read(self, generation: int, read: ListRead, plan: MergePlan | None = None) -> None:
        """The rows of a reload in the views; the budgets, the open-question counts and the reads waiting for an
        idle pool (the dock's reminders) start once the list and the board have painted them
        (``loading.AfterPaint``): started with the rows, they took the interpreter lock from the layout and paint
        (~100 ms at 5 000 clients)."""
        if generation != self._reload_generation:
            return
        written, self._written_during_read = self._written_during_read or set(), None
        release = self.tasks.hold_idle()
        gate = loading.AfterPaint(self, self._row_views(), lambda: self._rows_painted(gate, release))
        self._drop_after_paint(gate)
        # rows this window wrote meanwhile stay as written (the read may be older); read again right after
        self._take_read(read.keeping(written, self.clients.summary), decorations=False, plan=plan)
        self._follow_pending()
        gate.armed()
        if written:
            self._reload_all_async()

    def _row_views(self) -> list:
        return [self.list_panel.view, *(column.view for column in self.board.columns)]

    def _rows_painted(self, gate: loading.AfterPaint, release: Callable[[], None]) -> None:
        try:
            if gate is self._after_paint:
                self._after_paint = None
                gcpause.freeze_long_lived()  # the new rows live until the next reload: out of full collections
                self._load_budgets_async()
                self.tasks.when_idle(self._prepare_search_indexes)
                # a grouped query on the UI thread (~2 ms at 5 000 clients): not in the event that sets the rows
                self._load_question_counts(None)
        finally:
            release()  # after the budgets' start: the reminders wait for their delivery, as before
            gate.deleteLater()

    def _drop_after_paint(self, new: loading.AfterPaint | None = None) -> None:
        """Forget a pending after-paint start (a newer reload's rows, or closing): its hold is released."""
        old, self._after_paint = self._after_paint, new
        if old is not None:
            old.run_now()

    def reads_deferred(self) -> bool:
        """A reload's budgets still wait for its rows' paint."""
        return self._after_paint is not None

    def start_deferred_reads(self) -> None:
        """Start now what waits for the rows' paint (tests and the screenshot script, which wait for it)."""
        if self._after_paint is not None:
            self._after_paint.run_now()

    def _follow_pending(self) -> None:
        pending, self._pending = self._pending, []
        for changes, initiator in pending:
            self._follow_changes(changes, initiator)

    def _reload_failed(self, generation: int, exc: BaseException) -> None:
        """The rows stay as they were; a refused read (e.g. a database gone) is said like any refusal."""
        if generation != self._reload_generation:
            return
        self._written_during_read = None
        if isinstance(exc, UserError):
            self.ops.report_error(exc)
        else:
            log.error("reading the clients failed: %r", exc)
        self._follow_pending()

    def stop_background(self) -> None:
        self._letters_later.stop()
        self._budget_generation += 1
        self._reload_generation += 1
        self._pending.clear()
        self._drop_after_paint()

    def _basis(self) -> ListBasis | None:
        """The basis of the rows held: the last read's, with the stamps of the rows read since without them
        forgotten (a restore may bring back the very stamps they had: the next read must read them again). Made
        when a read needs it, not at each local change (a copy of every stamp: ~0.6 ms at 50 000 clients)."""
        if self._unstamped and self._list_basis is not None:
            self._list_basis = self._list_basis.forgetting(self._unstamped)
        self._unstamped = set()
        return self._list_basis

    def remember_first_screen(self) -> bool:
        """At close: the rows held, for the next start's first screen (``app.services.first_screen.remember``)."""
        from app.services.first_screen import remember

        return remember(self.db, self.clients.summaries(), self._basis())
