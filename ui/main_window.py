"""The main window: client list, work area (kanban, card, checklists, calculator, work log), menus and status bar.

Every action ends in ``apply_changes(changes)``: views refresh only what the Changes name (Anki model);
rows of the named clients are re-read with one constant-size query (list_clients(ids=…))."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEventLoop,
    QObject,
    QRunnable,
    QSettings,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.stages import STAGE_SHORT, Stage
from app.errors import UserError
from app.i18n import N_, _
from app.services.changes import Changes
from ui import loading

if TYPE_CHECKING:
    from ui.dialogs.move_guard import MoveDecision


def _import_work_area() -> None:
    """The services (SQLAlchemy) and the views. Not at module level: a lazy start paints the window
    frame first and imports these afterwards (tests/ui/test_startup.py checks that it stays so)."""
    global board_service, client_service, progress, budget_summaries, CostCalculator, MoveDecision
    global ask_move_decision, SettingsDialog, column_limits, ClientTableModel, MoveStageCommand, TickCommand
    global LessonChecklistView, StageChecklistView, ClientCard, ClientHeader, ClientListPanel, EmptyState
    global KanbanBoard, WorkLogView, Qt
    if "WorkLogView" in globals():
        return
    from PySide6.QtCore import Qt  # ~50 ms of Python enums on first use: after the first paint too

    from app.services import board as board_service
    from app.services import clients as client_service
    from app.services import progress
    from app.services.budget import budget_summaries
    from ui.calculator import CostCalculator
    from ui.dialogs.move_guard import MoveDecision, ask_move_decision
    from ui.dialogs.settings_dialog import SettingsDialog, column_limits
    from ui.models.clients import ClientTableModel
    from ui.undo import MoveStageCommand, TickCommand
    from ui.views.checklists import LessonChecklistView, StageChecklistView
    from ui.views.client_card import ClientCard
    from ui.views.client_header import ClientHeader
    from ui.views.client_list import ClientListPanel
    from ui.views.first_run import FirstRunView as EmptyState
    from ui.views.kanban import KanbanBoard
    from ui.worklog import WorkLogView  # the guard above tests this last name: keep it last

WINDOW_TITLE = "Внедрение АСУ «Менеджмент»"
TAB_BOARD, TAB_CARD, TAB_CHECKLIST, TAB_LESSONS, TAB_COST, TAB_WORKLOG = range(6)
# the View menu's entries, built before the tabs exist (a lazy start); _build_widgets names the tabs alike
TAB_TITLES = (N_("Stage board"), N_("Card"), N_("Stage checklist"), N_("Lessons"), N_("Cost"), N_("Work log"))
PAGE_WORK, PAGE_EMPTY = range(2)


class _BudgetSignals(QObject):
    done = Signal(int, object)  # generation, dict[id, BudgetSummary] | None


class _BudgetTask(QRunnable):
    """Budget summaries of every client, off the UI thread (the work log may hold 300 000 rows)."""

    def __init__(self, db, generation: int, signals: _BudgetSignals) -> None:
        super().__init__()
        self.db, self.generation, self.signals = db, generation, signals

    def run(self) -> None:
        try:
            result = budget_summaries(self.db, None)
        except Exception:  # a failed decoration must not take the window down
            result = None
        self.signals.done.emit(self.generation, result)


def _icon(widget: QWidget, theme: str, fallback: QStyle.StandardPixmap) -> QIcon:
    return QIcon.fromTheme(theme, widget.style().standardIcon(fallback))


class MainWindow(QMainWindow):
    rows_loaded = Signal()  # the client rows are in the views (a lazy start: some time after the first paint)
    load_failed = Signal(str, int)  # a lazy start could not open the database: message, exit status
    _backup_done = Signal(object)  # StartupNotes of the daily backup made in the background

    def __init__(self, db, settings: QSettings | None = None, *,
                 today: Callable[[], date] = date.today, opener: Callable[[], object] | None = None) -> None:
        """``db``: an open Database, and the whole window is built now. ``db=None`` and ``opener`` (returns
        an open Database; runs in a worker thread): only the frame is built now — menus, toolbar, status
        bar, a list saying «Загрузка…» — and the work area once the database and the first rows arrive,
        after the first paint (``rows_loaded``; ``wait_for_rows`` in tests)."""
        super().__init__()
        self.db = db
        if settings is None:
            from ui.app import settings as app_settings

            settings = app_settings()
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle(WINDOW_TITLE)
        self.current_id: int | None = None
        self._today = today
        self._syncing = False
        self._loaded = False
        self._closing = False
        self._opener = opener
        self._loader = None
        self._default_splitter = False
        self._budget_generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._budget_signals = _BudgetSignals(self)
        self._budget_signals.done.connect(self._budgets_loaded)
        self._backup_done.connect(self._backup_finished)

        self.undo_stack = QUndoStack(self)
        self._build_actions()
        self._build_toolbar()
        if db is None:
            self._build_loading_frame()
            return
        _import_work_area()
        # injectable for tests: the guard dialog and questions
        self.move_dialog: Callable[..., MoveDecision | None] = ask_move_decision
        self.clients = ClientTableModel(self, today=today)
        self._build_widgets()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self._load_initial()
        self._restore_settings()
        self._loaded = True

    # ================================================================ building

    def _action(self, text: str, slot, shortcut=None, icon: QIcon | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if icon is not None:
            action.setIcon(icon)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or text.replace('…', '')} ({keys})" if keys else (tip or text.replace("…", "")))
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.act_new = self._action(_("New client…"), self.new_client, "Ctrl+N",
                                    _icon(self, "document-new", sp.SP_FileIcon), _("Add a client"))
        self.act_find = self._action(_("Find client"), self.focus_search, "Ctrl+F",
                                     _icon(self, "edit-find", sp.SP_FileDialogContentsView),
                                     _("Search by name, INN, contact or phone"))
        self.act_import_clients = self._action(_("Import clients from CSV…"), self.import_clients_csv)
        self.act_backup = self._action(_("Back up now"), self.backup_now, "Ctrl+Shift+B",
                                       _icon(self, "document-save", sp.SP_DialogSaveButton),
                                       _("Make a backup copy of the database"))
        self.act_restore = self._action(_("Restore from backup…"), self.restore_backup)
        self.act_export = self._action(_("Export clients…"), self.export_bundle)
        self.act_import_bundle = self._action(_("Import bundle…"), self.import_bundle)
        self.act_demo = self._action(_("Open the demo"), self.create_demo)
        self.act_settings = self._action(_("Settings…"), self.open_settings, "Ctrl+,",
                                         _icon(self, "preferences-system", sp.SP_FileDialogDetailedView))
        self.act_quit = self._action(_("Quit"), self.close, "Ctrl+Q")

        self.act_undo = self.undo_stack.createUndoAction(self, _("Undo"))
        self.act_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.act_undo.setIcon(_icon(self, "edit-undo", sp.SP_ArrowBack))
        self.act_redo = self.undo_stack.createRedoAction(self, _("Redo"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_redo.setIcon(_icon(self, "edit-redo", sp.SP_ArrowForward))
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)

        self.act_prev = self._action(_("Previous stage"), lambda: self.move_current(-1), "Ctrl+Left",
                                     _icon(self, "go-previous", sp.SP_MediaSeekBackward),
                                     _("Move the selected client one stage back"))
        self.act_next = self._action(_("Next stage"), lambda: self.move_current(+1), "Ctrl+Right",
                                     _icon(self, "go-next", sp.SP_MediaSeekForward),
                                     _("Move the selected client to the next stage"))
        self.act_save = self._action(_("Save card"), self.save_card, "Ctrl+S")
        self.act_delete = self._action(_("Delete client…"), self.delete_client)
        self.act_erase = self._action(_("Erase personal data…"), self.erase_personal_data)
        self.act_signoff = self._action(_("Sign-off sheet…"), self.print_signoff, "Ctrl+P",
                                        _icon(self, "document-print", sp.SP_FileDialogInfoView),
                                        _("Preview and print the stage sign-off sheet"))
        self.act_estimate_doc = self._action(_("Cost estimate…"), self.print_estimate)
        self.act_progress_doc = self._action(_("Progress report…"), self.print_progress)
        self.act_act_doc = self._action(_("Act of services…"), self.print_act)
        self.act_register = self._action(_("Documents register…"), self.documents_register)
        self.act_executor = self._action(_("Executor details…"), self.executor_settings)
        self.act_about = self._action(_("About"), self.about)

    def _build_widgets(self) -> None:
        self.list_panel = ClientListPanel(self.clients, self)
        self.board = KanbanBoard(self.clients, self)
        self.card = ClientCard(self.db, self)
        self.stage_checklist = StageChecklistView(self.db, self, stage_of=self._stage_of)
        self.lessons = LessonChecklistView(self.db, self)
        self.calculator = CostCalculator(self.db, self)
        self.worklog = WorkLogView(self.db, self)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("workTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.board, _("Stage board"))
        self.tabs.addTab(self.card, _("Card"))
        self.tabs.addTab(self.stage_checklist, _("Stage checklist"))
        self.tabs.addTab(self.lessons, _("Lessons"))
        self.tabs.addTab(self.calculator, _("Cost"))
        self.tabs.addTab(self.worklog, _("Work log"))
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

        self.empty_state = EmptyState(self.db, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty_state)
        self.setCentralWidget(self.stack)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(_("Main toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setProperty("toolButtonStyle", 2)  # Qt.ToolButtonTextBesideIcon, without the Qt enums yet
        for action in (self.act_new, self.act_find, None, self.act_undo, self.act_redo, None, self.act_prev,
                       self.act_next, None, self.act_signoff, self.act_backup):
            if action is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(action)
        self.addToolBar(self.toolbar)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        for action in (self.act_new, self.act_import_clients, None, self.act_backup, self.act_restore, None,
                       self.act_export, self.act_import_bundle, None, self.act_demo, None, self.act_settings,
                       None, self.act_quit):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        edit_menu = bar.addMenu(_("&Edit"))
        for action in (self.act_undo, self.act_redo, None, self.act_find):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
        client_menu = bar.addMenu(_("&Client"))
        for action in (self.act_prev, self.act_next, None, self.act_save, None, self.act_erase, self.act_delete):
            client_menu.addSeparator() if action is None else client_menu.addAction(action)
        docs_menu = bar.addMenu(_("&Documents"))
        for action in (self.act_signoff, self.act_act_doc, self.act_estimate_doc, self.act_progress_doc, None,
                       self.act_register,
                       None, self.act_executor):
            docs_menu.addSeparator() if action is None else docs_menu.addAction(action)
        view_menu = bar.addMenu(_("&View"))
        self.tab_actions: list[QAction] = []
        for index, title in enumerate(TAB_TITLES):
            action = self._action(_(title), lambda i=index: self.tabs.setCurrentIndex(i), f"Ctrl+{index + 1}")
            view_menu.addAction(action)
            self.tab_actions.append(action)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.act_about)

    def _build_status_bar(self) -> None:
        self.db_message = _("Database: {name}").format(name=self.db.display_name())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("clientCount")
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().messageChanged.connect(self._restore_status)
        self.statusBar().showMessage(self.db_message)

    def _restore_status(self, message: str) -> None:
        if not message:  # a temporary message ended: show the database again
            QTimer.singleShot(0, self, self._show_db_message)

    def _show_db_message(self) -> None:
        if not self.statusBar().currentMessage():
            self.statusBar().showMessage(self.db_message)

    def _connect(self) -> None:
        self.list_panel.current_changed.connect(lambda cid: self.set_current_client(cid, source="list"))
        self.list_panel.activated.connect(self.open_card)
        self.list_panel.filter_changed.connect(self._on_filter)
        self.board.current_changed.connect(lambda cid: self.set_current_client(cid, source="board"))
        self.board.activated.connect(self.open_card)
        self.board.move_requested.connect(self.request_move)
        self.board.move_refused.connect(lambda message: self.statusBar().showMessage(message, 5000))
        self.card.changed.connect(self.apply_changes)
        self.card.print_signoff_requested.connect(self.print_signoff)
        self.board.signoff_requested.connect(self.print_signoff)
        self.card.dirty_changed.connect(lambda dirty: self.act_save.setEnabled(dirty))
        self.card.draft_kept.connect(lambda name: self.statusBar().showMessage(
            _("Unsaved edits of «{client}» are kept: come back to its card to save them.").format(client=name), 8000))
        self.stage_checklist.tick_requested.connect(self.tick_checklist)
        self.lessons.tick_requested.connect(self.tick_lesson)
        self.calculator.changed.connect(self.apply_changes)
        self.worklog.changed.connect(self.apply_changes)
        self.empty_state.demo_requested.connect(self.create_demo)
        self.empty_state.new_client_requested.connect(self.new_client)
        self.empty_state.import_requested.connect(self.import_clients_csv)
        self.empty_state.restore_requested.connect(self.restore_backup)
        for signal in (self.clients.rowsInserted, self.clients.rowsRemoved, self.clients.modelReset):
            signal.connect(self._update_counts)
        self.list_panel.proxy.rowsInserted.connect(self._update_counts)
        self.list_panel.proxy.rowsRemoved.connect(self._update_counts)
        self.list_panel.proxy.layoutChanged.connect(self._update_counts)

    # ================================================================ loading

    def _load_initial(self, data: loading.InitialData | None = None) -> None:
        """Fill the views: reading now, or with what a lazy start's worker thread has read already."""
        prefetched = data is not None
        if data is None:
            data = loading.InitialData(stalled_days=board_service.stalled_days(self.db),
                                       stages=board_service.stages(self.db))
        self.clients.set_stalled_days(data.stalled_days)
        infos = data.stages
        self.stage_checklist.set_stage_info({i.number: i.title for i in infos}, {i.number: i.goal for i in infos})
        self.board.set_limits(column_limits(self.settings))
        if not prefetched:
            self.reload_all()
        else:  # what reload_all does, with the rows the worker read
            with self._quiet_views():
                self.clients.set_rows(data.rows)
                self.board.update_headers()
                self._load_budgets_async()
                self._update_empty()
        self._update_actions()

    def reload_all(self) -> None:
        """Every client in one constant-size set of queries; budgets follow from a worker thread."""
        with self._quiet_views():
            self.clients.set_rows(client_service.list_clients(self.db))
            self.board.update_headers()
            self._load_budgets_async()
            self._update_empty()

    @contextmanager
    def _quiet_views(self):
        """While rows move or hide, views shift their current index to a neighbour: that is not the
        user choosing another client, so ignore it and restore the selection afterwards."""
        was = self._syncing
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = was

    def _load_budgets_async(self) -> None:
        self._budget_generation += 1
        if self.clients.rowCount():
            self._pool.start(_BudgetTask(self.db, self._budget_generation, self._budget_signals))

    def _budgets_loaded(self, generation: int, result) -> None:
        if generation == self._budget_generation and result is not None:
            self.clients.set_budgets(result, replace=True)
            self._update_header()

    def wait_for_background(self, msecs: int = 10_000) -> None:
        """Tests and the screenshot script: let the background loads finish and deliver."""
        self._pool.waitForDone(msecs)
        QApplication.processEvents()

    # ================================================================ lazy start (loading state)

    def _build_loading_frame(self) -> None:
        """The frame a lazy start paints first: real menus and toolbar (greyed until the data are here),
        an empty list saying «Загрузка…», the steps in the status bar. Loading starts after the first paint."""
        self._build_menus()
        self.loading_page = loading.LoadingPage(self)
        self.setCentralWidget(self.loading_page)
        self.loading_progress = loading.LoadingProgress(self)
        self.statusBar().addPermanentWidget(self.loading_progress)
        self.statusBar().showMessage(loading.step_text(loading.STEP_OPEN))
        self._waiting_actions = [a for a in self.actions() if a.isEnabled() and a not in (
            self.act_quit, self.act_about, self.act_undo, self.act_redo)]
        for action in self._waiting_actions:
            action.setEnabled(False)
        self._load_signals = loading.LoadSignals(self)
        self._load_signals.step.connect(self._loading_step)
        self._load_signals.loaded.connect(self._finish_loading)
        self._load_signals.failed.connect(self._loading_failed)
        self._restore_geometry()
        left = max(320, min(600, int(self.width() * 0.3)))  # as _apply_default_splitter will
        self.loading_page.setSizes([left, max(600, self.width() - left)])
        self._first_paint = loading.FirstPaint(self, self.start_loading)  # then the slow part

    def start_loading(self) -> None:
        """Open the database and read the first rows in a worker thread (once; a lazy start only)."""
        if self._loader is None and self._opener is not None and not self._loaded:
            self._loader = loading.load_in_background(self._opener, self._load_signals)

    def is_loaded(self) -> bool:
        return self._loaded

    def _loading_step(self, step: int) -> None:
        if self._loaded or self._closing:
            return
        self.loading_progress.setValue(step)
        self.loading_page.show_step(step)
        self.statusBar().showMessage(loading.step_text(step))

    def _finish_loading(self, db, data: loading.InitialData) -> None:
        """On the UI thread once the worker is done: build the work area and show the rows."""
        if self._closing:
            db.dispose()
            return
        try:
            self._build_work_area(db, data)
        except Exception as exc:  # a bug: say so instead of leaving the window loading forever
            import traceback

            traceback.print_exc()
            self._loading_failed(f"{type(exc).__name__}: {exc}", 1)
            return
        self._loaded = True
        if data.backup_due:
            self.start_daily_backup()
        self.rows_loaded.emit()

    def _build_work_area(self, db, data: loading.InitialData) -> None:
        self._loading_step(loading.STEP_VIEWS)
        QApplication.processEvents()  # let the step show before the views are built
        self.db = db
        _import_work_area()
        self.move_dialog = ask_move_decision
        self.clients = ClientTableModel(self, today=self._today)
        self.setUpdatesEnabled(False)
        try:
            self._build_widgets()  # replaces the loading page as the central widget
            self.statusBar().removeWidget(self.loading_progress)
            self.loading_progress.deleteLater()
            self.loading_page = None
            self._build_status_bar()
            self._connect()
            for action in self._waiting_actions:
                action.setEnabled(True)
            self._load_initial(data)
            self._restore_work_area()
            if self.isVisible():  # else showEvent does it
                self._apply_default_splitter()
        finally:
            self.setUpdatesEnabled(True)

    def _loading_failed(self, message: str, status: int) -> None:
        self.statusBar().showMessage(message)
        self.show_startup_error(message)
        self._closing = True
        self.close()
        self.load_failed.emit(message, status)

    def show_startup_error(self, message: str) -> None:
        QMessageBox.critical(self, WINDOW_TITLE, message)

    def wait_for_rows(self, msecs: int = 60_000) -> bool:
        """Tests and benchmarks: process events until the client rows are in the views (or time runs out)."""
        if self._loaded:
            return True
        self.start_loading()
        loop = QEventLoop()
        self.rows_loaded.connect(loop.quit)
        self.load_failed.connect(loop.quit)
        QTimer.singleShot(msecs, loop.quit)
        loop.exec()
        self.rows_loaded.disconnect(loop.quit)
        self.load_failed.disconnect(loop.quit)
        return self._loaded

    def start_daily_backup(self) -> None:
        """The first start of a day copies the database in the background; the status bar tells the result."""
        db, signal = self.db, self._backup_done

        def work() -> None:
            from app.services.workspace import daily_backup

            notes = daily_backup(db)
            try:
                signal.emit(notes)
            except RuntimeError:  # the window is gone
                pass

        self._pool.start(work)

    def _backup_finished(self, notes) -> None:
        if notes.backup_problem:
            self.statusBar().showMessage(_("The daily backup could not be made: {problem}").format(
                problem=notes.backup_problem), 30_000)
        elif notes.backup_path:
            self.statusBar().showMessage(_("Daily backup made: {path}").format(path=notes.backup_path), 8000)

    def _update_empty(self) -> None:
        empty = self.clients.rowCount() == 0
        self.stack.setCurrentIndex(PAGE_EMPTY if empty else PAGE_WORK)
        self._update_counts()

    def _update_counts(self, *args) -> None:
        total, shown = self.clients.rowCount(), self.list_panel.proxy.rowCount()
        text = _("Clients: {n}").format(n=total)
        if shown != total:
            text = _("Clients: {shown} of {n}").format(shown=shown, n=total)
        self.count_label.setText(text)

    # ================================================================ refresh

    def apply_changes(self, changes: Changes | None) -> None:
        """The one refresh path: after our own actions, undo/redo, and whatever other widgets return."""
        if changes is None:
            return
        ids = sorted(changes.client_ids)
        full = (changes.clients and not ids) or changes.catalogue
        with self._quiet_views():
            if full:
                self.reload_all()
            elif changes.clients or changes.stage or changes.checklist or changes.lessons:
                self.clients.update_rows(ids, client_service.list_clients(self.db, ids=ids))
                self.board.update_headers()
                self._update_empty()
        money = changes.worklog or changes.estimates or (
            changes.clients and not (changes.checklist or changes.lessons or changes.stage))
        if not full and ids and money:
            self.clients.set_budgets(budget_summaries(self.db, ids))
        if changes.settings:
            self.clients.set_stalled_days(board_service.stalled_days(self.db))
            self.board.set_limits(column_limits(self.settings))
        if full and changes.clients:
            self.undo_stack.clear()  # the commands describe a database that was replaced

        current = self.current_id
        if current is not None and self.clients.summary(current) is None:
            self.card.forget(current)
            self.set_current_client(None)
        elif current is not None and (full or current in changes.client_ids):
            if full or changes.stage or (changes.clients and not changes.checklist and not changes.lessons):
                self.card.reload()
                if self.card.details is not None:
                    self.lessons.set_employees(self.card.details.data.employees)
            if full or changes.checklist or changes.stage:
                self.stage_checklist.reload()
            if full or changes.lessons or changes.catalogue:
                self.lessons.reload()
        self.calculator.refresh(changes)
        self.worklog.refresh(changes)
        self._update_header()
        self._sync_selection()
        self._update_actions()

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
        self.card.set_client(client_id)
        self.stage_checklist.set_client(client_id)
        employees = self.card.details.data.employees if self.card.details is not None else []
        self.lessons.set_client(client_id, employees)
        self.calculator.set_client(client_id)
        self.worklog.set_client(client_id)
        self._update_header()
        self._sync_selection(source)
        self._update_actions()

    def select_client(self, client_id: int | None) -> None:
        self.set_current_client(client_id)

    def _sync_selection(self, source: str = "") -> None:
        self._syncing = True
        try:
            if source != "list":
                self.list_panel.select_client(self.current_id, emit=False)
            if source != "board":
                self.board.select_client(self.current_id)
        finally:
            self._syncing = False

    def _update_header(self) -> None:
        summary = self.clients.summary(self.current_id)
        if summary is None:
            self.header.show_client(None, False, None, 0)
            self.card.set_budget(None)
            return
        self.header.show_client(summary, self.clients.is_stalled(summary), self.clients.budget(summary.id),
                                summary.days_in_stage(self.clients.today()))
        self.card.set_budget(self.clients.budget(summary.id))

    def _update_actions(self) -> None:
        summary = self.clients.summary(self.current_id)
        has = summary is not None
        self.act_prev.setEnabled(has and summary.stage > Stage.NEW)
        self.act_next.setEnabled(has and summary.stage < Stage.DONE)
        for action in (self.act_delete, self.act_erase, self.act_signoff, self.act_estimate_doc,
                       self.act_progress_doc, self.act_act_doc):
            action.setEnabled(has)
        self.act_save.setEnabled(self.card.is_dirty())

    def _on_filter(self, value) -> None:
        with self._quiet_views():
            self.board.set_filter(value)
            self.board.update_headers()
        self._sync_selection()

    def open_card(self, client_id: int) -> None:
        self.set_current_client(client_id)
        self.tabs.setCurrentIndex(TAB_CARD)

    def focus_search(self) -> None:
        if self.stack.currentIndex() == PAGE_WORK:
            self.list_panel.focus_search()

    # ================================================================ stage moves

    def move_current(self, delta: int) -> bool:
        """Ctrl+←/→: move the selected client one stage back or forward."""
        summary = self.clients.summary(self.current_id)
        if summary is None:
            return False
        target = summary.stage + delta
        if not Stage.NEW <= target <= Stage.DONE:
            return False
        moved = self.request_move(summary.id, target)
        if self.tabs.currentIndex() == TAB_BOARD:
            self.board.select_client(summary.id, focus=True)
        return moved

    def request_move(self, client_id: int, target: int) -> bool:
        """Drop on a column or Ctrl+←/→: guard dialog when needed, move, record for undo, refresh."""
        summary = self.clients.summary(client_id)
        name = summary.name if summary else str(client_id)
        try:
            preview = progress.preview_move(self.db, client_id, target)
        except UserError as exc:
            self.show_error(exc)
            return False
        decision = MoveDecision(reason="", force=False)
        if preview.needs_reason:
            answer = self.move_dialog(self, preview, name)
            if answer is None:
                self.statusBar().showMessage(_("Move cancelled: nothing changed."), 5000)
                return False
            decision = answer
        try:
            changes = progress.move_stage(self.db, client_id, target, force=decision.force, reason=decision.reason)
        except UserError as exc:
            self.show_error(exc)
            return False
        self.undo_stack.push(MoveStageCommand(self.db, client_id, name, preview.current, target, decision.reason,
                                              self.apply_changes, self.show_error))
        self.apply_changes(changes)
        self.statusBar().showMessage(_("«{client}» moved to {stage}.").format(
            client=name, stage=_(STAGE_SHORT[Stage(target)])), 5000)
        return True

    # ================================================================ ticks

    def tick_checklist(self, code: str, title: str, done: bool, previous_date) -> None:
        client_id = self.stage_checklist.client_id
        if client_id is None:
            return
        try:
            changes = progress.set_checklist(self.db, client_id, [code], done)
        except UserError as exc:
            self.stage_checklist.show_problem(exc.message)
            return
        self.undo_stack.push(TickCommand(self.db, "checklist", client_id, code, title, done, previous_date,
                                         self.apply_changes, self.show_error))
        self.apply_changes(changes)

    def tick_lesson(self, code: str, title: str, done: bool, previous_date, employee) -> None:
        client_id = self.lessons.client_id
        if client_id is None:
            return
        try:
            changes = progress.set_lessons(self.db, client_id, [code], done, employee=employee)
        except UserError as exc:
            self.show_error(exc)
            return
        self.undo_stack.push(TickCommand(self.db, "lesson", client_id, code, title, done, previous_date,
                                         self.apply_changes, self.show_error, employee=employee))
        self.apply_changes(changes)

    # ================================================================ client actions

    def new_client(self) -> None:
        from ui.dialogs.new_client import NewClientDialog

        dialog = NewClientDialog(self.db, self)
        if dialog.exec() and dialog.client_id is not None:
            self.apply_changes(dialog.changes)
            self.set_current_client(dialog.client_id)
            self.tabs.setCurrentIndex(TAB_CARD)
        dialog.deleteLater()

    def save_card(self) -> None:
        if self.card.is_dirty():
            self.tabs.setCurrentIndex(TAB_CARD)
            self.card.save()

    def delete_client(self) -> None:
        summary = self.clients.summary(self.current_id)
        if summary is None:
            return
        if not self.confirm(_("Delete client"), _("Delete «{client}» with its checklist, lessons, work log and "
                                                   "documents? This cannot be undone; make a backup first if "
                                                   "unsure.").format(client=summary.name)):
            return
        try:
            changes = client_service.delete_client(self.db, summary.id)
        except UserError as exc:
            self.show_error(exc)
            return
        self.apply_changes(changes)

    def create_demo(self) -> None:
        """Open the demo in a window of its own on the demo database; this database is never filled."""
        from ui.demo_mode import open_demo_window

        open_demo_window(self)

    def import_clients_csv(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import clients"), "",
                                                    _("CSV files (*.csv);;All files (*)"))
        if not path:
            return
        from app.services.importing import import_clients_csv

        try:
            ids, changes = import_clients_csv(self.db, path)
        except UserError as exc:
            self.show_error(exc)
            return
        self.apply_changes(changes)
        self.statusBar().showMessage(_("Imported clients: {n}.").format(n=len(ids)), 5000)

    # ================================================================ other helpers' dialogs

    def print_signoff(self, client_id: int | None = None) -> None:
        """The sign-off sheet of the current stage of ``client_id`` (default: the current client)."""
        client_id = self.current_id if client_id is None else client_id
        if client_id is None:
            return
        from ui.documents import open_signoff_preview

        self.apply_changes(open_signoff_preview(self, self.db, client_id))

    def print_act(self) -> None:
        """Ask for a period (default: the previous month), then preview the act of services."""
        if self.current_id is None:
            return
        from ui.dialogs import period_dialog
        from ui.documents import open_act_preview

        period = period_dialog.ask_period(self, _("Act of services"))
        if period is not None:
            self.apply_changes(open_act_preview(self, self.db, self.current_id, *period))

    def print_estimate(self) -> None:
        if self.current_id is None:
            return
        from ui import documents

        opener = getattr(documents, "open_estimate_preview", None)
        if opener is not None:
            self.apply_changes(opener(self, self.db, self.current_id))

    def print_progress(self) -> None:
        if self.current_id is None:
            return
        from ui import documents

        opener = getattr(documents, "open_progress_preview", None)
        if opener is not None:
            self.apply_changes(opener(self, self.db, self.current_id))

    def documents_register(self) -> None:
        from ui.documents import open_documents_register

        self.apply_changes(open_documents_register(self, self.db, self.current_id))

    def executor_settings(self) -> None:
        from ui.documents import open_executor_settings

        self.apply_changes(open_executor_settings(self, self.db))

    def backup_now(self) -> None:
        from ui.data_actions import backup_now

        self.apply_changes(backup_now(self, self.db))

    def restore_backup(self) -> None:
        from ui.data_actions import restore_backup

        self.apply_changes(restore_backup(self, self.db))

    def export_bundle(self) -> None:
        from ui.data_actions import export_bundle

        ids = [self.current_id] if self.current_id is not None else None
        self.apply_changes(export_bundle(self, self.db, ids))

    def import_bundle(self) -> None:
        from ui.data_actions import import_bundle

        self.apply_changes(import_bundle(self, self.db))

    def erase_personal_data(self) -> None:
        if self.current_id is None:
            return
        from ui.data_actions import erase_personal_data

        self.apply_changes(erase_personal_data(self, self.db, self.current_id))

    # ================================================================ settings

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.db, self.settings, self)
        dialog.changed.connect(self.apply_changes)
        dialog.exec()
        dialog.deleteLater()

    def about(self) -> None:
        QMessageBox.about(self, _("About"), _("Vnedrenie — the workbench of the specialist who rolls out "
                                              "АСУ «Менеджмент».\n\n{db}").format(db=self.db_message))

    def _restore_settings(self) -> None:
        self._restore_geometry()
        self._restore_work_area()

    def _restore_geometry(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen()
            area = screen.availableGeometry() if screen else None
            if area is not None and area.width() > 0:
                self.resize(min(1600, int(area.width() * 0.92)), min(1000, int(area.height() * 0.9)))
            else:
                self.resize(1366, 768)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def _restore_work_area(self) -> None:
        s = self.settings
        splitter = s.value("window/splitter")
        self._default_splitter = not (isinstance(splitter, QByteArray) and self.splitter.restoreState(splitter))
        header = s.value("clientList/header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            view_header = self.list_panel.view.horizontalHeader()
            view_header.restoreState(header)
            self.list_panel.proxy.sort(view_header.sortIndicatorSection(), view_header.sortIndicatorOrder())
        try:
            tab = int(s.value("window/tab", TAB_BOARD))
        except (TypeError, ValueError):
            tab = TAB_BOARD
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else TAB_BOARD)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._apply_default_splitter()

    def _apply_default_splitter(self) -> None:
        if self._default_splitter:  # first start: a third of the window for the list, the rest for work
            self._default_splitter = False
            left = max(320, min(600, int(self.width() * 0.3)))
            self.splitter.setSizes([left, max(600, self.width() - left)])
            if self.width() >= 1700:
                self.list_panel.view.setColumnHidden(ClientTableModel.COL_LESSONS, False)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.setValue("clientList/header", self.list_panel.view.horizontalHeader().saveState())
        s.sync()

    # ================================================================ messages

    def show_error(self, exc: UserError) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, WINDOW_TITLE, exc.message, QMessageBox.StandardButton.Ok, self)
        if exc.details:
            box.setInformativeText("\n".join(exc.details[:10]) + ("\n…" if len(exc.details) > 10 else ""))
            box.setDetailedText("\n".join(exc.details))
        box.exec()
        box.deleteLater()

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def ask_unsaved(self, count: int) -> bool:
        """True to close anyway and lose the unsaved card edits."""
        return self.confirm(_("Unsaved changes"), _("{n} client cards have unsaved changes. Close anyway and "
                                                    "lose them?").format(n=count))

    # ================================================================ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._loaded:  # still loading: the worker disposes of the database when it is done
            self._closing = True
            super().closeEvent(event)
            return
        unsaved = self.card.unsaved_clients()
        if unsaved and not self.ask_unsaved(len(unsaved)):
            event.ignore()
            first = unsaved[0]
            self.set_current_client(first)
            self.tabs.setCurrentIndex(TAB_CARD)
            return
        self.save_settings()
        self._budget_generation += 1
        self._pool.waitForDone(10_000)
        self.db.dispose()
        super().closeEvent(event)
