"""The main window's lazy start: the frame painted first, the first rows shown, the database opened in a worker,
then the work area built; the waits tests and benchmarks use (``wait_for_rows``, ``wait_for_background``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from app import gcpause
from app.i18n import _
from ui import loading
from ui.actions import MainAction
from ui.ops import Ops
from ui.qtutil import program_title
from ui.views.list_header import saved_sort

if TYPE_CHECKING:
    from app.errors import UserError
    from ui.tasks import TaskManager
    from ui.views.week import WeekViews
    from ui.work_area import WorkArea

log = logging.getLogger(__name__)


class LazyStart(QMainWindow):
    """The lazy start of ``ui.main_window.MainWindow``, its base: these methods act on the window's state, which the
    window's ``__init__`` sets. A start with ``db=None`` and an ``opener`` builds only the frame
    (``_build_loading_frame``); the rest follows after the first paint (``start_loading``), ``rows_loaded`` saying
    when the rows are in."""

    rows_loaded = Signal()  # the client rows are in the views (a lazy start: some time after the first paint)
    load_failed = Signal(str, int)  # a lazy start could not open the database: message, exit status

    if TYPE_CHECKING:  # the window's state and methods these use (ui.main_window.MainWindow)
        settings: QSettings
        tasks: TaskManager
        actions_by_key: dict[MainAction, QAction]
        work_area: WorkArea | None
        week: WeekViews | None
        loading_page: loading.LoadingPage | None
        _opener: Callable[[], object] | None
        _first_rows: Callable[[], object] | None
        _loader: object
        _loaded: bool
        _closing: bool
        _thawed: bool
        _first_area: WorkArea | None
        _spare_area: WorkArea | None
        _first_order: tuple[int, Qt.SortOrder]

        def _restore_geometry(self) -> None: ...
        def _make_work_area(self) -> WorkArea: ...
        def _new_work_area(self) -> WorkArea: ...
        def _build_work_area(self, db, data) -> None: ...
        def _update_actions(self, *_args) -> None: ...
        def start_daily_backup(self) -> None: ...
        def show_error(self, exc: UserError) -> None: ...
        def show_startup_error(self, message: str) -> None: ...
        def ask_restore_at_start(self, message: str) -> bool: ...

    def _build_loading_frame(self) -> None:
        """The frame a lazy start paints first: real menus and toolbar (greyed until the data are here),
        an empty list saying «Загрузка…», the steps in the status bar. Loading starts after the first paint."""
        page = self.loading_page = loading.LoadingPage(self)
        self.setCentralWidget(page)
        self.loading_progress = loading.LoadingProgress(self)
        self.statusBar().addPermanentWidget(self.loading_progress)
        self.statusBar().showMessage(loading.step_text(loading.STEP_OPEN))
        always = (MainAction.QUIT, MainAction.ABOUT, MainAction.UNDO, MainAction.REDO)
        self._waiting_actions = [a for a in self.actions() if a.isEnabled()
                                 and a not in [self.actions_by_key[k] for k in always]]
        for action in self._waiting_actions:
            action.setEnabled(False)
        self._restore_geometry()
        left = max(320, min(600, int(self.width() * 0.3)))  # as the work area's default splitter will
        page.setSizes([left, max(600, self.width() - left)])
        self._first_paint = loading.FirstPaint(self, self.start_loading)  # then the slow part
        self._painted = False
        self._first_read: object = loading.WAITING
        reader = self._first_rows
        if reader is not None and self._opener is not None:
            order = self._first_order = saved_sort(self.settings)  # the header's: the worker arranges the rows in it
            # read while the frame is built and painted: SQLite's C code runs beside the UI thread
            self._loader = self.tasks.start(lambda _progress: _arranged(reader(), order), self._first_rows_read,
                                            lambda _exc: self._first_rows_read(None))

    def start_loading(self) -> None:
        """After the first paint: show the rows read meanwhile (when a reader was given), or open the database
        and read the rows in a worker task (once; a lazy start only)."""
        if self._painted or self._opener is None or self._loaded:
            return
        self._painted = True
        if self._loader is None:
            self._open_database()
        elif self._first_read is not loading.WAITING:
            self._show_first_screen(self._first_read)
        else:  # the UI thread is idle while SQLite reads: build the list and the board meanwhile, unseen
            self._spare_area = self._make_work_area()
            self._spare_area.hide()

    def _first_rows_read(self, first) -> None:
        self._first_read = first
        if self._painted:
            self._show_first_screen(first)

    def _open_database(self) -> None:
        from ui.models.names import presorted

        if self._closing or self._opener is None:
            return
        first = self._first_read
        watch = getattr(first, "watch", None) if self._first_area is not None else None  # its rows are shown
        self._first_read = None  # the model holds the rows now
        self._loader = loading.load_in_background(self.tasks, self._opener, self._loading_step,
                                                  self._finish_loading, self._loading_failed, presorted,
                                                  watch.unchanged if watch is not None else None)

    def _show_first_screen(self, first) -> None:
        """The rows read before the database opened, in the list and on the board (disabled actions, the
        loading steps still in the status bar); the database opens once they are painted."""
        if self._closing:
            return
        if first is None:  # a new, empty, older or unreadable file: the full open decides
            self._open_database()
            return
        from ui.models.client_columns import sort_state

        self.setUpdatesEnabled(False)
        try:
            area = self._first_area = self._new_work_area()
            self.loading_page = None  # setCentralWidget deleted it
            # in the header's saved order: _arranged in the worker
            area.show_first_rows(first.rows, first.stalled_days, order=sort_state(*self._first_order),
                                 named=first.named, basis=first.basis)
            area.restore_state()
            if self.isVisible():
                area.apply_default_splitter(self.width())
        finally:
            self.setUpdatesEnabled(True)
        once = loading.Once(self._open_database)
        loading.FirstPaint(area.list_panel.view.viewport(), once)
        QTimer.singleShot(250, self, once)  # a list not in sight is never painted

    def is_loaded(self) -> bool:
        return self._loaded

    def _loading_step(self, step: int, _total: int = loading.STEPS) -> None:
        if self._loaded or self._closing:
            return
        self.loading_progress.setValue(step)
        if self.loading_page is not None:
            self.loading_page.show_step(step)
        self.statusBar().showMessage(loading.step_text(step))

    def _finish_loading(self, loaded: tuple[Any, loading.InitialData]) -> None:
        """On the UI thread once the worker is done: build the work area and show the rows."""
        db, data = loaded
        if self._closing:
            db.dispose()
            return
        try:
            self._loading_step(loading.STEP_VIEWS)
            QApplication.processEvents()  # let the step show before the views are built
            self.setUpdatesEnabled(False)
            try:
                restore = self._first_area is None  # else the first screen restored it
                self._build_work_area(db, data)  # replaces the loading page as the central widget
                self.statusBar().removeWidget(self.loading_progress)
                self.loading_progress.deleteLater()
                self.loading_page = None  # setCentralWidget deleted it
                for action in self._waiting_actions:
                    action.setEnabled(True)
                self._update_actions()
                assert self.work_area is not None
                if restore:
                    self.work_area.restore_state()
                self.work_area.restore_choice()
                if self.isVisible():  # else showEvent does it
                    self.work_area.apply_default_splitter(self.width())
            finally:
                self.setUpdatesEnabled(True)
        except Exception as exc:  # a bug: say so instead of leaving the window loading forever
            import traceback

            traceback.print_exc()
            self._loading_failed((f"{type(exc).__name__}: {exc}", 1))
            return
        self._loaded = True
        if data.notices:  # a copied database file (app/sync/file_home.py): said once
            self._show_opening_notices(data.notices)
        if data.backup_due:
            self.start_daily_backup()
        self.rows_loaded.emit()
        if not self._thawed:  # (a slot of rows_loaded may have closed the window)
            gcpause.freeze_long_lived()  # what the window keeps for its life is out of full collections
        self.tasks.when_idle(self._warm_up)

    def _warm_up(self) -> None:
        """Once the background reads of the start are delivered: what the first click on a client imports and
        loads (~110 ms of the UI thread at the first selection otherwise; app.services.warmup), in a worker."""
        from app.services.warmup import warm_up

        if not self._closing:
            self.tasks.start(lambda _progress: warm_up(), self._warmed,
                             lambda exc: log.warning("warming up failed: %r", exc))

    def _warmed(self, _result: object) -> None:
        if not self._thawed:  # the modules live for the process; a closed window has given its objects back
            gcpause.freeze_long_lived()

    def _loading_failed(self, failure: tuple) -> None:
        message, status, *rest = failure  # (message, status[, restorable]): ui.loading.load_in_background
        if self._closing:  # closed while it loaded (e.g. the load cancelled by the close): nobody to tell
            self.load_failed.emit(message, status)
            return
        self.statusBar().showMessage(message)
        if rest and rest[0]:  # a backup mends it: the box offering the restore is the one refusal said
            if self._restored_at_start(message):
                return  # restored: the window opens on the backup
        else:
            self.show_startup_error(message)
        self._closing = True
        self.close()
        self.load_failed.emit(message, status)

    def _show_opening_notices(self, notices: list[str]) -> None:
        """What the opening found (a copied file): in a box that does not block the window, and for a minute in
        the status bar in short."""
        self._opening_notice = _("The database file was copied: the program takes it for a copy of its own.")
        self.statusBar().showMessage(self._opening_notice, 60_000)
        self.notice_box = QMessageBox(QMessageBox.Icon.Information, program_title(), "\n\n".join(notices),
                                      QMessageBox.StandardButton.Ok, self)
        self.notice_box.setModal(False)
        self.notice_box.show()

    def _restored_at_start(self, message: str) -> bool:
        """A file whose stored values the program cannot read (``UserError.restorable``) refused the start: the
        refusal says «Файл ▸ Восстановить из резервной копии…», a menu of a window that closed with the box (a
        tester's find). The box offers it: the file is opened (what failed was reading it) and restored as the menu
        does (a copy of the current data first), then the window loads again. False when the user closes."""
        from ui.dialogs.data import actions

        while self.ask_restore_at_start(message):
            try:
                db = self._opener() if self._opener is not None else None
            except Exception as exc:  # it opened in the worker a moment ago; if not now, the box says why
                log.warning("opening the file to restore it failed: %r", exc)
                return False
            if db is None:
                return False
            ops = Ops(db, self)
            ops.error_handler = self.show_error
            try:
                restored = actions.restore_backup(self, ops)
            finally:
                db.dispose()  # type: ignore[attr-defined]
            if restored is not None:
                self.statusBar().showMessage(loading.step_text(loading.STEP_OPEN))
                self._loader = None
                self._open_database()
                return True
        return False

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

    def wait_for_background(self, msecs: int = 10_000) -> None:
        """Tests and the screenshot script: let a lazy start finish (``wait_for_rows``), the background tasks finish
        and deliver, and the tasks their results start (the start-up reminders and a reload's budgets, read after the rows are painted, are started
        now if still due)."""
        from time import monotonic

        deadline = monotonic() + msecs / 1000
        if not self._loaded and self._opener is not None and not self._closing:
            self.wait_for_rows(msecs)  # a lazy start: the database and every tab first
        while True:
            if self.week is not None:
                self.week.start_deferred_read()
            if self.work_area is not None and self.work_area.is_attached():
                self.work_area.start_deferred_reads()  # a reload's budgets wait for its paint
            self.tasks.wait(max(1, int((deadline - monotonic()) * 1000)))
            QApplication.processEvents()
            if monotonic() >= deadline:
                return
            if not self.background_pending():
                return

    def background_pending(self) -> bool:
        """Background work still due: a task running, or a read waiting for a paint (a reload's budgets, the
        dock's events after an action). The benchmark spins the event loop on it instead of blocking in
        ``wait_for_background``, so a blocked UI thread of its own is not taken for the product's."""
        return bool(self.tasks.running() or self.tasks.idle_waiting()
                    or (self.work_area is not None and self.work_area.reads_deferred())
                    or (self.week is not None and self.week.reads_deferred()))


def _arranged(first: Any, order: tuple[int, Qt.SortOrder]) -> Any:
    """In the worker: the first rows put in the list's order — name order (ui.models.names.presorted; the order of
    the last start is taken when the clients and their names are those it was computed from: ui.models.name_order),
    then the header's saved sort ``order`` (section, order: ui.models.first_order) — so that the UI thread
    sorts nothing before they show (0.2 s of 50 000 names; ~1.2 s sorted by days)."""
    from dataclasses import replace
    from datetime import date

    from ui.models.client_columns import sort_state
    from ui.models.first_order import in_saved_order
    from ui.models.name_order import order_file
    from ui.models.names import presorted

    if first is None:
        return None
    named = presorted(first.rows, order_file(first.path) if first.path is not None else None)
    arranged = in_saved_order(named, *sort_state(*order), date.today())
    return replace(first, rows=arranged, named=named if arranged is not named else None)
