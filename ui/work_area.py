"""The window's work area: client list, stage board, card, checklists, calculator and work log, kept in step.

Built in two steps at a lazy start: the list and the board with the rows read before SQLAlchemy is imported
(``WorkArea(None, …)`` + ``show_first_rows``; this module imports no service at load time for that), then the
tabs that need the database (``attach``). ``WorkArea(db, …)`` does both at once.

It owns the client rows (ClientTableModel), the current client and the one refresh path,
``on_changes(changes, initiator)``, which asks the ``requires_*`` predicates of app.services.changes what
to re-read: named rows in one constant-size query, budgets off the UI thread for all rows. The reads of every
row, the rows' figures, the search's preparation and the kept state are its bases under ``ui.controllers``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

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
from ui.controllers.area_state import AreaState
from ui.controllers.row_figures import RowFigures
from ui.controllers.row_reads import RowReads
from ui.controllers.search_prep import SearchPrep
from ui.models.clients import ClientTableModel
from ui.ops import Ops
from ui.qtutil import name_inputs
from ui.settings import column_limits
from ui.tasks import TaskManager
from ui.views.client_header import ClientHeader
from ui.views.client_list import ClientListPanel
from ui.views.kanban import KanbanBoard

if TYPE_CHECKING:
    from app.persistence.stamps import ListBasis
    from app.services.questions import QuestionSearchMemo
    from ui.views.calculator import CostCalculator
    from ui.views.checklists import LessonChecklistView, StageChecklistView
    from ui.views.client_card import ClientCard
    from ui.views.first_run import FirstRunView
    from ui.views.worklog import WorkLogView

PAGE_WORK, PAGE_EMPTY = range(2)


class WorkArea(SearchPrep, RowFigures, RowReads, AreaState, QStackedWidget):
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

    # ================================================================ refresh

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        """The one refresh path: after every action, undo/redo, and changes found by the watcher.
        When every row must be re-read from a database that is not small, the rows are read in a worker
        and the views follow these changes once the rows are in (``_all_rows_read``)."""
        from app.services import client_list as client_service
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
