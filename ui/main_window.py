"""The main window: frame, menus, toolbar, status bar; the lazy start is its base (ui.views.lazy_start), the work is done elsewhere.

The actions come from ``ui.actions`` (one table), every write runs through ``ui.ops.Ops`` (one undo
history), the views live in ``ui.work_area.WorkArea`` and stage moves / ticks in
``ui.controllers.stages.StageController``; the menus' handlers are the window's bases under
``ui.controllers`` (current_client, client_actions, document_actions, data_actions, window_parts). This module
stays light: a lazy start paints the frame before SQLAlchemy or the views are imported (tests/ui/test_startup.py
checks it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QToolBar,
)

from app import gcpause
from app.domain.quotes import in_quotes
from app.errors import UserError
from app.i18n import _, format_number
from ui import loading
from ui.actions import (
    MENUS,
    TAB_BOARD,
    TAB_CARD,
    TAB_TITLES,
    TAB_WORKLOG,
    TOOLBAR,
    MainAction,
    create_actions,
    make_action,
)
from ui.controllers.client_actions import ClientActions
from ui.controllers.current_client import CurrentClient
from ui.controllers.data_actions import DataActions
from ui.controllers.document_actions import DocumentActions, estimate_preview
from ui.controllers.window_parts import AGENDA_HEADER_KEY, WindowParts
from ui.ops import Ops, bound_details, show_user_error
from ui.qtutil import program_title
from ui.tasks import TaskManager
from ui.views.lazy_start import LazyStart
from ui.views.status_bar import CountLabel, StatusBar

if TYPE_CHECKING:
    from app.services.first_screen import EarlyRead
    from ui.controllers.stages import StageController
    from ui.controllers.sync import SyncController
    from ui.controllers.team import MyClientsFilter
    from ui.controllers.watch import ExternalChanges
    from ui.views.week import WeekViews
    from ui.work_area import WorkArea

log = logging.getLogger(__name__)
__all__ = ["TAB_BOARD", "TAB_CARD", "TAB_TITLES", "TAB_WORKLOG", "MainWindow", "open_window"]


class MainWindow(CurrentClient, ClientActions, DocumentActions, DataActions, WindowParts, LazyStart):
    closed = Signal()
    _notify_reminders = True  # start-up reminders in the status bar (and the tray where there is one)  # the window accepted its close (the demo window returns to the real one)

    def __init__(self, db, settings: QSettings | None = None, *,
                 today: Callable[[], date] = date.today, opener: Callable[[], object] | None = None,
                 first_rows: Callable[[], object] | None = None) -> None:
        """``db``: an open Database, and the whole window is built now. ``db=None`` and ``opener`` (returns
        an open Database; runs in a worker thread): only the frame is built now — menus, toolbar, status
        bar, a list saying «Загрузка…» — and the work area once the database and the first rows arrive,
        after the first paint (``rows_loaded``; ``wait_for_rows`` in tests). ``first_rows`` (a worker thread
        too; returns app.persistence.first_rows.FirstRows or None): read before ``opener`` runs, the rows
        fill the list and the board at once, and the rest of the work area follows with the database."""
        super().__init__()
        self.setStatusBar(StatusBar(self))  # a long message shortened before the count, whole in the tooltip
        self.db = db
        if settings is None:
            from ui.settings import settings as app_settings

            settings = app_settings()
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle(program_title())
        self._today = today
        self._loaded = False
        self._closing = False
        self._thawed = False  # closed: gc.unfreeze done, nothing of this window is frozen again
        self._opener = opener
        self._first_rows = first_rows
        self._loader: object = None
        self.work_area: WorkArea | None = None  # set once the database is attached
        self._first_area: WorkArea | None = None  # a lazy start's list and board, before the database
        self._first_order: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)  # its rows' (_arranged)
        self._spare_area: WorkArea | None = None  # built unseen while the first rows are read
        self.stages: StageController | None = None
        self.watcher: ExternalChanges | None = None
        self.week: WeekViews | None = None
        self.sync: SyncController | None = None
        self.my_clients: MyClientsFilter | None = None
        self.db_message = ""
        self.loading_page: loading.LoadingPage | None = None
        self.tasks = TaskManager(self, threads=1)
        self.ops = Ops(db, self)
        self.ops.error_handler = lambda exc: self.show_error(exc)
        self.undo_stack = self.ops.undo_stack
        from ui.dialogs import keyboard

        keyboard.install()  # Tab leaves every table and multi-line box of the window and its dialogs
        self.actions_by_key = create_actions(self)
        self._name_actions()
        self._build_toolbar()
        self._build_menus()
        self.count_label = CountLabel(self)
        self.count_label.setObjectName("clientCount")
        self.statusBar().addPermanentWidget(self.count_label)
        if db is None:
            self._build_loading_frame()
            return
        self._build_work_area(db, None)
        self._restore_geometry()
        assert self.work_area is not None
        self.work_area.restore_state()
        self.work_area.restore_choice()
        self._loaded = True

    # ================================================================ building

    def _name_actions(self) -> None:
        """``act_<name>`` attributes for the actions (tests and the screenshot script use them)."""
        for key, action in self.actions_by_key.items():
            setattr(self, f"act_{key.value}", action)

    def action(self, key: MainAction) -> QAction:
        return self.actions_by_key[key]

    def _build_toolbar(self) -> None:
        # Qt's enums by number through properties: the first use of the ``Qt`` namespace creates ~90 Python
        # enum classes (~15 ms), which the frame need not pay before its first paint
        self.toolbar = QToolBar(_("Main toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setProperty("toolButtonStyle", 2)  # Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        for key in TOOLBAR:
            if key is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(self.actions_by_key[key])
        for key in (MainAction.UNDO, MainAction.REDO):  # «Отменить: …» grows: icon only, the text in the tip
            button = self.toolbar.widgetForAction(self.actions_by_key[key])
            if button is not None:
                button.setProperty("toolButtonStyle", 0)  # Qt.ToolButtonStyle.ToolButtonIconOnly
        self.addToolBar(self.toolbar)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for title, keys in MENUS:
            menu = bar.addMenu(_(title))
            for key in keys:
                menu.addSeparator() if key is None else menu.addAction(self.actions_by_key[key])
        view_menu = bar.addMenu(_("&View"))
        self.tab_actions: list[QAction] = []
        for index, title in enumerate(TAB_TITLES):
            action = make_action(self, _(title), partial(self.show_tab, index), (f"Ctrl+{index + 1}",))
            view_menu.addAction(action)
            self.tab_actions.append(action)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.setObjectName("helpMenu")  # the last menu: ui.views.week puts «Неделя» before it
        help_menu.addAction(self.actions_by_key[MainAction.ABOUT])
        from ui.dialogs.keyboard import keep_bar_mnemonics

        keep_bar_mnemonics(bar)  # an Alt-letter on every item, unique in its menu (tester K, 2026-12-05)

    def show_tab(self, index: int) -> None:
        if self.work_area is not None:
            self.work_area.tabs.setCurrentIndex(index)

    def _new_work_area(self) -> WorkArea:
        """The work area's list and board (ui.work_area: its first step), as the central widget."""
        area, self._spare_area = self._spare_area or self._make_work_area(), None
        self.setCentralWidget(area)
        area.show()
        area.counts_changed.connect(self.count_label.show_counts)
        return area

    def _make_work_area(self) -> WorkArea:
        from ui.work_area import WorkArea

        return WorkArea(None, self.ops, self.tasks, self.settings, self, today=self._today)

    def _build_work_area(self, db, data: loading.InitialData | None) -> None:
        """The views, the stage controller and the database's name in the title and status bar."""
        from ui.controllers.stages import StageController

        self.db = db
        self.ops.db = db
        area = self._first_area
        if area is None:
            area = self._new_work_area()
        area.attach(db)
        self._first_area = None
        self.work_area = area
        self.stages = StageController(db, self.ops, area, lambda text: self.statusBar().showMessage(text, 5000))
        area.current_changed.connect(self._update_actions)
        area.board.move_requested.connect(self.stages.request_move)
        area.board.move_refused.connect(lambda message: self.statusBar().showMessage(message, 5000))
        area.board.signoff_requested.connect(self.print_signoff)
        area.card.print_signoff_requested.connect(self.print_signoff)
        area.card.dirty_changed.connect(lambda dirty: self.actions_by_key[MainAction.SAVE_CARD].setEnabled(dirty))
        area.card.draft_kept.connect(lambda name: self.statusBar().showMessage(
            _("Unsaved edits of «{client}» are kept: come back to its card to save them.").format(client=in_quotes(name)), 8000))
        area.stage_checklist.tick_requested.connect(self.stages.tick_checklist)
        area.lessons.tick_requested.connect(self.stages.tick_lesson)
        area.calculator.print_document = estimate_preview
        area.calculator._update_buttons()
        area.empty_state.demo_requested.connect(self.create_demo)
        area.empty_state.new_client_requested.connect(self.new_client)
        area.empty_state.import_requested.connect(self.import_clients_csv)
        area.empty_state.restore_requested.connect(self.restore_backup)
        area.empty_state.requisites_saved.connect(self.apply_changes)
        self._install_week(db, area)
        self._show_database()
        area.load(data)
        self._start_watcher()
        self._start_team(db, area)

    # ================================================================ the demo

    def create_demo(self) -> None:
        """Open the demo in a window of its own on the demo database; this database is never filled."""
        from ui.controllers.demo import open_demo_window

        open_demo_window(self, open_window)

    # ================================================================ settings

    def open_settings(self) -> None:
        from ui.dialogs.settings.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.db, self.settings, self, ops=self.ops)
        dialog.exec()
        dialog.deleteLater()

    def about(self) -> None:
        QMessageBox.about(self, _("About"), _("Vnedrenie — the workbench of the specialist who rolls out "
                                              "АСУ «Менеджмент».\n\n{db}").format(db=self.db_message))

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

    def showEvent(self, event) -> None:
        super().showEvent(event)
        area = self.work_area or self._first_area
        if area is not None:
            area.apply_default_splitter(self.width())

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        if self.week is not None:
            s.setValue(AGENDA_HEADER_KEY, self.week.agenda.header_state())
            if self.week.plan_window is not None and self.week.plan_window.isVisible():
                self.week.plan_window.save_layout()  # still open as the window closes: as its own close keeps it
        area = self.work_area or self._first_area
        if area is not None:
            area.save_state()
        s.sync()

    # ================================================================ messages

    def show_error(self, exc: UserError) -> None:
        show_user_error(self, exc)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def ask_unsaved(self, count: int) -> bool:
        """True to close anyway and lose the unsaved card edits."""
        return self.confirm(_("Unsaved changes"), _("{n} client cards have unsaved changes. Close anyway and "
                                                    "lose them?").format(n=format_number(count)))

    # ================================================================ a start that failed (the window's boxes:
    # ui/views/ shows no refusal box of its own, tests/ui/test_one_runner.py)

    def show_startup_error(self, message: str) -> None:
        """The refusal of a file the window cannot open (a refusal's full text), bounded as every refusal box."""
        box = self._bounded_box(QMessageBox.Icon.Critical, message, QMessageBox.StandardButton.Ok)
        box.exec()
        box.deleteLater()

    def _bounded_box(self, icon: QMessageBox.Icon, message: str, buttons: QMessageBox.StandardButton) -> QMessageBox:
        """A box of a refusal's full text: its first line, its other lines bounded (``ui.ops.bound_details``: the
        values a damaged file names may be many)."""
        first, *details = message.split("\n")
        box = QMessageBox(icon, program_title(), first, buttons, self)
        bound_details(box, details)
        return box

    def ask_restore_at_start(self, message: str) -> bool:
        """The refusal of a file the window cannot open, with the way out it names at hand: True for «Восстановить
        из резервной копии…», False for «Закрыть» (the window then closes). Tests replace it."""
        box = self._bounded_box(QMessageBox.Icon.Critical, message, QMessageBox.StandardButton.NoButton)
        restore = box.addButton(_("Restore from backup…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Close"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        chosen = box.clickedButton() is restore
        box.deleteLater()
        return chosen

    # ================================================================ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._loaded or self.work_area is None:  # still loading: the task disposes of the database
            self._closing = True
            self._thawed = True
            self.tasks.close()  # the loader still delivers (and disposes of the database)
            gcpause.thaw()
            super().closeEvent(event)
            self.closed.emit()
            return
        card = self.work_area.card
        unsaved = card.unsaved_clients()
        if unsaved and not self.ask_unsaved(len(unsaved)):
            event.ignore()
            self.set_current_client(unsaved[0])
            self.show_tab(TAB_CARD)
            return
        if self.week is not None:  # first: stopping the sync runs the event loop, where its reads would start
            self.week.stop_background()
        self.save_settings()
        if self.sync is not None:
            self.sync.stop()
        if self.watcher is not None:
            self.watcher.stop()
        self.work_area.stop_background()
        self.tasks.close()  # first: nothing starts any more, not even from the event loop the wait runs
        self.tasks.wait(10_000)
        self.work_area.remember_first_screen()
        self.db.dispose()
        self._thawed = True
        gcpause.thaw()  # what this window froze may be garbage now
        super().closeEvent(event)
        self.closed.emit()


def open_window(db_path: str | None = None, database_url: str | None = None,
                early: EarlyRead | None = None) -> MainWindow:
    """A window as ``python main.py`` opens it (the frame now, the database and rows after the first paint),
    marked «ДЕМО» once its database turns out to be the demo one. Show it and run the event loop. ``early``: the
    first rows' read already started on the same options (an app.services.first_screen.EarlyRead), else it is
    started with the window's loader task."""

    def opener():
        from app.exchange.workspace import open_workspace

        return open_workspace(db_path, database_url, backup_later=True)

    def first_rows():
        if early is not None:
            return early.result()
        from app.services.first_screen import first_rows

        return first_rows(db_path, database_url)

    def mark_demo() -> None:  # imported once the rows are in: not on the way to the first paint (~20 ms)
        from ui.controllers.demo import mark_if_demo

        mark_if_demo(window)

    window = MainWindow(None, opener=opener, first_rows=first_rows)
    window.rows_loaded.connect(mark_demo)
    return window
