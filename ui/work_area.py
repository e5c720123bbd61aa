"""The window's work area: client list, stage board, card, checklists, calculator and work log, kept in step.

Built in two steps at a lazy start: the list and the board with the rows read before SQLAlchemy is imported
(``WorkArea(None, …)`` + ``show_first_rows``; this module imports no service at load time for that), then the
tabs that need the database (``attach``). ``WorkArea(db, …)`` does both at once.

It owns the client rows (ClientTableModel), the current client and the one refresh path,
``on_changes(changes, initiator)``, which asks the ``requires_*`` predicates of app.services.changes what
to re-read: named rows in one constant-size query, budgets off the UI thread for all rows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from app import gcpause
from app.errors import UserError
from app.i18n import _, format_number
from app.services.changes import (
    Changes,
    names_many,
    requires_all_rows,
    requires_board_settings,
    requires_budgets,
    requires_card,
    requires_client_rows,
)
from ui import loading
from ui.actions import TAB_BOARD, TAB_CARD, TAB_TITLES
from ui.models.clients import ClientTableModel
from ui.ops import Ops
from ui.qtutil import name_inputs
from ui.settings import column_limits
from ui.tasks import TaskManager
from ui.views.client_header import ClientHeader
from ui.views.client_list import ClientListPanel
from ui.views.kanban import KanbanBoard
from ui.views.list_header import HEADER_KEY

if TYPE_CHECKING:
    from app.persistence.stamps import ListBasis
    from app.services.list_read import ListRead
    from app.services.questions import QuestionSearchMemo
    from ui.models.row_merge import MergePlan
    from ui.views.calculator import CostCalculator
    from ui.views.checklists import LessonChecklistView, StageChecklistView
    from ui.views.client_card import ClientCard
    from ui.views.first_run import FirstRunView
    from ui.views.worklog import WorkLogView

PAGE_WORK, PAGE_EMPTY = range(2)
log = logging.getLogger(__name__)
# what the last session was looking at (WorkArea.restore_choice)
CLIENT_KEY, CLIENT_DATABASE_KEY, CARD_SECTION_KEY = "window/client", "window/clientDatabase", "window/cardSection"
STAGE_FILTER_KEY, APPROACH_FILTER_KEY, STALLED_FILTER_KEY = "clientList/stage", "clientList/approach", "clientList/stalled"


def _int_or_text(value: object) -> int | str | None:
    """A value read from the settings (an INI file gives text back): a whole number as int, else the text."""
    if value is None:
        return None
    text = str(value).strip()
    return int(text) if text.isdigit() else text


class WorkArea(QStackedWidget):
    """The central widget of a loaded window. Signals: ``current_changed(id|None)`` after the current client
    or its row changed (the window updates its actions), ``counts_changed(text, widest)`` for the status bar
    (``widest``: the longest count text at this total)."""

    current_changed = Signal(object)
    counts_changed = Signal(str, str)

    def minimumSizeHint(self) -> QSize:
        """The shown page's: a stack's minimum is its largest page's, so the hidden first-run page (890×303 at
        1280×720 and 125 %) held the work area at that height and the docks below at their minimum (tester O)."""
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else super().minimumSizeHint()

    def setCurrentIndex(self, index: int) -> None:
        super().setCurrentIndex(index)
        self.updateGeometry()  # the minimum is the shown page's
    READ_IN_WORKER_FROM = 500  # clients: from here on, a full reload reads them in a worker (~12 ms below)
    LETTERS_AFTER_MS = 1000  # a dropped letter index is made again this long after the last change of places

    def __init__(self, db, ops: Ops, tasks: TaskManager, settings: QSettings, parent: QWidget | None = None, *,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.setObjectName("workArea")
        self.db, self.ops, self.tasks, self.settings = db, ops, tasks, settings
        self.current_id: int | None = None
        self._syncing = False
        self._default_splitter = False
        self._budget_generation = 0
        self._reload_generation = 0
        self._after_paint: loading.AfterPaint | None = None  # the budgets' start waiting for a reload's paint
        self._pending: list[tuple[Changes, object]] = []  # changes whose views wait for a reload's rows
        self._list_basis: ListBasis | None = None  # the stamps the rows were read with (app.persistence.stamps)
        self._unstamped: set[int] = set()  # clients whose rows were read since without their stamps (_basis())
        self._written_during_read: set[int] | None = None  # clients this window changed while a reload read
        self._question_search: QuestionSearchMemo | None = None  # made at the first search on an open database
        self.clients = ClientTableModel(self, today=today)
        # a letter index dropped by a change of the rows' places is made again a moment later (_letters_maybe_dropped)
        self._letters_later = QTimer(self)
        self._letters_later.setSingleShot(True)
        self._letters_later.setInterval(self.LETTERS_AFTER_MS)
        self._letters_later.timeout.connect(lambda: self.tasks.when_idle(self._prepare_letter_index))
        self.clients.layoutChanged.connect(self._letters_maybe_dropped)
        self.clients.rows_updated.connect(self._letters_maybe_dropped)
        self._today = today
        self._build_frame()
        self._connect()
        if db is not None:
            self.attach(db)

    # ================================================================ building

    def _build_frame(self) -> None:
        """The list, the board, the tab bar (its other pages empty until ``attach``) and the header."""
        self.list_panel = ClientListPanel(self.clients, self)
        self.board = KanbanBoard(self.clients, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("workTabs")
        self.tabs.setDocumentMode(True)
        for index, title in enumerate(TAB_TITLES):
            self.tabs.addTab(self.board if index == TAB_BOARD else QWidget(self.tabs), _(title))
        self.header = ClientHeader([], self)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.tabs, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.list_panel)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.list_panel.setMinimumWidth(260)
        right.setMinimumWidth(600)

        self.stack = self  # the work page and the empty state
        self.addWidget(self.splitter)

    def attach(self, db) -> None:
        """The second step: the card, checklists, calculator, work log and first-run page on ``db`` (an open
        Database), and the refresh path. A client chosen before keeps its place and now shows in the tabs."""
        from ui.views.calculator import CostCalculator
        from ui.views.checklists import LessonChecklistView, StageChecklistView
        from ui.views.client_card import ClientCard
        from ui.views.first_run import FirstRunView
        from ui.views.worklog import WorkLogView

        self.db = db
        self._question_search = None  # QuestionSearchMemo of this database, made at the first search
        self.card: ClientCard = ClientCard(db, self, ops=self.ops)
        self.stage_checklist: StageChecklistView = StageChecklistView(db, self, stage_of=self._stage_of)
        self.lessons: LessonChecklistView = LessonChecklistView(db, self)
        self.calculator: CostCalculator = CostCalculator(db, self, ops=self.ops, compute_now=False)  # background
        self.worklog: WorkLogView = WorkLogView(db, self, ops=self.ops)
        self.worklog.tasks = self.tasks  # a client switch reads the entries in a worker
        current = self.tabs.currentIndex()
        # the board (built already) stays current meanwhile: a stand-in removed while current would show its
        # neighbour, i.e. the calculator pricing its first quote (~27 ms) behind a restored «Work log» tab
        self.tabs.setCurrentIndex(TAB_BOARD)
        views = iter((self.card, self.stage_checklist, self.lessons, self.calculator, self.worklog))
        for index in range(len(TAB_TITLES)):
            if index == TAB_BOARD:
                continue
            widget, stand_in = next(views), self.tabs.widget(index)  # its empty page until now
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, _(TAB_TITLES[index]))
            if stand_in is not None:
                stand_in.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.empty_state: FirstRunView = FirstRunView(db, self)
        self.addWidget(self.empty_state)
        name_inputs(self)  # every input says what it is to a screen reader
        self.ops.changed.connect(self.on_changes)
        chosen, self.current_id = self.current_id, None
        if chosen is not None:
            self.set_current_client(chosen)

    def is_attached(self) -> bool:
        return self.db is not None

    def _connect(self) -> None:
        self.list_panel.current_changed.connect(lambda cid: self.set_current_client(cid, source="list"))
        self.list_panel.activated.connect(self.open_card)
        self.list_panel.filter_changed.connect(self._on_filter)
        self.list_panel.also_matching = self._clients_with_matching_questions
        self.board.current_changed.connect(lambda cid: self.set_current_client(cid, source="board"))
        self.board.activated.connect(self.open_card)
        for signal in (self.clients.rowsInserted, self.clients.rowsRemoved, self.clients.modelReset):
            signal.connect(self._update_counts)
        self.list_panel.proxy.rowsInserted.connect(self._update_counts)
        self.list_panel.proxy.rowsRemoved.connect(self._update_counts)
        self.list_panel.proxy.layoutChanged.connect(self._update_counts)

    # ================================================================ loading

    def show_first_rows(self, rows: list, stalled_days: int, order: tuple[int, bool] | None = None,
                        named: list | None = None, basis: ListBasis | None = None) -> None:
        """The first screen of a lazy start, before ``attach``: the rows in the list and on the board. ``order``:
        the sort (column, descending) ``rows`` are arranged in (the header's saved one: ui.models.first_order) —
        the table takes it before the rows, so that neither they nor the header restored after them are sorted on
        the UI thread; ``named``: the same rows in name order when ``order`` is another (the board's columns are
        taken from them); ``basis``: the stamps the rows were read with."""
        self._list_basis, self._unstamped = basis, set()
        self.clients.set_stalled_days(stalled_days)
        self.board.set_limits(column_limits(self.settings))
        with self._quiet_views():
            if order is not None:  # an empty table: nothing to sort yet
                column, descending = order
                self.list_panel.proxy.sort(column, Qt.SortOrder.DescendingOrder if descending
                                           else Qt.SortOrder.AscendingOrder)
            self.clients.set_rows(rows, in_order=order, named=named)
            self.board.update_headers()
            self._update_counts()

    def load(self, data: loading.InitialData | None = None) -> None:
        """Fill the views: reading now, or with what a lazy start's worker thread has read already."""
        from app.services import board as board_service
        from app.services.list_read import read_list

        if data is None:
            read = read_list(self.db)
            data = loading.InitialData(rows=read.rows, stalled_days=board_service.stalled_days(self.db),
                                       stages=board_service.stages(self.db), basis=read.basis)
        self.clients.set_stalled_days(data.stalled_days)
        infos = data.stages
        self.stage_checklist.set_stage_info({i.number: i.title for i in infos}, {i.number: i.goal for i in infos})
        self.board.set_limits(column_limits(self.settings))
        with self._quiet_views():
            if data.rows is not None:  # else the first screen's rows, still the file's (read_initial_data)
                self._list_basis, self._unstamped = data.basis, set()
                self.clients.set_rows(data.rows, in_name_order=data.in_name_order)
            self.board.update_headers()
            self._load_budgets_async()
            self._load_question_counts(None)
            self._update_empty()
        self.current_changed.emit(self.current_id)
        self.tasks.when_idle(self._prepare_search_indexes)
        self.tasks.when_idle(self._prepare_question_search)  # once: the engine keeps it compiled

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

    def _prepare_search_indexes(self) -> None:
        """Once the reads of a load or a reload are delivered: the digit search's index (ui.models.digit_index)
        made in a worker, so that the first phone or ИНН typed does not make it on the UI thread (~60 ms at
        50 000 clients), and the first word's (ui.models.letter_index: the first letter answered without a pass
        over every text, from 10 000 clients). Each taken only if no row changed meanwhile."""
        job = self.clients.digit_index_work()
        if job is not None:
            generation, work = job
            self.tasks.start(lambda _progress: work(), lambda index: self.clients.take_digit_index(generation, index),
                             lambda _exc: None)  # the search makes it when asked
        self._prepare_letter_index()

    def _prepare_letter_index(self) -> None:
        """The first word's index (ui.models.letter_index) made in a worker, unless there is one or one is being
        made for these rows; taken only if no row changed meanwhile."""
        letters = self.clients.letter_index_work()
        if letters is not None:
            generation, make = letters
            self.tasks.start(lambda _progress: make(), lambda index: self.clients.take_letter_index(generation, index),
                             lambda _exc: None)  # the search passes over the texts without it

    def _letters_maybe_dropped(self, *_args) -> None:
        """After a sort or rows updated: a letter index dropped (its rows' places changed: a sort, a client added or
        renamed) is made again LETTERS_AFTER_MS after the last such change, once the window is idle — not in the
        paint of the change (its worker holds the interpreter ~0.2 s at 50 000 clients), and not only at the
        next reload."""
        if self.clients.letter_index_missing():
            self._letters_later.start()

    def _prepare_question_search(self) -> None:
        """The search's question statement compiled in a worker (app.services.questions.prepare_question_search),
        not on the first letter typed."""
        db = self.db
        if db is None:
            return
        from app.services.questions import prepare_question_search

        self.tasks.start(lambda _progress: prepare_question_search(db), lambda _result: None,
                         lambda _exc: None)  # a failure costs only the first letter's compile

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

    @contextmanager
    def _quiet_views(self) -> Iterator[None]:
        """While rows move or hide, views shift their current index to a neighbour: that is not the
        user choosing another client, so ignore it and restore the selection afterwards."""
        was = self._syncing
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = was

    def _clients_with_matching_questions(self, text: str) -> set[int]:
        """The search also finds clients by their questions and answers (one query per search pause)."""
        if self.db is None:  # the first screen: the questions are searched once the database is open
            return set()
        if self._question_search is None:
            from app.services.questions import QuestionSearchMemo

            self._question_search = QuestionSearchMemo()
        return self._question_search(self.db, text)

    def _load_question_counts(self, ids: list[int] | None) -> None:
        """Open questions on the cards: one grouped query for the clients named (None: all)."""
        from app.services.questions import open_question_counts

        self.clients.set_question_counts(open_question_counts(self.db, ids), ids)

    def _load_budgets_async(self) -> None:
        """Budget summaries off the UI thread, of the clients with an estimate only (what the cards and the
        header mark; the card of another client asks for its own, ``_ensure_budget``); a newer request
        makes the answer of an older one void."""
        from app.services.budget import budget_summaries

        self._budget_generation += 1
        generation, db = self._budget_generation, self.db
        if self.clients.rowCount():
            self.tasks.start(lambda _progress: budget_summaries(db, None, estimated_only=True),
                             lambda result: self._budgets_loaded(generation, result),
                             lambda _exc: None)  # a failed decoration must not take the window down

    def _budgets_loaded(self, generation: int, result) -> None:
        if generation == self._budget_generation and result is not None:
            self.clients.set_budgets(result, replace=True)
            self._ensure_budget()
            self._update_header()

    def _ensure_budget(self) -> None:
        """The current client's estimate against actual, when the model has none (no estimate): one client's
        entries from the covering index, a few milliseconds."""
        from app.services.budget import budget_summaries

        current = self.current_id
        if current is not None and self.clients.budget(current) is None and self.clients.summary(current):
            self.clients.set_budgets(budget_summaries(self.db, [current]), notify=False)

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

    # ================================================================ refresh

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """The one refresh path: after every action, undo/redo, and changes found by the watcher.
        When every row must be re-read from a database that is not small, the rows are read in a worker
        and the views follow these changes once the rows are in (``_all_rows_read``)."""
        from app.services import clients as client_service
        from app.services.budget import budget_summaries

        if self._question_search is not None:  # a refresh may bring questions: search them afresh
            self._question_search.forget()
        ids = sorted(changes.client_ids)
        everything = requires_all_rows(changes)
        if everything and client_service.count_clients(self.db, self.READ_IN_WORKER_FROM) >= self.READ_IN_WORKER_FROM:
            self._pending.append((changes, initiator))
            self._reload_all_async()
            return
        try:
            with self._quiet_views():
                if everything:
                    self.reload_all()
                elif requires_client_rows(changes):
                    self.clients.update_rows(ids, client_service.list_clients(self.db, ids=ids))
                    self._unstamped.update(ids)  # read without their stamps: the next reload reads them again
                    if self._written_during_read is not None:
                        self._written_during_read.update(ids)
                    self.board.update_headers()
                    self._update_empty()
        except UserError as exc:  # a refused read (a value another program wrote): said, the rows stay as they were
            self.ops.report_error(exc)  # as the worker's reload says it (_reload_failed)
        if not everything and ids and requires_budgets(changes):
            if names_many(changes):  # thousands of clients' log rows: read in a worker, as on a full reload
                self._load_budgets_async()
            else:
                self.clients.set_budgets(budget_summaries(self.db, ids))
        if not everything and changes.questions:
            self._load_question_counts(ids or None)
        self._follow_changes(changes, initiator)

    def _follow_changes(self, changes: Changes, initiator: object) -> None:
        """The views beside the client rows: board settings, the current client's card, checklists,
        calculator, work log, header and selection."""
        if requires_board_settings(changes):
            from app.services import board as board_service

            self.clients.set_stalled_days(board_service.stalled_days(self.db))
            self.board.set_limits(column_limits(self.settings))
        current = self.current_id
        if current is not None and self.clients.summary(current) is None:
            self.card.forget(current)
            self.set_current_client(None)
        elif current is not None:
            self.card.on_changes(changes, initiator)
            if requires_card(changes, current) and self.card.details is not None:
                self.lessons.set_employees(self.card.details.data.employees)
            self.stage_checklist.on_changes(changes, initiator)
            self.lessons.on_changes(changes, initiator)
            summary = self.clients.summary(current)
            if summary is not None:
                self.calculator.show_client_name(summary.name)
        self.calculator.on_changes(changes, initiator)
        self.worklog.on_changes(changes, initiator)
        self._update_header()
        self._sync_selection()
        self.current_changed.emit(self.current_id)

    # ================================================================ selection

    def _stage_of(self, client_id: int) -> int | None:
        summary = self.clients.summary(client_id)
        return summary.stage if summary else None

    def set_current_client(self, client_id: int | None, source: str = "") -> None:
        if self._syncing:
            return
        if client_id == self.current_id:
            self._sync_selection(source)
            return
        self.current_id = client_id
        if self.db is None:  # the first screen: the tabs show it once attached
            self._sync_selection(source)
            return
        self._ensure_budget()
        self.card.set_client(client_id)
        self.stage_checklist.set_client(client_id)
        employees = self.card.details.data.employees if self.card.details is not None else []
        self.lessons.set_client(client_id, employees)
        self.calculator.set_client(client_id)
        self.worklog.set_client(client_id)
        self._update_header()
        self._sync_selection(source)
        self.current_changed.emit(client_id)

    def _sync_selection(self, source: str = "") -> None:
        self._syncing = True
        try:
            if source != "list":
                self.list_panel.select_client(self.current_id, emit=False)
            if source != "board":
                self.board.select_client(self.current_id)
        finally:
            self._syncing = False

    def follow_on_board(self, client_id: int) -> None:
        """After a keyboard move: keep the moved card selected and focused on the board."""
        if self.tabs.currentIndex() == TAB_BOARD:
            self.board.select_client(client_id, focus=True)

    def _update_header(self) -> None:
        summary = self.clients.summary(self.current_id)
        if summary is None:
            self.header.show_client(None, False, None, 0)
            self.card.set_budget(None)
            return
        self.header.show_client(summary, self.clients.is_stalled(summary), self.clients.budget(summary.id),
                                summary.days_in_stage(self.clients.today()))
        self.card.set_budget(self.clients.budget(summary.id))

    def _on_filter(self, value) -> None:
        with self._quiet_views():
            self.board.set_filter(value)
            self.board.update_headers()
        self._sync_selection()

    def open_card(self, client_id: int) -> None:
        self.set_current_client(client_id)
        self.tabs.setCurrentIndex(TAB_CARD)

    def focus_search(self) -> None:
        if self.currentIndex() == PAGE_WORK:
            self.list_panel.focus_search()

    def _update_empty(self) -> None:
        self.setCurrentIndex(PAGE_EMPTY if self.clients.rowCount() == 0 else PAGE_WORK)
        self._update_counts()

    def is_empty(self) -> bool:
        return self.clients.rowCount() == 0

    def _update_counts(self, *args) -> None:
        total, shown = self.clients.rowCount(), self.list_panel.proxy.rowCount()
        text = _("Clients: {n}").format(n=format_number(total))
        if shown != total:
            text = _("Clients: {shown} of {n}").format(shown=format_number(shown), n=format_number(total))
        widest = _("Clients: {shown} of {n}").format(shown=format_number(total), n=format_number(total))
        self.counts_changed.emit(text, widest)

    # ================================================================ settings

    def restore_state(self) -> None:
        s = self.settings
        splitter = s.value("window/splitter")
        self._default_splitter = not (isinstance(splitter, QByteArray) and self.splitter.restoreState(splitter))
        header = s.value(HEADER_KEY)
        if isinstance(header, QByteArray) and not header.isEmpty():
            view_header = self.list_panel.view.horizontalHeader()
            view_header.restoreState(header)
            self.list_panel.proxy.sort(view_header.sortIndicatorSection(), view_header.sortIndicatorOrder())
        try:
            tab = int(str(s.value("window/tab", TAB_BOARD)))
        except (TypeError, ValueError):
            tab = TAB_BOARD
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else TAB_BOARD)

    def restore_choice(self) -> None:
        """What the last session was looking at, once the rows and the card are here: the list's filters (stage,
        approach, «Застрявшие»), the card's section and the client — unless one was chosen on the first screen
        meanwhile. A client no longer there, or chosen in another database (the demo's window, another --db), is not
        chosen (tester K: all of it was lost at every start)."""
        s, panel = self.settings, self.list_panel
        for combo, key in ((panel.stage_combo, STAGE_FILTER_KEY), (panel.approach_combo, APPROACH_FILTER_KEY)):
            saved = s.value(key)
            found = combo.findData(_int_or_text(saved)) if saved not in (None, "") else -1
            if found > 0:
                combo.setCurrentIndex(found)
        if str(s.value(STALLED_FILTER_KEY, "")).lower() == "true":
            panel.stalled_check.setChecked(True)
        section = _int_or_text(s.value(CARD_SECTION_KEY))
        if isinstance(section, int) and 0 <= section < self.card.sections.count():
            self.card.sections.setCurrentIndex(section)
        client = _int_or_text(s.value(CLIENT_KEY))
        same = str(s.value(CLIENT_DATABASE_KEY, "")) == self.db.display_name()  # not a demo's or another file's id
        if self.current_id is None and same and isinstance(client, int) and self.clients.summary(client) is not None:
            self.set_current_client(client)

    def apply_default_splitter(self, width: int) -> None:
        if self._default_splitter:  # first start: a third of the window for the list, the rest for work
            self._default_splitter = False
            left = max(320, min(600, int(width * 0.3)))
            self.splitter.setSizes([left, max(600, width - left)])
            if width >= 1700:
                self.list_panel.view.setColumnHidden(ClientTableModel.COL_LESSONS, False)

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue(HEADER_KEY, self.list_panel.view.horizontalHeader().saveState())
        if self.db is None:  # the first screen: nothing chosen there is the last session's yet
            return
        panel = self.list_panel
        s.setValue(STAGE_FILTER_KEY, "" if panel.stage_combo.currentData() is None else panel.stage_combo.currentData())
        s.setValue(APPROACH_FILTER_KEY, panel.approach_combo.currentData() or "")
        s.setValue(STALLED_FILTER_KEY, panel.stalled_check.isChecked())
        s.setValue(CARD_SECTION_KEY, self.card.sections.currentIndex())
        s.setValue(CLIENT_KEY, "" if self.current_id is None else self.current_id)
        s.setValue(CLIENT_DATABASE_KEY, self.db.display_name())
